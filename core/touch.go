package core

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// TouchRequest records that something happened to a customer.
type TouchRequest struct {
	Customer   UserRef
	Stage      string
	Ref        string    // an order number, a booking; optional
	OccurredAt time.Time // zero: now
	// Key makes the request idempotent (an HTTP Idempotency-Key). Empty: when Ref is set,
	// customer + stage + ref is the key, so repeating a touchpoint schedules nothing twice.
	Key  string
	Name string // the customer's name, if the business knows it
	// External, when set instead of Customer, is the business's own id for the customer
	// (shop:4711): the touchpoint goes to the chat account linked to it that is most
	// recently active, or waits for a link (see WaitingTouch).
	External ExternalRef
}

// TouchResult is the touchpoint and what it scheduled.
type TouchResult struct {
	Touchpoint Touchpoint
	Created    bool // false when the key matched an earlier touchpoint
	Surveys    []ScheduledSurvey
	// Waiting is true when no chat account is linked to the business's id yet: Touchpoint
	// has no ID and each survey is RunWaiting (or skipped, when it is already too late).
	Waiting bool
}

// ScheduledSurvey is one survey run a touchpoint scheduled or skipped.
type ScheduledSurvey struct {
	Plan   string    `json:"plan"`
	RunID  int64     `json:"run_id"`
	State  RunState  `json:"state"`
	DueAt  time.Time `json:"due_at"`
	Reason string    `json:"reason,omitempty"`
}

// Touch records a touchpoint and schedules every survey plan it triggers.
func (s *Service) Touch(ctx context.Context, r TouchRequest) (TouchResult, error) {
	if !r.External.IsZero() {
		return s.touchCustomer(ctx, r)
	}
	if r.Customer.IsZero() {
		return TouchResult{}, Errorf(EINVALID, "customer is required (PLATFORM:ID, like telegram:123456789)")
	}
	if _, err := ParseUserRef(r.Customer.String()); err != nil {
		return TouchResult{}, err
	}
	if err := s.checkStage(r.Stage); err != nil {
		return TouchResult{}, err
	}
	r.Ref = cleanText(r.Ref)
	if len(r.Ref) > 200 || len(r.Key) > 200 {
		return TouchResult{}, Errorf(EINVALID, "ref and idempotency key are limited to 200 characters")
	}
	now := s.clock.Now()
	var res TouchResult
	err := s.update(ctx, func(tx Tx) error {
		ct, err := tx.ContactByRef(r.Customer)
		if IsNotFound(err) {
			ct = Contact{Ref: r.Customer, Name: excerpt(cleanText(r.Name), 80), CreatedAt: now}
			err = tx.CreateContact(&ct)
		}
		if err != nil {
			return fmt.Errorf("contact: %w", err)
		}
		res, err = s.touch(tx, ct, r, now)
		return err
	})
	if err != nil {
		return TouchResult{}, fmt.Errorf("core: touch: %w", err)
	}
	return res, nil
}

func (s *Service) checkStage(stage string) error {
	stages := s.set.Stages()
	for _, st := range stages {
		if st == stage {
			return nil
		}
	}
	if len(stages) == 0 {
		return Errorf(EINVALID, "unknown stage %q: no survey is configured", stage)
	}
	return Errorf(EINVALID, "unknown stage %q (configured stages: %s)", stage, strings.Join(stages, ", "))
}

// touch records the touchpoint for ct and schedules or skips each plan it triggers.
func (s *Service) touch(tx Tx, ct Contact, r TouchRequest, now time.Time) (TouchResult, error) {
	at := r.OccurredAt
	if at.IsZero() {
		at = now
	}
	key := r.Key
	if key == "" && r.Ref != "" {
		key = "ref:" + ct.Ref.String() + ":" + r.Stage + ":" + r.Ref
	}
	tp := Touchpoint{ContactID: ct.ID, Stage: r.Stage, Ref: r.Ref, OccurredAt: at, CreatedAt: now, Key: key}
	created, err := tx.CreateTouchpoint(&tp)
	if err != nil {
		return TouchResult{}, fmt.Errorf("touchpoint: %w", err)
	}
	res := TouchResult{Touchpoint: tp, Created: created}
	if !created && (tp.ContactID != ct.ID || tp.Stage != r.Stage || tp.Ref != r.Ref) {
		return TouchResult{}, Errorf(ECONFLICT, "the idempotency key %q was already used for another touchpoint", key)
	}
	if !created {
		runs, err := tx.Runs(RunFilter{TouchpointID: tp.ID})
		if err != nil {
			return TouchResult{}, err
		}
		for _, run := range runs {
			res.Surveys = append(res.Surveys, scheduled(run))
		}
		return res, nil
	}
	for _, plan := range s.set.Surveys {
		if plan.Trigger != r.Stage {
			continue
		}
		run, err := s.schedule(tx, ct, tp, plan, now)
		if err != nil {
			return TouchResult{}, err
		}
		res.Surveys = append(res.Surveys, scheduled(run))
	}
	return res, nil
}

