package core

import (
	"strings"
	"time"
)

// One open prompt per person.
//
// Everything the bot asks a customer and then waits for goes through this file: a survey
// question, "shall I pass this to the team?", /complain's "tell me what happened", the
// low-score offer, "is your problem solved?", the /forget confirmation and /language's
// "which language?". The contact row holds the open prompt (Contact.Pending and its
// subject), so a restart keeps it. The rules:
//
//   - ask makes a prompt the open one, closing the older. A survey whose question is closed
//     that way is paused: its run stays live, and its question is asked again once nothing
//     else is open (next).
//   - A typed message goes to the open prompt (typed). When that prompt does not take it (a
//     "maybe" to a yes/no question), or none is open, it joins the open complaint's thread,
//     and with neither it gets the offer to file it (customer.go).
//   - A button answers only the prompt it was made for (pressed); a button of any other
//     prompt answers that the question has closed and changes nothing.
//   - When a prompt is answered and nothing new was asked, next asks what waits: whether a
//     resolved complaint is solved, the paused survey's question, a survey that fell due.
//
// A new kind of prompt is one more PendingKind, one case in typed and one in pressed.

// prompt is what the bot waits for from one person.
type prompt struct {
	kind      PendingKind
	run       int64  // PendingSurvey, PendingLowScore
	complaint int64  // PendingSolved
	text      string // PendingFileOffer: the message it would file; PendingSurvey: the picks (kinds_pick.go)
}

// promptFresh is how long a prompt counts as the conversation going on: a survey that falls
// due meanwhile waits rather than cut in. An older prompt is stale and a survey closes it.
const promptFresh = 10 * time.Minute

func promptOf(ct *Contact) prompt {
	return prompt{kind: ct.Pending, run: ct.PendingRun, complaint: ct.PendingComplaint, text: ct.PendingText}
}

// open makes p the contact's open prompt (prompt{} closes it) and saves the contact when
// that changes anything: asking the next question of the same survey writes nothing.
func (c *conv) open(ct *Contact, p prompt) error {
	if promptOf(ct) == p {
		return nil
	}
	ct.Pending, ct.PendingRun, ct.PendingComplaint, ct.PendingText = p.kind, p.run, p.complaint, p.text
	ct.PendingAt = c.now
	if p.kind == PendingNone {
		ct.PendingAt = zeroTime
	}
	return c.tx.UpdateContact(*ct)
}

// closePrompt closes the open prompt, if any.
func (c *conv) closePrompt(ct *Contact) error { return c.open(ct, prompt{}) }

// ask makes p the open prompt and sends m, which asks it, to the customer; with editOf set,
// m replaces that earlier message. It returns the outbox id of what it sent.
func (c *conv) ask(ct *Contact, p prompt, m Message, editOf int64) (int64, error) {
	if err := c.open(ct, p); err != nil {
		return 0, err
	}
	if c.in.Inline && c.in.From == ct.Ref && editOf == 0 && p.kind != PendingSurvey {
		c.resp.Replies = append(c.resp.Replies, m) // the platform shows it to them at once
		return 0, nil
	}
	return c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, EditOf: editOf, Message: m}, c.now)
}

// isOpen reports whether the contact's open prompt is of the kind and about the subject.
func (c *conv) isOpen(ct *Contact, kind PendingKind, subject int64) bool {
	switch p := promptOf(ct); kind {
	case PendingSurvey, PendingLowScore:
		return p.kind == kind && p.run == subject
	case PendingSolved:
		return p.kind == kind && p.complaint == subject
	default:
		return p.kind == kind
	}
}

// typed gives a typed message to the open prompt. handled is false when no prompt is open
// or the open one does not take the message: it then joins a thread or gets the offer.
func (c *conv) typed(ct *Contact, text string) (handled bool, err error) {
	switch ct.Pending {
	case PendingSurvey: // the hot path: one read, of the run
		run, err := c.tx.Run(ct.PendingRun)
		if err == nil && run.State.Live() {
			return true, c.typedAnswer(ct, run, text)
		} else if err != nil && !IsNotFound(err) {
			return false, err
		}
		return false, c.closePrompt(ct) // the survey ended without it: settle
	case PendingSolved:
		if err := c.settle(ct); err != nil || ct.Pending != PendingSolved {
			return false, err
		}
		if yes, ok := c.yesNo(text, KeyWordsSolved, KeyWordsNotSolved); ok {
			cp, err := c.tx.Complaint(ct.PendingComplaint)
			if err != nil {
				return false, err
			}
			return true, c.confirm(ct, cp, yes)
		}
		return false, nil
	case PendingComplaintText:
		return true, c.openComplaint(ct, text, 0)
	case PendingFileOffer:
		if yes, ok := c.yesNo(text); ok {
			return true, c.fileOffer(ct, yes)
		}
		// More words about the same thing: the offer takes them along.
		ct.PendingText = cleanText(ct.PendingText + "\n" + text)
		if err := c.tx.UpdateContact(*ct); err != nil {
			return true, err
		}
		return true, c.reply(c.fileOfferMessage(KeyFileOfferMore))
	case PendingLowScore:
		if yes, ok := c.yesNo(text); ok && !yes {
			return true, c.declineLowScore(ct)
		} else if ok {
			return true, c.openFromLowScore(ct, "")
		}
		return true, c.openFromLowScore(ct, text)
	case PendingForget:
		if yes, ok := c.yesNo(text); ok {
			return true, c.forget(ct, yes)
		}
	case PendingLanguage:
		return c.typedLanguage(ct, text)
	}
	return false, nil
}

