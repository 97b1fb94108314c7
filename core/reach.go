package core

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// JobWaitExpire skips a waiting touch (Subject) that no link reached in time.
const JobWaitExpire JobKind = "wait_expire"

// RunWaiting is the state reported for a survey a touchpoint will schedule once the
// business's customer id is linked to a chat account. No survey run has it.
const RunWaiting RunState = "waiting"

// notReachable is the reason a waiting touch is skipped with.
const notReachable = "not reachable yet"

// linkedContacts returns the contacts linked to id, the one to reach them on first: a
// reachable account before an unreachable one, then the most recently active (its last
// message, else its link), then the most recently linked.
func linkedContacts(tx Tx, id ExternalRef) ([]Contact, error) {
	links, err := tx.Links(id)
	if err != nil {
		return nil, err
	}
	type cand struct {
		ct     Contact
		linked time.Time
	}
	var cs []cand
	for _, l := range links {
		ct, err := tx.Contact(l.ContactID)
		if err != nil {
			return nil, err
		}
		if ct.ErasedAt.IsZero() {
			cs = append(cs, cand{ct, l.LinkedAt})
		}
	}
	active := func(c cand) time.Time { return later(c.ct.SeenAt, c.linked) }
	slices.SortStableFunc(cs, func(a, b cand) int {
		if ra, rb := a.ct.Unreachable == "", b.ct.Unreachable == ""; ra != rb {
			if ra {
				return -1
			}
			return 1
		}
		if c := active(b).Compare(active(a)); c != 0 {
			return c
		}
		return cmp.Compare(b.linked.UnixNano(), a.linked.UnixNano())
	})
	out := make([]Contact, len(cs))
	for i, c := range cs {
		out[i] = c.ct
	}
	return out, nil
}

// touchKey is a touchpoint's idempotency key: the request's, else customer + stage + ref
// when a ref is given (for the business's id, its id rather than whichever account is
// linked, so a repeat finds the first one however the account changed), else none.
func touchKey(r TouchRequest, who string) string {
	if r.Key != "" || r.Ref == "" {
		return r.Key
	}
	return "ref:" + who + ":" + r.Stage + ":" + r.Ref
}

// touchExternal records a touchpoint for the business's id: on the account linked to it
// that is most recently active, or, with none linked yet, as a waiting touch whose surveys
// are scheduled when the customer opens an invite carrying the id.
func (s *Service) touchExternal(tx Tx, r TouchRequest, now time.Time) (TouchResult, error) {
	r.Key = touchKey(r, r.External.String())
	cts, err := linkedContacts(tx, r.External)
	if err != nil {
		return TouchResult{}, err
	}
	if len(cts) > 0 {
		// A repeat finds the first touchpoint on whichever account it was recorded on, even
		// if another became the most recently active since.
		var res TouchResult
		for _, ct := range cts {
			r.Customer = ct.Ref
			if res, err = s.touch(tx, ct, r, now); ErrorCode(err) != ECONFLICT {
				break
			}
		}
		return res, err
	}
	at := r.OccurredAt
	if at.IsZero() {
		at = now
	}
	w := WaitingTouch{Customer: r.External, Stage: r.Stage, Ref: r.Ref, OccurredAt: at, CreatedAt: now,
		Key: r.Key, State: WaitWaiting, Until: s.waitUntil(r.Stage, at)}
	if !w.Until.IsZero() && !w.Until.After(now) {
		w.State, w.Reason = WaitSkipped, notReachable
	}
	created, err := tx.AddWaitingTouch(&w)
	if err != nil {
		return TouchResult{}, fmt.Errorf("waiting touchpoint: %w", err)
	}
	if !created && (w.Customer != r.External || w.Stage != r.Stage || w.Ref != r.Ref) {
		return TouchResult{}, Errorf(ECONFLICT, "the idempotency key %q was already used for another touchpoint", r.Key)
	}
	if created && w.State == WaitWaiting && !w.Until.IsZero() {
		if _, err := tx.AddJob(&Job{Kind: JobWaitExpire, Subject: w.ID, DueAt: w.Until}); err != nil {
			return TouchResult{}, err
		}
	}
	res := TouchResult{Created: created, Waiting: true,
		Touchpoint: Touchpoint{Stage: w.Stage, Ref: w.Ref, OccurredAt: w.OccurredAt, CreatedAt: w.CreatedAt, Key: w.Key}}
	for _, plan := range s.set.Surveys {
		if plan.Trigger != w.Stage {
			continue
		}
		sv := ScheduledSurvey{Plan: plan.Name, State: RunWaiting, DueAt: s.planDue(plan, w.OccurredAt),
			Reason: s.waitReason(w)}
		if w.State != WaitWaiting {
			sv.State, sv.Reason = RunSkipped, w.Reason
		}
		res.Surveys = append(res.Surveys, sv)
	}
	return res, nil
}

