package core

import (
	"encoding/json"
	"fmt"
	"time"
)

// WebhookSub is one webhook endpoint as core sees it: its name (the outbox destination's id)
// and the events it wants.
type WebhookSub struct {
	Name   string
	Events []EventType // empty: every event
}

// Wants reports whether the endpoint subscribed to t.
func (w WebhookSub) Wants(t EventType) bool {
	if len(w.Events) == 0 {
		return true
	}
	for _, e := range w.Events {
		if e == t {
			return true
		}
	}
	return false
}

// emit queues the event for every endpoint that wants it, in tx: the event is written in the
// same transaction as the change it reports, so it goes out if and only if the change was
// committed. contactID names the customer the event concerns (0 for none), so that erasing
// them scrubs it while it still waits in the outbox.
func (s *Service) emit(tx Tx, typ EventType, contactID int64, now time.Time, data any) error {
	var subs []WebhookSub
	for _, w := range s.set.Webhooks {
		if w.Wants(typ) {
			subs = append(subs, w)
		}
	}
	if len(subs) == 0 {
		return nil
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("event %s: %w", typ, err)
	}
	ev := &Event{Type: typ, Timestamp: now.UTC(), Data: raw}
	for _, w := range subs {
		o := Outgoing{To: ChatRef{Platform: Webhook, ID: w.Name}, Message: Message{Event: ev}, ContactID: contactID}
		if _, err := tx.Enqueue(o, now); err != nil {
			return fmt.Errorf("event %s for %s: %w", typ, w.Name, err)
		}
	}
	return nil
}

// ComplaintEvent is the data of the complaint.* and standard.* events.
type ComplaintEvent struct {
	Complaint ComplaintView `json:"complaint"`
	// ContactID is earshot's number for the customer: stable, and no personal data, so it
	// still correlates events after the customer was erased.
	ContactID int64 `json:"contact_id"`
	// By is the team member who acted (acknowledged, resolved), when one did.
	By string `json:"by,omitempty"`
	// Standard is "acknowledge" or "resolve", for standard.warning and standard.breached.
	Standard BreachKind `json:"standard,omitempty"`
	DueAt    *time.Time `json:"due_at,omitempty"`
}

// SurveyEvent is the data of survey.completed and survey.expired.
type SurveyEvent struct {
	Survey     SurveyRunView   `json:"survey"`
	Customer   string          `json:"customer,omitempty"`
	ContactID  int64           `json:"contact_id"`
	Touchpoint *TouchpointView `json:"touchpoint,omitempty"`
	Answers    []AnswerView    `json:"answers"`
}

// ErasedEvent is the data of customer.erased: no identity, only earshot's number for them.
type ErasedEvent struct {
	ContactID int64     `json:"contact_id"`
	ErasedAt  time.Time `json:"erased_at"`
}

// DigestEvent is the data of digest.sent.
type DigestEvent struct {
	Week   string   `json:"week"`
	To     []string `json:"to"` // the owners it went to, by name
	Digest Digest   `json:"digest"`
}

// complaintEvent emits a complaint.* or standard.* event about cp.
func (s *Service) complaintEvent(tx Tx, typ EventType, cp Complaint, now time.Time, fill func(*ComplaintEvent)) error {
	if len(s.set.Webhooks) == 0 {
		return nil
	}
	v, err := s.complaintView(tx, cp)
	if err != nil {
		return err
	}
	ct, err := tx.Contact(cp.ContactID)
	if err != nil {
		return err
	}
	if !ct.ErasedAt.IsZero() {
		v.Customer, v.Text, v.ResolutionNote = "", "", ""
	}
	ev := ComplaintEvent{Complaint: v, ContactID: cp.ContactID}
	if fill != nil {
		fill(&ev)
	}
	return s.emit(tx, typ, cp.ContactID, now, ev)
}

// standardEvent emits standard.warning or standard.breached: the standard and its deadline.
func (s *Service) standardEvent(tx Tx, typ EventType, cp Complaint, standard BreachKind, due, now time.Time) error {
	return s.complaintEvent(tx, typ, cp, now, func(e *ComplaintEvent) {
		d := due.UTC()
		e.Standard, e.DueAt = standard, &d
	})
}

// surveyEvent emits survey.completed or survey.expired about run, with its answers.
func (s *Service) surveyEvent(tx Tx, typ EventType, run SurveyRun, now time.Time) error {
	if len(s.set.Webhooks) == 0 {
		return nil
	}
	ct, err := tx.Contact(run.ContactID)
	if err != nil {
		return err
	}
	ev := SurveyEvent{
		Survey: SurveyRunView{ID: run.ID, Survey: run.Plan, State: run.State, SkipReason: run.SkipReason,
			DueAt: run.DueAt, SentAt: opt(run.SentAt)},
		ContactID: run.ContactID,
		Answers:   []AnswerView{},
	}
	erased := !ct.ErasedAt.IsZero()
	if !erased {
		ev.Customer = ct.Ref.String()
	}
	if run.TouchpointID != 0 {
		tp, err := s.touchpointOf(tx, run)
		if err != nil && !IsNotFound(err) {
			return err
		} else if err == nil {
			tv := TouchpointView{Stage: tp.Stage, OccurredAt: tp.OccurredAt}
			if !erased {
				tv.Ref = tp.Ref
			}
			ev.Touchpoint = &tv
		}
	}
	answers, err := tx.Answers(run.ID, 0)
	if err != nil {
		return err
	}
	for _, a := range answers {
		av := AnswerView{Survey: a.Plan, RunID: a.RunID, Question: a.QuestionKey, Skipped: a.Skipped, AnsweredAt: a.AnsweredAt}
		switch {
		case a.Score != nil:
			av.Value = *a.Score
		case a.Skipped, erased:
		default:
			av.Value = a.Text
		}
		ev.Answers = append(ev.Answers, av)
	}
	return s.emit(tx, typ, run.ContactID, now, ev)
}

// digestEvent emits digest.sent with the owners it went to.
func (s *Service) digestEvent(tx Tx, d Digest, now time.Time) error {
	if len(s.set.Webhooks) == 0 {
		return nil
	}
	ev := DigestEvent{Week: d.Week, To: []string{}, Digest: d}
	for _, m := range s.set.Team.Owners() {
		ev.To = append(ev.To, m.Name)
	}
	return s.emit(tx, EventDigestSent, 0, now, ev)
}