func scheduled(r SurveyRun) ScheduledSurvey {
	return ScheduledSurvey{Plan: r.Plan, RunID: r.ID, State: r.State, DueAt: r.DueAt, Reason: r.SkipReason}
}

// schedule creates the run of plan for a touchpoint: due at occurred + delay, moved out of
// the customer's quiet hours; or skipped with the reason.
func (s *Service) schedule(tx Tx, ct Contact, tp Touchpoint, plan SurveyPlan, now time.Time) (SurveyRun, error) {
	due := s.set.Business.Quiet.After(tp.OccurredAt.Add(plan.Delay), s.location(ct.TimeZone))
	run := SurveyRun{ContactID: ct.ID, TouchpointID: tp.ID, Plan: plan.Name, State: RunScheduled,
		DueAt: due, CreatedAt: now}
	if plan.ExpireAfter > 0 {
		run.ExpiresAt = due.Add(plan.ExpireAfter)
	}
	reason, err := s.skipReason(tx, ct, run, now)
	if err != nil {
		return SurveyRun{}, err
	}
	if reason != "" {
		run.State, run.SkipReason = RunSkipped, reason
	}
	if err := tx.CreateRun(&run); err != nil {
		return SurveyRun{}, fmt.Errorf("create run: %w", err)
	}
	if run.State == RunScheduled {
		// A back-dated touchpoint's survey is due at once, not late: the job falls due now,
		// so the due-work lag it reports is the scheduler's, not the touchpoint's age.
		if _, err := tx.AddJob(&Job{Kind: JobSurveySend, Subject: run.ID, DueAt: later(run.DueAt, now)}); err != nil {
			return SurveyRun{}, err
		}
	}
	return run, nil
}

// skipReason says why run must not be scheduled, or "" when it may.
func (s *Service) skipReason(tx Tx, ct Contact, run SurveyRun, now time.Time) (string, error) {
	if reason := s.unreachableReason(ct); reason != "" {
		return reason, nil
	}
	if !run.ExpiresAt.IsZero() && !run.ExpiresAt.After(now) {
		return "too old: it would have expired on " + s.day(run.ExpiresAt), nil
	}
	if s.set.Throttle <= 0 {
		return "", nil
	}
	recent, err := tx.Runs(RunFilter{ContactID: ct.ID,
		States:  []RunState{RunScheduled, RunSent, RunInProgress, RunCompleted, RunExpired},
		DueFrom: run.DueAt.Add(-s.set.Throttle), DueTo: run.DueAt.Add(s.set.Throttle)})
	if err != nil {
		return "", err
	}
	for _, r := range recent {
		if r.State == RunExpired && r.SentAt.IsZero() {
			continue // never reached them
		}
		return fmt.Sprintf("throttled: survey %q is due %s, within %s", r.Plan, s.day(r.DueAt),
			HumanDuration(s.set.Throttle)), nil
	}
	return "", nil
}

// unreachableReason says why no survey may go to ct now, or "".
func (s *Service) unreachableReason(ct Contact) string {
	switch {
	case !ct.ErasedAt.IsZero():
		return "customer erased their data"
	case !ct.OptedOutAt.IsZero():
		return "opted out (/stop) on " + s.day(ct.OptedOutAt)
	case ct.Unreachable != "":
		return "unreachable: " + ct.Unreachable
	case !s.set.Enabled(ct.Ref.Platform) && ct.Ref.Platform != Console:
		return string(ct.Ref.Platform) + " is not enabled in the configuration"
	}
	return ""
}