func (s *Service) waitReason(w WaitingTouch) string {
	reason := notReachable + ": sent once " + w.Customer.String() + " opens an invite"
	if !w.Until.IsZero() {
		reason += " by " + stamp(w.Until, s.set.Business.Location)
	}
	return reason
}

// planDue is when plan's survey for a touchpoint at occurred falls due (in the business's
// quiet hours: the customer's time zone is not known before a link).
func (s *Service) planDue(plan SurveyPlan, occurred time.Time) time.Time {
	return s.set.Business.Quiet.After(occurred.Add(plan.Delay), s.set.Business.Location)
}

// waitUntil is the last moment a link still gets a touchpoint of the stage its surveys:
// the latest expiry of the plans it triggers; zero when one of them never expires.
func (s *Service) waitUntil(stage string, occurred time.Time) time.Time {
	var until time.Time
	for _, plan := range s.set.Surveys {
		if plan.Trigger != stage {
			continue
		}
		if plan.ExpireAfter <= 0 {
			return time.Time{}
		}
		until = later(until, s.planDue(plan, occurred).Add(plan.ExpireAfter))
	}
	return until
}

// link ties the contact to the business's id and turns the id's waiting touches into
// touchpoints of the contact (their surveys scheduled as usual), or skips those whose
// time has passed.
func (s *Service) link(tx Tx, ct Contact, id ExternalRef, now time.Time) error {
	if err := tx.LinkCustomer(id, ct.ID, now); err != nil {
		return fmt.Errorf("link %s: %w", id, err)
	}
	waiting, err := tx.WaitingTouches(id, WaitWaiting)
	if err != nil {
		return err
	}
	for _, w := range waiting {
		if !w.Until.IsZero() && !w.Until.After(now) {
			w.State, w.Reason = WaitSkipped, notReachable
		} else {
			res, err := s.touch(tx, ct, TouchRequest{Customer: ct.Ref, Stage: w.Stage, Ref: w.Ref,
				OccurredAt: w.OccurredAt, Key: w.Key}, now)
			if ErrorCode(err) == ECONFLICT {
				w.State, w.Reason = WaitSkipped, ErrorMessage(err)
			} else if err != nil {
				return err
			} else {
				w.State, w.TouchpointID = WaitLinked, res.Touchpoint.ID
			}
		}
		if err := tx.UpdateWaitingTouch(w); err != nil {
			return err
		}
		if err := tx.CancelJobs(JobWaitExpire, w.ID); err != nil {
			return err
		}
	}
	return nil
}

// waitExpired skips a waiting touch that no link reached in time.
func (s *Service) waitExpired(tx Tx, id int64) error {
	w, err := tx.WaitingTouch(id)
	if IsNotFound(err) {
		return nil
	} else if err != nil {
		return err
	}
	if w.State != WaitWaiting {
		return nil
	}
	w.State, w.Reason = WaitSkipped, notReachable
	return tx.UpdateWaitingTouch(w)
}
