package core_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"earshot/core"
)

// realState is one customer's state as stored.
type realState struct {
	found     bool
	ct        core.Contact
	live      []core.SurveyRun
	waiting   []int64
	answers   []string
	complaint core.Complaint // ID 0: none active
	thread    []core.ThreadMessage
}

func (r *modelRun) read(who string) realState {
	var s realState
	err := r.e.db.View(context.Background(), func(tx core.Tx) error {
		ct, err := tx.ContactByRef(user(who))
		if core.IsNotFound(err) {
			return nil
		} else if err != nil {
			return err
		}
		s.found, s.ct = true, ct
		if s.live, err = tx.Runs(core.RunFilter{ContactID: ct.ID, States: []core.RunState{core.RunSent, core.RunInProgress}}); err != nil {
			return err
		}
		sched, err := tx.Runs(core.RunFilter{ContactID: ct.ID, States: []core.RunState{core.RunScheduled}})
		if err != nil {
			return err
		}
		for _, run := range sched {
			s.waiting = append(s.waiting, run.ID)
		}
		as, err := tx.Answers(0, ct.ID)
		if err != nil {
			return err
		}
		for _, a := range as {
			v := a.Text
			switch {
			case a.Skipped:
				v = "skip"
			case a.Score != nil:
				v = strconv.Itoa(*a.Score)
			}
			s.answers = append(s.answers, fmt.Sprintf("%d:%s=%s", a.RunID, a.QuestionKey, v))
		}
		cs, err := tx.Complaints(core.ComplaintFilter{ContactID: ct.ID,
			Statuses: []core.ComplaintStatus{core.StatusOpen, core.StatusAcknowledged, core.StatusResolved}})
		if err != nil {
			return err
		}
		if len(cs) > 1 {
			return fmt.Errorf("%d active complaints", len(cs))
		}
		if len(cs) == 1 {
			s.complaint = cs[0]
			s.thread, err = tx.Thread(cs[0].ID)
		}
		return err
	})
	if err != nil {
		r.t.Fatalf("read %s: %v", who, err)
	}
	return s
}

func (r *modelRun) check(who string) {
	r.t.Helper()
	{
		c, s := r.m.cust(who), r.read(who)
		fail := func(format string, args ...any) {
			r.t.Helper()
			r.t.Errorf("%s: "+format, append([]any{who}, args...)...)
		}
		if !s.found {
			if c.prompt.kind != core.PendingNone || c.live != 0 || c.complaint != 0 || len(c.answers) > 0 || len(c.waiting) > 0 {
				fail("no contact stored; the model has %+v", *c)
			}
			return
		}
		got := refPrompt{kind: s.ct.Pending, run: s.ct.PendingRun, complaint: s.ct.PendingComplaint}
		if got != c.prompt {
			fail("open prompt %+v; the model says %+v", got, c.prompt)
		}
		// At most one live survey, the model's, at the model's question.
		switch {
		case len(s.live) > 1:
			fail("%d live surveys", len(s.live))
		case len(s.live) == 1 && (s.live[0].ID != c.live || s.live[0].Question != c.q):
			fail("live run %d at question %d; the model says run %d at %d", s.live[0].ID, s.live[0].Question, c.live, c.q)
		case len(s.live) == 0 && c.live != 0:
			fail("no live run; the model says run %d", c.live)
		}
		var waiting []int64
		for _, w := range c.waiting {
			waiting = append(waiting, w.run)
		}
		if fmt.Sprint(waiting) != fmt.Sprint(s.waiting) {
			fail("waiting runs %v; the model says %v", s.waiting, waiting)
		}
		if fmt.Sprint(s.answers) != fmt.Sprint(c.answers) {
			fail("answers %q; the model says %q", s.answers, c.answers)
		}
		if s.complaint.ID != c.complaint || (c.complaint != 0 && s.complaint.Status != c.status) {
			fail("active complaint %d (%s); the model says %d (%s)", s.complaint.ID, s.complaint.Status, c.complaint, c.status)
		}
		// Nobody waits on a closed prompt: the open prompt's subject is still asking, and a
		// paused survey has something that will resume it.
		if got.kind == core.PendingSurvey && (len(s.live) == 0 || s.live[0].ID != got.run) {
			fail("the prompt is a survey question of run %d, which is not live", got.run)
		}
		if got.kind == core.PendingSolved && (s.complaint.ID != got.complaint || s.complaint.Status != core.StatusResolved) {
			fail("the prompt asks whether %d is solved; it is not resolved", got.complaint)
		}
		if got.kind == core.PendingNone && s.complaint.ID == 0 && len(s.live) > 0 {
			fail("a paused survey with nothing open and nothing to resume it")
		}
	}
}

// checkOutcome checks that a typed message went where the model says: nothing is lost.
func (r *modelRun) checkOutcome(who, text string, out outcome) {
	r.t.Helper()
	s := r.read(who)
	switch out {
	case outReprompt:
		if l := r.e.last(who); !strings.Contains(l, "whole number") {
			r.t.Errorf("%s: %q to a scale question: last message %q; want a re-prompt", who, text, l)
		}
	case outComplaint, outThread:
		var last string
		for _, m := range s.thread {
			if !m.FromTeam {
				last = m.Text
			}
		}
		if last != text {
			r.t.Errorf("%s: %q should be in the complaint's thread; its last customer message is %q", who, text, last)
		}
	case outOffer:
		if s.ct.Pending != core.PendingFileOffer || !strings.Contains(s.ct.PendingText, text) {
			r.t.Errorf("%s: %q should be offered for filing; prompt %s with %q", who, text, s.ct.Pending, s.ct.PendingText)
		}
	}
}
