package core

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Export is everything held on one customer.
type Export struct {
	Customer    string            `json:"customer"`
	Contacts    []ContactView     `json:"contacts"`
	Touchpoints []TouchpointView  `json:"touchpoints"`
	Surveys     []SurveyRunView   `json:"surveys"`
	Answers     []AnswerView      `json:"answers"`
	Complaints  []ComplaintDetail `json:"complaints"`
	// Waiting are touchpoints for the business's id that no account was linked to in time,
	// or that still wait for one.
	Waiting []WaitingView `json:"waiting_touchpoints,omitempty"`
}

// ContactView is a contact as exported.
type ContactView struct {
	Ref         string     `json:"ref"`
	Name        string     `json:"name,omitempty"`
	Locale      string     `json:"locale,omitempty"`
	TimeZone    string     `json:"timezone,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	SeenAt      *time.Time `json:"last_seen_at"`
	OptedOutAt  *time.Time `json:"opted_out_at"`
	Unreachable string     `json:"unreachable,omitempty"`
	// CustomerIDs are the business's own ids this account is linked to (shop:4711).
	CustomerIDs []string `json:"customer_ids,omitempty"`
	// Language is the one earshot writes to them in; LanguageChosen is set when they chose
	// it with /language rather than it following their locale or the business's.
	Language       Lang `json:"language"`
	LanguageChosen bool `json:"language_chosen,omitempty"`
}

// TouchpointView is a touchpoint as exported.
type TouchpointView struct {
	Stage      string    `json:"stage"`
	Ref        string    `json:"ref,omitempty"`
	OccurredAt time.Time `json:"occurred_at"`
}

// SurveyRunView is a survey run as exported.
type SurveyRunView struct {
	ID         int64      `json:"id"`
	Survey     string     `json:"survey"`
	State      RunState   `json:"state"`
	SkipReason string     `json:"skip_reason,omitempty"`
	DueAt      time.Time  `json:"due_at"`
	SentAt     *time.Time `json:"sent_at"`
}

// AnswerView is an answer as exported: value is the score, or the text.
type AnswerView struct {
	Survey     string    `json:"survey"`
	RunID      int64     `json:"run_id"`
	Question   string    `json:"question"`
	Value      any       `json:"value"`
	Skipped    bool      `json:"skipped,omitempty"`
	AnsweredAt time.Time `json:"answered_at"`
}

// ComplaintView is a complaint as listed (complaints --json, the HTTP API).
type ComplaintView struct {
	Ref            ComplaintRef    `json:"ref"`
	Status         ComplaintStatus `json:"status"`
	Customer       string          `json:"customer"`
	Text           string          `json:"text"`
	OpenedAt       time.Time       `json:"opened_at"`
	AckDue         time.Time       `json:"acknowledge_due"`
	AckDueAt       time.Time       `json:"ack_due"`                 // AckDue again, under its short name
	WaitingSince   *time.Time      `json:"waiting_since,omitempty"` // /wait: the resolve clock is paused
	ResolveDue     time.Time       `json:"resolve_due"`
	AcknowledgedAt *time.Time      `json:"acknowledged_at"`
	AcknowledgedBy *string         `json:"acknowledged_by"`
	ResolvedAt     *time.Time      `json:"resolved_at"`
	ResolutionNote string          `json:"resolution_note,omitempty"`
	ClosedAt       *time.Time      `json:"closed_at"`
	Confirmed      *bool           `json:"confirmed"`
	Reopened       int             `json:"reopened"`
	SurveyRun      int64           `json:"survey_run,omitempty"`
}

// ComplaintDetail is a complaint with its thread.
type ComplaintDetail struct {
	ComplaintView
	Thread []ThreadView `json:"thread"`
}

// ThreadView is one message of a complaint thread as exported.
type ThreadView struct {
	Author string    `json:"author"`
	Team   bool      `json:"team"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
}

