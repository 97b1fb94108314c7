package core

import "time"

// Contact is a person the bot can talk to on one platform: a customer, or a team member who
// has messaged the bot. All times are UTC instants.
type Contact struct {
	ID     int64
	Ref    UserRef
	Name   string
	Locale string
	// Language is the one the customer chose with /language; empty: their Locale matched to
	// an offered language, else the business's (see Service.languageOf).
	Language Lang
	TimeZone string // IANA zone; empty: use the business's
	// SeenAt is the last time they messaged the bot; zero if they never have.
	SeenAt    time.Time
	CreatedAt time.Time
	// OptedOutAt is when they said /stop; zero while they take surveys.
	OptedOutAt time.Time
	// Unreachable is why the platform refuses messages to them ("bot was blocked by the
	// user"); empty while reachable.
	Unreachable string
	ErasedAt    time.Time // zero unless erased

	// Pending is their open prompt: what the bot last asked them and waits for (see
	// core/prompt.go). At most one is open; asking something new closes the older one.
	Pending     PendingKind
	PendingText string // a file offer's message; a survey's options picked so far ("Q:key,key")
	PendingRun  int64  // the survey run, for PendingSurvey and PendingLowScore
	// PendingComplaint is the complaint, for PendingSolved.
	PendingComplaint int64
	PendingAt        time.Time // when it was asked
}

// PendingKind is the kind of prompt the bot asked a contact and waits for.
type PendingKind string

// Prompt kinds.
const (
	PendingNone          PendingKind = ""
	PendingSurvey        PendingKind = "survey"         // the current question of survey run PendingRun
	PendingComplaintText PendingKind = "complaint_text" // /complain without text: next message is the complaint
	PendingFileOffer     PendingKind = "file_offer"     // "file this as a complaint?" about PendingText
	PendingLowScore      PendingKind = "low_score"      // after a low score: next message opens a complaint on PendingRun
	PendingSolved        PendingKind = "solved"         // "is your problem solved?" about PendingComplaint
	PendingForget        PendingKind = "forget"         // "erase all your data?"
	PendingLanguage      PendingKind = "language"       // "which language shall I write in?" (/language)
)

// Invite lets a customer become a contact by opening a link; it may carry a touchpoint
// and the business's own id for the customer.
type Invite struct {
	Token     string
	Stage     string // empty: no touchpoint
	Ref       string
	Name      string
	CreatedAt time.Time
	UsedAt    time.Time // the last opening
	UsedBy    int64     // contact id, for a single-use invite once opened
	// Customer is the business's id that opening the invite links the account to; zero:
	// none. Only single-use invites carry one.
	Customer  ExternalRef
	Uses      InviteUses
	ExpiresAt time.Time // zero: never
	Opens     int       // how often it was opened
}

// InviteUses says how often an invite may be opened.
type InviteUses string

// Invite uses. The zero value is single use.
const (
	InviteOnce InviteUses = "once" // one customer, once (a receipt for one order)
	InviteMany InviteUses = "many" // anyone, any number of times (a poster, a counter card)
)

// Touchpoint records that something happened to a customer.
type Touchpoint struct {
	ID         int64
	ContactID  int64
	Stage      string
	Ref        string
	OccurredAt time.Time
	CreatedAt  time.Time
	// Key makes recording idempotent: a second touchpoint with the same non-empty key is the
	// first one.
	Key string
}

// RunState is where a survey run is in its life.
type RunState string

// Survey run states. Scheduled runs whose due time has passed while another conversation
// with the contact was live are waiting: still scheduled.
const (
	RunScheduled  RunState = "scheduled"
	RunSent       RunState = "sent"        // first question sent, nothing answered yet
	RunInProgress RunState = "in_progress" // at least one answer
	RunCompleted  RunState = "completed"
	RunExpired    RunState = "expired"
	RunSkipped    RunState = "skipped" // never sent; SkipReason says why
)

// Live reports whether a conversation is going on in this state.
func (s RunState) Live() bool { return s == RunSent || s == RunInProgress }

// SurveyRun is one sending of a plan to a contact.
type SurveyRun struct {
	ID           int64
	ContactID    int64
	TouchpointID int64 // 0 if none
	Plan         string
	State        RunState
	SkipReason   string
	DueAt        time.Time
	ExpiresAt    time.Time // zero: never
	SentAt       time.Time
	RemindedAt   time.Time
	FinishedAt   time.Time // completed or expired
	// Question is the index of the question being asked (or next to ask).
	Question int
	// QuestionMsg is the outbox id of the message asking the current question, so it can be
	// edited once answered.
	QuestionMsg int64
	CreatedAt   time.Time
	// Questions are the questions the run was started with (set when it is sent), so a plan
	// changed while it runs does not change what it asks; empty before it is sent, and for
	// runs stored before runs kept them (their plan's questions as configured now).
	Questions []Question
}

// Answer is one answer to one question, stored as it arrives.
type Answer struct {
	ID          int64
	RunID       int64
	ContactID   int64
	Plan        string
	QuestionKey string
	Score       *int   // scale answers; nil for text and skipped
	Text        string // text answers; empty when skipped or erased
	Skipped     bool
	AnsweredAt  time.Time
}