// pressed answers a customer's button, if its prompt is open.
func (c *conv) pressed(ct *Contact, a action) error {
	switch a.kind {
	case "s":
		return c.buttonAnswer(ct, a)
	case "ok":
		cp, err := c.tx.Complaint(a.id)
		if IsNotFound(err) || (err == nil && cp.ContactID != ct.ID) {
			c.noticeT(KeyButtonNotYours, nil)
			return nil
		} else if err != nil {
			return err
		}
		if cp.Status != StatusResolved {
			c.noticeT(KeySolvedAnswered, nil)
			return nil
		}
		if !c.isOpen(ct, PendingSolved, cp.ID) {
			c.noticeT(KeyPromptClosed, nil)
			return nil
		}
		return c.confirm(ct, cp, a.val == "y")
	case "low":
		if !c.isOpen(ct, PendingLowScore, a.id) {
			c.noticeT(KeyPromptClosed, nil)
			return nil
		}
		if a.val == "n" {
			return c.declineLowScore(ct)
		}
		return c.openFromLowScore(ct, "")
	case "file":
		if !c.isOpen(ct, PendingFileOffer, 0) {
			c.noticeT(KeyPromptClosed, nil)
			return nil
		}
		return c.fileOffer(ct, a.val == "y")
	case "forget":
		if !c.isOpen(ct, PendingForget, 0) {
			c.noticeT(KeyPromptClosedForget, nil)
			return nil
		}
		return c.forget(ct, a.val == "y")
	case "lang":
		return c.pressedLanguage(ct, Lang(a.val))
	}
	c.noticeT(KeyButtonInvalid, nil)
	return nil
}

// settle closes an open prompt whose subject moved on without it (a survey that ended, a
// complaint that closed), so nobody waits on a closed prompt.
func (c *conv) settle(ct *Contact) error {
	switch ct.Pending {
	case PendingSurvey:
		run, err := c.tx.Run(ct.PendingRun)
		if err == nil && run.State.Live() {
			return nil
		} else if err != nil && !IsNotFound(err) {
			return err
		}
	case PendingSolved:
		cp, err := c.tx.Complaint(ct.PendingComplaint)
		if err == nil && cp.Status == StatusResolved {
			return nil
		} else if err != nil && !IsNotFound(err) {
			return err
		}
	default:
		return nil
	}
	return c.closePrompt(ct)
}

// next asks what waits once the person has no open prompt: whether their resolved complaint
// is solved, the question of a paused survey, or a survey that fell due meanwhile. While a
// complaint is being worked on, nothing: a survey never interrupts a complaint.
func (c *conv) next(ct *Contact) error {
	if err := c.settle(ct); err != nil || ct.Pending != PendingNone {
		return err
	}
	cp, err := c.activeComplaint(ct.ID)
	if err == nil {
		if cp.Status == StatusResolved {
			return c.askSolved(ct, cp, c.s.texts.Text(c.s.languageOf(*ct), KeySolvedAsk, Args{"Ref": cp.Ref()}))
		}
		return nil
	} else if !IsNotFound(err) {
		return err
	}
	run, err := c.liveRun(ct.ID)
	if err == nil {
		return c.resumeSurvey(ct, run)
	} else if !IsNotFound(err) {
		return err
	}
	return c.startWaiting(ct)
}

// askSolved asks the customer whether their resolved complaint is solved; text, in their
// language, asks it.
func (c *conv) askSolved(ct *Contact, cp Complaint, text string) error {
	lang := c.s.languageOf(*ct)
	_, err := c.ask(ct, prompt{kind: PendingSolved, complaint: cp.ID}, Message{
		Text: text,
		Choices: []Choice{
			{Label: c.s.texts.Text(lang, KeySolvedYes, nil), Payload: action{kind: "ok", id: cp.ID, val: "y"}.String(),
				Style: StylePrimary},
			{Label: c.s.texts.Text(lang, KeySolvedNo, nil), Payload: action{kind: "ok", id: cp.ID, val: "n"}.String(),
				Style: StyleDanger},
		}}, 0)
	return err
}

// yesNo reads a typed yes or no in the sender's language (the catalog's words_yes and
// words_no, and the words of extra keys: the yes words first, then the no words) or in
// English, which everyone may answer in. ok is false for anything else ("maybe").
func (c *conv) yesNo(text string, extra ...Key) (yes, ok bool) {
	said := normalWords(text)
	yesKeys, noKeys := []Key{KeyYesWords}, []Key{KeyNoWords}
	if len(extra) == 2 {
		yesKeys, noKeys = append(yesKeys, extra[0]), append(noKeys, extra[1])
	}
	for _, k := range yesKeys {
		if wordListHas(c.t(k, nil), said) {
			return true, true
		}
	}
	for _, k := range noKeys {
		if wordListHas(c.t(k, nil), said) {
			return false, true
		}
	}
	return yesNo(text)
}

// wordListHas reports whether a comma-separated list of words ("ja, j, nein danke") holds
// said, compared as normalWords.
func wordListHas(list, said string) bool {
	for w := range strings.SplitSeq(list, ",") {
		if w = normalWords(w); w != "" && w == said {
			return true
		}
	}
	return false
}

// normalWords lowers text, drops the full stop or exclamation mark around it and joins its
// words with single spaces: "  Nein  danke! " is "nein danke".
func normalWords(text string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.Trim(strings.TrimSpace(text), ".!"))), " ")
}