func opt(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (s *Service) complaintView(tx Tx, cp Complaint) (ComplaintView, error) {
	ct, err := tx.Contact(cp.ContactID)
	if err != nil {
		return ComplaintView{}, err
	}
	v := ComplaintView{Ref: cp.Ref(), Status: cp.Status, Customer: ct.Ref.String(), Text: cp.Text,
		OpenedAt: cp.OpenedAt, AckDue: cp.AckDue, AckDueAt: cp.AckDue, WaitingSince: opt(cp.WaitingAt), ResolveDue: cp.ResolveDue, AcknowledgedAt: opt(cp.AckAt),
		ResolvedAt: opt(cp.ResolvedAt), ResolutionNote: cp.ResolutionNote, ClosedAt: opt(cp.ClosedAt),
		Confirmed: cp.Confirmed, Reopened: cp.Reopened, SurveyRun: cp.RunID}
	if cp.AckBy != "" {
		by := cp.AckBy
		v.AcknowledgedBy = &by
	}
	return v, nil
}

// Complaints lists complaints with the given status ("" or "all" for every one), oldest
// first.
func (s *Service) Complaints(ctx context.Context, status string) ([]ComplaintView, error) {
	f := ComplaintFilter{}
	switch status {
	case "", "all":
	case "open", "acknowledged", "resolved", "closed":
		f.Statuses = []ComplaintStatus{ComplaintStatus(status)}
	default:
		return nil, Errorf(EINVALID, "unknown status %q (want open, acknowledged, resolved, closed or all)", status)
	}
	out := []ComplaintView{}
	err := s.store.View(ctx, func(tx Tx) error {
		list, err := tx.Complaints(f)
		if err != nil {
			return err
		}
		for _, cp := range list {
			v, err := s.complaintView(tx, cp)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("core: list complaints: %w", err)
	}
	return out, nil
}

// Export returns everything held on the customer (ENOTFOUND if unknown).
func (s *Service) Export(ctx context.Context, customer UserRef) (Export, error) {
	var e Export
	err := s.store.View(ctx, func(tx Tx) error {
		ct, err := tx.ContactByRef(customer)
		if err != nil {
			return err
		}
		e = newExport(customer.String())
		return s.exportContact(tx, ct, &e)
	})
	if err != nil {
		return Export{}, fmt.Errorf("core: export %s: %w", customer, err)
	}
	return e, nil
}

func newExport(customer string) Export {
	return Export{Customer: customer, Contacts: []ContactView{}, Touchpoints: []TouchpointView{},
		Surveys: []SurveyRunView{}, Answers: []AnswerView{}, Complaints: []ComplaintDetail{}}
}

// exportContact adds what is held on one contact to e.
func (s *Service) exportContact(tx Tx, ct Contact, e *Export) error {
	links, err := tx.ContactLinks(ct.ID)
	if err != nil {
		return err
	}
	cv := ContactView{Ref: ct.Ref.String(), Name: ct.Name, Locale: ct.Locale, TimeZone: ct.TimeZone,
		CreatedAt: ct.CreatedAt, SeenAt: opt(ct.SeenAt), OptedOutAt: opt(ct.OptedOutAt), Unreachable: ct.Unreachable,
		Language: s.languageOf(ct), LanguageChosen: ct.Language != "" && s.offers(ct.Language)}
	for _, l := range links {
		cv.CustomerIDs = append(cv.CustomerIDs, l.Customer.String())
	}
	e.Contacts = append(e.Contacts, cv)
	tps, err := tx.Touchpoints(ct.ID)
	if err != nil {
		return err
	}
	for _, tp := range tps {
		e.Touchpoints = append(e.Touchpoints, TouchpointView{Stage: tp.Stage, Ref: tp.Ref, OccurredAt: tp.OccurredAt})
	}
	runs, err := tx.Runs(RunFilter{ContactID: ct.ID})
	if err != nil {
		return err
	}
	for _, r := range runs {
		e.Surveys = append(e.Surveys, SurveyRunView{ID: r.ID, Survey: r.Plan, State: r.State,
			SkipReason: r.SkipReason, DueAt: r.DueAt, SentAt: opt(r.SentAt)})
	}
	answers, err := tx.Answers(0, ct.ID)
	if err != nil {
		return err
	}
	for _, a := range answers {
		v := AnswerView{Survey: a.Plan, RunID: a.RunID, Question: a.QuestionKey, Skipped: a.Skipped, AnsweredAt: a.AnsweredAt}
		switch {
		case a.Score != nil:
			v.Value = *a.Score
		case !a.Skipped:
			v.Value = a.Text
		}
		e.Answers = append(e.Answers, v)
	}
	list, err := tx.Complaints(ComplaintFilter{ContactID: ct.ID})
	if err != nil {
		return err
	}
	for _, cp := range list {
		v, err := s.complaintView(tx, cp)
		if err != nil {
			return err
		}
		d := ComplaintDetail{ComplaintView: v, Thread: []ThreadView{}}
		thread, err := tx.Thread(cp.ID)
		if err != nil {
			return err
		}
		for _, m := range thread {
			d.Thread = append(d.Thread, ThreadView{Author: m.Author, Team: m.FromTeam, Text: m.Text, At: m.At})
		}
		e.Complaints = append(e.Complaints, d)
	}
	return nil
}

// Erase removes the customer's identity and free text everywhere and keeps their scores
// anonymously (ENOTFOUND if unknown). It then compacts the store until no old copy remains,
// retrying while readers hold old snapshots, until ctx ends: an error that wraps
// ErrNotCompacted means the data is erased but old copies remain until a later compaction
// (serve finishes it).
func (s *Service) Erase(ctx context.Context, customer UserRef) error {
	err := s.update(ctx, func(tx Tx) error {
		ct, err := tx.ContactByRef(customer)
		if err != nil {
			return err
		}
		return s.erase(tx, ct, s.clock.Now())
	})
	if err != nil {
		return fmt.Errorf("core: erase %s: %w", customer, err)
	}
	if c, ok := s.store.(Compacter); ok {
		if err := c.Compact(ctx); err != nil {
			return fmt.Errorf("core: erase %s: %w: %w", customer, ErrNotCompacted, err)
		}
	}
	return nil
}

// ErrNotCompacted is wrapped by Erase's error when the erase committed but the store could
// not yet drop the old copies of the erased data.
var ErrNotCompacted = errors.New("erased, but old copies remain in the database's log until a compaction succeeds (serve retries it)")

// erase ends the contact's surveys and complaints, then has the store erase it.
func (s *Service) erase(tx Tx, ct Contact, now time.Time) error {
	if err := s.endSurveys(tx, ct.ID, "customer erased their data", now); err != nil {
		return err
	}
	list, err := tx.Complaints(ComplaintFilter{ContactID: ct.ID,
		Statuses: []ComplaintStatus{StatusOpen, StatusAcknowledged, StatusResolved}})
	if err != nil {
		return err
	}
	for _, cp := range list {
		cp.Status, cp.ClosedAt = StatusClosed, now
		if err := tx.UpdateComplaint(cp); err != nil {
			return err
		}
		if err := s.cancelJobs(tx, cp.ID, JobAckWarn, JobAckBreach, JobResolveWarn, JobResolveBreach, JobAutoClose); err != nil {
			return err
		}
	}
	if err := tx.EraseContact(ct.ID, now); err != nil {
		return err
	}
	// After the erase, so nothing scrubs it; it names no one.
	return s.emit(tx, EventCustomerErased, 0, now, ErasedEvent{ContactID: ct.ID, ErasedAt: now.UTC()})
}

// Compacter is implemented by stores that can rewrite their files so that erased data
// leaves no readable copy. Compact retries until it succeeds or ctx ends; a compaction not
// done stays owed and the store finishes it later.
type Compacter interface {
	Compact(ctx context.Context) error
}

// compactSoon is how long a /forget or a prune waits for the compaction after it: the
// person is waiting for the answer (or the due-work loop for the next job), and a
// compaction not done now stays owed and is finished by serve.
const compactSoon = 500 * time.Millisecond

// tryCompact tries the compaction briefly and logs when it stays owed.
func (s *Service) tryCompact(ctx context.Context, after string) {
	c, ok := s.store.(Compacter)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, compactSoon)
	defer cancel()
	if err := c.Compact(ctx); err != nil {
		s.log.Warn("compaction after "+after+" not done yet; it stays owed and is retried", "err", err)
	}
}
