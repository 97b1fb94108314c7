package core

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Changing the opening hours (or the clock) applies to the time still left on running
// complaints; what was used stays used. The clock the deadlines were computed on is kept
// in the state table; when the service starts with another, each running deadline's time
// left is measured on the old clock from now and laid out again on the new one, and its
// warning and escalation jobs move with it.

// stateStandardClock is the state key of the clock the stored deadlines follow.
const stateStandardClock = "standards_clock"

// clockSpec describes a StandardClock so that it can be rebuilt.
type clockSpec struct {
	Kind     ClockKind `json:"kind"`
	Zone     string    `json:"zone,omitempty"`
	Hours    string    `json:"hours,omitempty"`
	Holidays []string  `json:"holidays,omitempty"`
}

// specOf describes the settings' standards clock.
func specOf(set *Settings) clockSpec {
	h, ok := set.StandardClock().(*BusinessHours)
	if !ok {
		return clockSpec{Kind: ClockCalendar}
	}
	sp := clockSpec{Kind: ClockBusiness, Zone: h.Location.String(), Hours: h.Spec()}
	for d := range h.Holidays {
		sp.Holidays = append(sp.Holidays, d)
	}
	sort.Strings(sp.Holidays)
	return sp
}

// clock rebuilds the clock; an unreadable spec counts as the calendar.
func (sp clockSpec) clock() StandardClock {
	if sp.Kind != ClockBusiness {
		return Calendar{}
	}
	loc, err := time.LoadLocation(sp.Zone)
	if err != nil {
		return Calendar{}
	}
	h, err := ParseBusinessHours(sp.Hours, sp.Holidays, loc)
	if err != nil {
		return Calendar{}
	}
	return h
}

// Spec writes the hours the way ParseBusinessHours reads them, one day at a time.
func (h *BusinessHours) Spec() string {
	var next [7][]Window
	for d, ws := range h.Week {
		for _, w := range ws {
			if w.To > 24*time.Hour { // past midnight: the rest belongs to the next day
				next[(d+1)%7] = append(next[(d+1)%7], Window{From: 0, To: w.To - 24*time.Hour})
				w.To = 24 * time.Hour
			}
			next[d] = append(next[d], w)
		}
	}
	var groups []string
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday,
		time.Saturday, time.Sunday} {
		if len(next[d]) == 0 {
			continue
		}
		var ws []string
		for _, w := range next[d] {
			ws = append(ws, clockTime(w.From)+"-"+clockTime(w.To))
		}
		groups = append(groups, d.String()[:3]+" "+strings.Join(ws, ","))
	}
	return strings.Join(groups, "; ")
}

// ApplyStandardClock moves the deadlines of running complaints to the standards clock of
// the settings when it differs from the one they were computed on, and records the clock.
// It returns how many complaints moved. Run calls it at start.
func (s *Service) ApplyStandardClock(ctx context.Context) (int, error) {
	cur := specOf(&s.set)
	curJSON, err := json.Marshal(cur)
	if err != nil {
		return 0, fmt.Errorf("core: standards clock: %w", err)
	}
	moved := 0
	err = s.update(ctx, func(tx Tx) error {
		moved = 0
		// Before this was recorded every deadline was counted on the calendar.
		old, err := tx.State(stateStandardClock)
		if IsNotFound(err) {
			old, err = `{"kind":"calendar"}`, nil
		}
		if err != nil {
			return err
		}
		if old != string(curJSON) {
			var sp clockSpec
			if err := json.Unmarshal([]byte(old), &sp); err != nil {
				sp = clockSpec{Kind: ClockCalendar}
			}
			if moved, err = s.moveDeadlines(tx, sp.clock(), s.clock.Now()); err != nil {
				return err
			}
		}
		return tx.SetState(stateStandardClock, string(curJSON))
	})
	if err != nil {
		return 0, fmt.Errorf("core: standards clock: %w", err)
	}
	return moved, nil
}

// moveDeadlines lays the time each running deadline had left on the old clock out again
// on the current one.
func (s *Service) moveDeadlines(tx Tx, old StandardClock, now time.Time) (int, error) {
	list, err := tx.Complaints(ComplaintFilter{Statuses: []ComplaintStatus{StatusOpen, StatusAcknowledged}})
	if err != nil {
		return 0, err
	}
	clock, std := s.set.StandardClock(), s.set.Complaints
	moved := 0
	for _, cp := range list {
		changed := false
		move := func(due *time.Time, within time.Duration, warn, breach JobKind) error {
			if !due.After(now) {
				return nil // passed: its escalation is done or due now
			}
			left := old.Between(now, *due)
			*due = clock.Add(now, left)
			if err := s.cancelJobs(tx, cp.ID, warn, breach); err != nil {
				return err
			}
			if warnLeft := left - within/4; warnLeft > 0 {
				if _, err := tx.AddJob(&Job{Kind: warn, Subject: cp.ID, DueAt: clock.Add(now, warnLeft)}); err != nil {
					return err
				}
			}
			_, err := tx.AddJob(&Job{Kind: breach, Subject: cp.ID, DueAt: *due})
			changed = true
			return err
		}
		if cp.Status == StatusOpen && cp.AckAt.IsZero() {
			if err := move(&cp.AckDue, std.AcknowledgeWithin, JobAckWarn, JobAckBreach); err != nil {
				return 0, err
			}
		}
		if cp.WaitingAt.IsZero() { // a paused clock keeps its time left until it runs again
			if err := move(&cp.ResolveDue, std.ResolveWithin, JobResolveWarn, JobResolveBreach); err != nil {
				return 0, err
			}
		}
		if !changed {
			continue
		}
		if err := tx.UpdateComplaint(cp); err != nil {
			return 0, err
		}
		if err := s.editCard(tx, cp, now); err != nil {
			return 0, err
		}
		moved++
	}
	return moved, nil
}