// ComplaintStatus is where a complaint is.
type ComplaintStatus string

// Complaint statuses. A reopened complaint is open again (Reopened counts how often).
const (
	StatusOpen         ComplaintStatus = "open"
	StatusAcknowledged ComplaintStatus = "acknowledged"
	StatusResolved     ComplaintStatus = "resolved" // awaiting the customer's confirmation
	StatusClosed       ComplaintStatus = "closed"
)

// Active reports whether the complaint still has a conversation going on.
func (s ComplaintStatus) Active() bool { return s != StatusClosed }

// Complaint is a customer's complaint and its handling.
type Complaint struct {
	ID        int64
	ContactID int64
	RunID     int64 // the survey run it came from; 0 if none
	Status    ComplaintStatus
	Text      string
	OpenedAt  time.Time
	// AckDue and ResolveDue are the standards' deadlines.
	AckDue     time.Time
	ResolveDue time.Time
	AckAt      time.Time
	// AckBy is the member who owns the complaint; OwnerAccount is the account they acted
	// from, where they get its messages.
	AckBy          string
	OwnerAccount   UserRef
	ResolvedAt     time.Time
	ResolvedBy     string
	ResolutionNote string
	ClosedAt       time.Time
	Confirmed      *bool // nil until the customer answers or it auto-closes
	Reopened       int
	// CardMsg is the outbox id of the team card, so it can be edited and threaded under.
	CardMsg int64
	// WaitingAt is when the team started waiting for the customer (/wait; zero: not
	// waiting). Meanwhile the resolve clock is paused with ResolveLeft of counted time left.
	// Waited is the counted time spent waiting before, which the resolve figures leave out.
	WaitingAt   time.Time
	ResolveLeft time.Duration
	Waited      time.Duration
}

// Ref returns the complaint's human reference.
func (c Complaint) Ref() ComplaintRef { return RefFor(c.ID) }

// ThreadMessage is one message of a complaint's thread.
type ThreadMessage struct {
	ID          int64
	ComplaintID int64
	Author      string // the member's name, or "customer"
	Account     UserRef
	FromTeam    bool
	Text        string
	At          time.Time
}

// BreachKind names the standard that was missed.
type BreachKind string

// Breach kinds.
const (
	BreachAcknowledge BreachKind = "acknowledge"
	BreachResolve     BreachKind = "resolve"
)

// Breach records a missed standard.
type Breach struct {
	ID          int64
	ComplaintID int64
	Kind        BreachKind
	Deadline    time.Time
	At          time.Time
}

// OutboxState is where an outbox message is.
type OutboxState string

// Outbox states.
const (
	OutboxPending OutboxState = "pending" // waiting to be sent (maybe leased by a deliverer)
	OutboxSent    OutboxState = "sent"
	OutboxDead    OutboxState = "dead" // could not be delivered; LastError says why
)

// Outgoing is a message core wants delivered.
type Outgoing struct {
	To ChatRef
	// DM is true when To.ID is a user's id and the message goes to a one-to-one chat with
	// them; the adapter opens that chat if it must.
	DM      bool
	Message Message
	// EditOf is the outbox id of an earlier message to this chat that this one replaces.
	EditOf int64
	// ThreadOf is the outbox id of an earlier message under which this one is threaded.
	ThreadOf int64
	// ContactID is the customer this message concerns, so erasing them can find it; 0 for
	// team and owner messages not about one customer.
	ContactID int64
	// Class is how urgent the message is (ClassReply first); zero means ClassTeam. Service
	// sets it from where the message comes from, so callers rarely do.
	Class Class
}

// OutboxMessage is an Outgoing in the durable outbox.
type OutboxMessage struct {
	ID int64
	Outgoing
	State      OutboxState
	CreatedAt  time.Time
	DueAt      time.Time // not before this
	LeaseUntil time.Time // set (far in the future) while a deliverer holds it
	ClaimedBy  string    // the instance holding it; empty when not claimed
	Attempts   int
	LastError  string
	SentAt     time.Time
	SentID     string // the platform's id of the delivered message
}

// JobKind names a kind of due work.
type JobKind string

// Due work. Subject is the survey run for survey jobs, the complaint for complaint jobs.
const (
	JobSurveySend    JobKind = "survey_send"
	JobSurveyRemind  JobKind = "survey_remind"
	JobSurveyExpire  JobKind = "survey_expire"
	JobAckWarn       JobKind = "ack_warn"
	JobAckBreach     JobKind = "ack_breach"
	JobResolveWarn   JobKind = "resolve_warn"
	JobResolveBreach JobKind = "resolve_breach"
	JobAutoClose     JobKind = "auto_close"
	JobDigest        JobKind = "digest" // Key is "digest:2026-W47"
	JobPrune         JobKind = "prune"  // Key is "prune:2026-11-23"
)

// Job is one piece of due work. It is deleted in the transaction that does it.
type Job struct {
	ID      int64
	Kind    JobKind
	Subject int64
	// Key, when set, makes the job unique: adding a job whose key exists does nothing.
	Key   string
	DueAt time.Time
}
