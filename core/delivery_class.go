package core

import "time"

// Class is how urgent an outgoing message is. The delivery engine spends each platform's
// budget in class order — replies, then team messages, then bulk, then cosmetic edits —
// except that a class kept waiting gets a share, so none starves. A chat's messages still go
// in the order they were written, whatever their classes: a later reply waits for the
// invitation before it, and that invitation goes as soon as a reply would.
type Class int8

// The classes, most urgent first. The zero Class means ClassTeam.
const (
	ClassReply    Class = 1 // to someone who just wrote: the next question, an answer
	ClassTeam     Class = 2 // cards, relays, notices to the team
	ClassBulk     Class = 3 // invitations, reminders, digests
	ClassCosmetic Class = 4 // edits that only tidy what is already there
)

// String names the class for logs and metrics.
func (c Class) String() string {
	switch c.orTeam() {
	case ClassReply:
		return "reply"
	case ClassBulk:
		return "bulk"
	case ClassCosmetic:
		return "cosmetic"
	}
	return "team"
}

func (c Class) orTeam() Class {
	if c < ClassReply || c > ClassCosmetic {
		return ClassTeam
	}
	return c
}

// classTx gives messages enqueued through it a class from where they come from, so that no
// call site has to: inside an inbound event, what goes to the sender's chat is a reply and
// the rest team traffic; inside due work, everything is bulk. Edits are cosmetic (a chat's
// head takes the class of a reply queued behind it, so an edit never delays one). An explicit
// Class is kept.
type classTx struct {
	Tx
	replyTo ChatRef // the sender's chat; zero inside due work
	other   Class
}

// inboundTx wraps tx for the handling of in.
func inboundTx(tx Tx, in Incoming) Tx {
	to := in.Chat
	if in.Direct || to == (ChatRef{}) {
		to = ChatRef(in.From)
	}
	return classTx{Tx: tx, replyTo: to, other: ClassTeam}
}

// dueWorkTx wraps tx for a job of the kind: invitations, reminders and digests are bulk;
// warnings about complaints are team traffic.
func dueWorkTx(tx Tx, kind JobKind) Tx {
	switch kind {
	case JobSurveySend, JobSurveyRemind, JobSurveyExpire, JobDigest:
		return classTx{Tx: tx, other: ClassBulk}
	}
	return classTx{Tx: tx, other: ClassTeam}
}

// Enqueue sets o's class when it has none and enqueues it.
func (t classTx) Enqueue(o Outgoing, due time.Time) (int64, error) {
	if o.Class == 0 {
		switch {
		case o.EditOf != 0:
			o.Class = ClassCosmetic
		case t.replyTo != (ChatRef{}) && o.To == t.replyTo:
			o.Class = ClassReply
		default:
			o.Class = t.other
		}
	}
	return t.Tx.Enqueue(o, due)
}
