package core

import (
	"context"
	"time"
)

// Store is durable state. Every change happens inside Update, whose function runs in one
// serializable transaction: either all of its effects are committed or none, and the
// transactions committed, from this process or any other sharing the database, have the
// same effects as if they had run one after another. View runs a read-only transaction on
// a consistent snapshot.
//
// fn may run more than once: a store shared by several processes retries a transaction that
// lost a conflict with another, and only the last run's effects are committed. So fn must
// have no effects outside the Tx: it may set variables the caller reads afterwards, but not
// append to them, count, send or log. Its error, if any, is returned as is and nothing it
// did is committed. A panic in it comes back as its error. An implementation may run
// several callers' functions in one transaction (group commit), each all-or-nothing and
// one after another; a caller's ctx is then honoured between statements, not within one.
type Store interface {
	Update(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
}

// Notifier is implemented by stores that several processes share: Changes receives a
// value (coalesced, never blocking the store) when another process has committed work for
// the loops, outbox messages or due jobs, so they look again at once.
type Notifier interface {
	Changes() <-chan struct{}
}

// Leaser is implemented by stores that several processes share. A lease is a named right,
// held by one holder at a time, to run what a platform allows only once (Telegram long
// polling, the Discord gateway). Its time is the database's, so the processes' clocks do not
// need to agree.
type Leaser interface {
	// AcquireLease gives the lease name to holder for ttl when it is free, expired, or
	// already holder's (then it is a renewal), and reports whether holder now has it. A
	// holder renews well within ttl; when it dies, another takes the lease once ttl is over.
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (held bool, err error)
	// ReleaseLease gives the lease up if holder has it, so another may take it at once.
	ReleaseLease(ctx context.Context, name, holder string) error
}

// Tx is a transaction. Methods that look one thing up return an *Error with code ENOTFOUND
// when it does not exist, never a zero value and nil. Methods that create set the ID of what
// they are given. All times are stored as instants (UTC, millisecond precision).
type Tx interface {
	ContactStore
	CustomerStore
	InviteStore
	SurveyStore
	ComplaintStore
	OutboxStore
	JobStore
	InboundStore
	StateStore
	ReportStore
	DashboardStore
	KindStore
}

// ContactStore holds contacts.
type ContactStore interface {
	// Contact returns the contact with the given id (ENOTFOUND).
	Contact(id int64) (Contact, error)
	// ContactByRef returns the contact for a platform account (ENOTFOUND). Erased contacts
	// are never found by their old reference.
	ContactByRef(ref UserRef) (Contact, error)
	// CreateContact inserts c and sets c.ID. ECONFLICT if c.Ref is taken.
	CreateContact(c *Contact) error
	// UpdateContact saves every field of c (ENOTFOUND).
	UpdateContact(c Contact) error
	// SetContactLanguage records the language the contact chose with /language; "" forgets
	// the choice. ENOTFOUND when there is no such contact or it was erased.
	SetContactLanguage(id int64, l Lang) error
	// EraseContact removes identity and free text held on the contact everywhere: its
	// reference and name, its answers' texts, its complaints' texts and threads, the payloads
	// of outbox messages concerning it (those carrying its contact id and DMs to its account:
	// payload, address, sent id), inbound event ids naming its account, quotes of its texts
	// in other messages. Scores, states and times stay, anonymous. A message enqueued to it
	// afterwards (the confirmation) loses its address when MarkSent or MarkDead records it.
	EraseContact(id int64, at time.Time) error
	// InactiveContacts returns up to limit ids of contacts not erased that have neither
	// written nor had a touchpoint recorded since before, oldest id first.
	InactiveContacts(before time.Time, limit int) ([]int64, error)
}

// InviteStore holds invites.
type InviteStore interface {
	CreateInvite(inv Invite) error
	// Invite returns the invite with the token (ENOTFOUND).
	Invite(token string) (Invite, error)
	// UseInvite records that contact opened the invite: it counts the opening and sets
	// UsedAt; a single-use invite also gets UsedBy (ENOTFOUND).
	UseInvite(token string, contactID int64, at time.Time) error
}

// SurveyStore holds touchpoints, survey runs and answers.
type SurveyStore interface {
	// CreateTouchpoint inserts t and sets its ID. When t.Key is set and a touchpoint with
	// that key exists, it sets *t to the existing one and returns created=false.
	CreateTouchpoint(t *Touchpoint) (created bool, err error)
	// Touchpoints returns a contact's touchpoints, oldest first.
	Touchpoints(contactID int64) ([]Touchpoint, error)
	CreateRun(r *SurveyRun) error
	// Run returns the run with the id (ENOTFOUND).
	Run(id int64) (SurveyRun, error)
	UpdateRun(r SurveyRun) error
	// Runs returns the runs matching f, ordered by due time then id.
	Runs(f RunFilter) ([]SurveyRun, error)
	// AddAnswer inserts a and sets its ID.
	AddAnswer(a *Answer) error
	// Answers returns the answers of a run, or of a contact when runID is 0, in order.
	Answers(runID, contactID int64) ([]Answer, error)
}

// RunFilter selects survey runs; zero fields do not filter.
type RunFilter struct {
	ContactID    int64
	TouchpointID int64
	States       []RunState
	DueFrom      time.Time // due at or after
	DueTo        time.Time // due before
}

// ComplaintStore holds complaints, their threads and breaches.
type ComplaintStore interface {
	// CreateComplaint inserts c and sets c.ID (its reference is RefFor(c.ID)).
	CreateComplaint(c *Complaint) error
	// Complaint returns the complaint with the id (ENOTFOUND).
	Complaint(id int64) (Complaint, error)
	// ComplaintByCard returns the complaint whose card was delivered on the platform as the
	// message with id sentID, or whose card that message was threaded under (a relayed
	// customer message someone replied to) (ENOTFOUND).
	ComplaintByCard(p Platform, sentID string) (Complaint, error)
	UpdateComplaint(c Complaint) error
	// Complaints returns the complaints matching f, oldest first.
	Complaints(f ComplaintFilter) ([]Complaint, error)
	AddThreadMessage(m *ThreadMessage) error
	// Thread returns a complaint's messages, oldest first.
	Thread(complaintID int64) ([]ThreadMessage, error)
	AddBreach(b *Breach) error
}

// ComplaintFilter selects complaints; zero fields do not filter.
type ComplaintFilter struct {
	ContactID  int64
	Statuses   []ComplaintStatus
	OpenedFrom time.Time // opened at or after
	OpenedTo   time.Time // opened before
	ActiveFrom time.Time // not closed before this: closed at or after it, or not closed
}

// OutboxStore is the durable outbox.
//
// Claims. A deliverer claims a message before sending it; the claim names the deliverer's
// instance (Options.Instance: unique per process start) and lasts until that instance
// records the outcome (MarkSent, RetryOutbox, MarkDead) or is gone. A claim never expires
// by time: a live instance may take as long as pacing and a slow platform need, and no one
// else sends the message meanwhile. When an instance dies, its claims are taken over by
// ReclaimOutbox, called by another instance that knows the first is gone:
//   - SQLite: one process at a time holds the database's delivery lock (a lock file beside
//     it, taken by serve and by commands that send), so the holder knows that any claim of
//     another instance belongs to a dead one and takes it over at start.
//   - A shared server database (PostgreSQL): ReclaimOutbox also records that owner is
//     alive (a lease it renews for 10 s); the engine calls it every few seconds while it
//     delivers (Run, DeliverDue), and it takes over the claims of instances not heard from
//     for longer. Claiming uses FOR UPDATE SKIP LOCKED, so replicas never claim one chat's
//     head at once.
type OutboxStore interface {
	// Enqueue inserts a pending message due at due and returns its id. A zero Class is
	// stored as ClassTeam. A chat's oldest pending message takes the most urgent class of
	// the messages queued behind it, so ClaimOutbox's order never holds a reply back.
	Enqueue(o Outgoing, due time.Time) (int64, error)
	// OutboxMessage returns the message with the id (ENOTFOUND).
	OutboxMessage(id int64) (OutboxMessage, error)
	// ClaimOutbox claims up to limit messages of class least or less urgent for the instance
	// owner and returns them ordered by id, with ClaimedBy set. It claims, for each
	// destination chat, only that chat's oldest pending message, and only when it is due
	// (DueAt <= now) and not claimed: so messages to one chat go out in the order they were
	// written. When more chats are ready than limit, the most urgent class goes first, then
	// the oldest message. (least lets the engine fetch bulk while replies keep coming, so
	// that bulk never starves.)
	ClaimOutbox(now time.Time, owner string, least Class, limit int) ([]OutboxMessage, error)
	// ReclaimOutbox takes over the claims of instances that are gone — every claim not held
	// by owner or another live instance becomes claimable at once — and says how many; on a
	// shared database it also records that owner is alive (see above). It
	// returns ECONFLICT when this store cannot tell that the other instances are gone (an
	// SQLite database whose lock this process does not hold): then it changes nothing.
	ReclaimOutbox(owner string) (int, error)
	// MarkSent records a delivery: state sent, SentID, SentAt, and ends the claim.
	MarkSent(id int64, sentID string, at time.Time) error
	// RetryOutbox ends the claim, counts an attempt, stores the error and makes the message
	// due again at due.
	RetryOutbox(id int64, due time.Time, lastErr string) error
	// MarkDead moves a message to the dead state with the reason.
	MarkDead(id int64, reason string, at time.Time) error
	// RetargetOutbox moves every pending message for chat from to chat to (a group that
	// became a supergroup).
	RetargetOutbox(from, to ChatRef) error
	// NextOutboxAt returns when the earliest pending message becomes claimable; ok is false
	// when nothing is pending.
	NextOutboxAt() (t time.Time, ok bool, err error)
	// OutboxStats counts pending messages and returns the creation time of the oldest.
	OutboxStats() (pending int, oldest time.Time, err error)
	// PruneOutbox deletes up to limit messages sent before sentBefore or gone dead before
	// deadBefore that nothing still refers to — the card of a complaint not closed and what
	// is threaded under it, the question of a live survey, the target of a pending edit or
	// thread — and says how many.
	PruneOutbox(sentBefore, deadBefore time.Time, limit int) (int, error)
}

// JobStore holds due work.
type JobStore interface {
	// AddJob inserts j and sets its ID; when j.Key is set and a job with that key was ever
	// added, it does nothing and returns added=false.
	AddJob(j *Job) (added bool, err error)
	// DueJobs returns up to limit jobs due at or before now, earliest first.
	DueJobs(now time.Time, limit int) ([]Job, error)
	// DeleteJob removes a job (done or no longer wanted).
	DeleteJob(id int64) error
	// TakeJob removes a job to do it, and reports whether it was still there: false when
	// it was done or cancelled meanwhile (by another process too), so it must not be done.
	TakeJob(id int64) (taken bool, err error)
	// CancelJobs removes every job of the kind for the subject.
	CancelJobs(kind JobKind, subject int64) error
	// NextJobAt returns the earliest due time; ok is false when there is no job.
	NextJobAt() (t time.Time, ok bool, err error)
}

// InboundStore deduplicates inbound events.
type InboundStore interface {
	// MarkInbound records the event; fresh is false when it was recorded before.
	MarkInbound(p Platform, eventID string, at time.Time) (fresh bool, err error)
	// PruneInbound forgets up to limit events recorded before before and says how many.
	PruneInbound(before time.Time, limit int) (int, error)
}

// StateStore keeps small named values (the digest schedule's cursor, chat migrations).
type StateStore interface {
	// State returns the value under key, ENOTFOUND if unset.
	State(key string) (string, error)
	SetState(key, value string) error
}

// ReportStore answers the digest's questions. Time ranges are [from, to).
type ReportStore interface {
	// ScoreStats returns, for each scale question key answered in the range, the sum and
	// count of scores, ordered by key.
	ScoreStats(from, to time.Time) ([]ScoreStat, error)
	// SurveyCounts counts runs sent in the range and, of those, the ones with an answer.
	SurveyCounts(from, to time.Time) (sent, answered int, err error)
	// LowestComments returns up to limit non-empty text answers given in the range, from the
	// runs with the lowest scores first (lowest minimum score, then earliest).
	LowestComments(from, to time.Time, limit int) ([]Comment, error)
	// DeadLetters counts outbox messages that went dead in the range.
	DeadLetters(from, to time.Time) (int, error)
	// Breaches counts breaches recorded in the range, by kind.
	Breaches(from, to time.Time) (map[BreachKind]int, error)
	// AnswerRows returns up to limit answers given in the range with an id above after,
	// in id order (the order they arrived), each with its contact's account; an export
	// pages through them.
	AnswerRows(from, to time.Time, after int64, limit int) ([]AnswerRow, error)
}

// AnswerRow is an answer with the account of the customer who gave it. AccountID is empty
// once the customer was erased.
type AnswerRow struct {
	Answer
	Platform  Platform
	AccountID string
}

// ScoreStat is the sum and count of one dimension's scores.
type ScoreStat struct {
	Key   string
	Sum   int64
	Count int
}

// Comment is a text answer with the lowest score of its run.
type Comment struct {
	RunID    int64
	Key      string
	Text     string
	MinScore int // -1 when the run has no score
	At       time.Time
}

// Handler is core as adapters see it: they turn each platform event into an Incoming, call
// Handle synchronously, and act on the error (see ErrorCode). Handle commits the event's
// effect — and its deduplication — before it returns, so an adapter may confirm the event to
// its platform once Handle returns nil.
type Handler interface {
	Handle(ctx context.Context, in Incoming) (Response, error)
}

// Messenger delivers messages on one platform. Adapters implement it; the deliverer calls it
// with messages from the outbox, at least once each.
type Messenger interface {
	// Platform names the platform this messenger delivers to.
	Platform() Platform
	// Deliver sends d and returns the platform's id of the message (for edits and threads).
	// Errors should be *DeliveryError so the deliverer knows whether and when to retry; any
	// other error is treated as temporary.
	Deliver(ctx context.Context, d Delivery) (sentID string, err error)
}

// Delivery is one message for a Messenger.
type Delivery struct {
	// ID is the outbox id: the same across retries, usable as an idempotency key (a nonce).
	ID      int64
	To      ChatRef
	DM      bool // To.ID is a user: send to the one-to-one chat with them
	Message Message
	// EditID, when set, is the platform id of the message to replace with this one.
	EditID string
	// ThreadID, when set, is the platform id of the message to thread this one under.
	ThreadID string
}

// DeliveryErrorKind says what the deliverer should do after a failed delivery.
type DeliveryErrorKind string

// Delivery error kinds.
const (
	// DeliveryTemporary: a 5xx, a timeout, a network error. Retry with backoff.
	DeliveryTemporary DeliveryErrorKind = "temporary"
	// DeliveryRateLimited: the platform said wait RetryAfter (globally when Global).
	DeliveryRateLimited DeliveryErrorKind = "rate_limited"
	// DeliveryPermanent: the platform refused the message (400, 403, 404). Never retried.
	DeliveryPermanent DeliveryErrorKind = "permanent"
	// DeliveryUnauthorized: the platform refused our credentials. Retried after an operator
	// fixes them; repeated, it stops all sends to the platform.
	DeliveryUnauthorized DeliveryErrorKind = "unauthorized"
	// DeliveryMoved: the chat has a new id (MovedTo); resend there.
	DeliveryMoved DeliveryErrorKind = "moved"
)

// DeliveryError is a failed delivery, classified by the adapter.
type DeliveryError struct {
	Kind       DeliveryErrorKind
	RetryAfter time.Duration // for DeliveryRateLimited
	Global     bool          // the rate limit holds for the whole platform
	// Unreachable is true for a permanent error meaning the person cannot be messaged at all
	// (they blocked the bot, left, or never opened it).
	Unreachable bool
	MovedTo     ChatRef // for DeliveryMoved
	Reason      string  // the platform's own words, kept with a dead letter
	Err         error
}

func (e *DeliveryError) Error() string {
	s := string(e.Kind)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *DeliveryError) Unwrap() error { return e.Err }

// ChartRenderer draws the digest's chart (cmd/earshot/internal/chart implements it).
type ChartRenderer interface {
	// TrendImage draws each dimension's weekly figure of t as one PNG, with words a person
	// reads in Alt. An error leaves the digest without its chart; the text still goes.
	TrendImage(t Trend) (Image, error)
}

// InviteLinker is implemented by adapters that can turn an invite token into something a
// customer opens (a Telegram deep link) or types (an instruction).
type InviteLinker interface {
	InviteLink(ctx context.Context, token string) (string, error)
}

// InviteNoter is implemented by adapters whose platform reaches only some people (Slack: the
// workspace's members; Discord: people who share a server with the bot). InviteNote says so
// in a sentence shown beside the platform's invite link.
type InviteNoter interface {
	InviteNote() string
}
