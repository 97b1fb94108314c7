package core

import (
	"fmt"
	"sort"
	"time"
)

// A complaint standard ("acknowledged within 4 hours") is counted on a StandardClock: every
// hour (Calendar), or only the hours the business is open (BusinessHours), so that a
// complaint filed on Friday at 17:00 with 4 h to acknowledge is due on Monday at 12:00,
// not on Friday night.

// StandardClock counts time for the complaint standards.
type StandardClock interface {
	// Add returns the instant at which d of counted time has passed since t. Counted
	// time starts at t, or at the next opening when t is outside the counted hours.
	Add(t time.Time, d time.Duration) time.Time
	// Between returns the counted time from a to b (0 when b is not after a).
	Between(a, b time.Time) time.Duration
}

// Calendar counts every hour of every day.
type Calendar struct{}

// Add returns t + d.
func (Calendar) Add(t time.Time, d time.Duration) time.Time { return t.Add(d) }

// Between returns b - a, or 0 when b is not after a.
func (Calendar) Between(a, b time.Time) time.Duration { return max(b.Sub(a), 0) }

// BusinessHours are the hours a business is open, by weekday, in its time zone, less its
// holidays. Durations in them are real elapsed time: an open window across a daylight-
// saving change counts the hour that was skipped or repeated as the clock on the wall did.
type BusinessHours struct {
	Location *time.Location
	// Week holds each weekday's windows (indexed by time.Weekday), sorted and not
	// overlapping. A window belongs to the day it opens on; one past midnight (To > 24h)
	// closes the next day.
	Week [7][]Window
	// Holidays are closed all day (the windows that open on them do not), by date
	// ("2026-12-24").
	Holidays map[string]bool
}

// Window is an opening from From to To, offsets from local midnight (To > From; To up to
// 48h for a window past midnight).
type Window struct{ From, To time.Duration }

func (w Window) String() string { return clockTime(w.From) + "-" + clockTime(w.To%(24*time.Hour)) }

func clockTime(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// maxClosedDays bounds the search for an opening: a year of holidays and weekends.
const maxClosedDays = 800

// Validate checks that the hours can be counted: a time zone, at least one window a week,
// and windows in order, within their bounds and not overlapping (also a window past
// midnight with the next day's first).
func (h *BusinessHours) Validate() error {
	if h.Location == nil {
		return fmt.Errorf("business hours without a time zone")
	}
	any := false
	for d := range h.Week {
		ws := h.Week[d]
		for i, w := range ws {
			any = true
			if w.From < 0 || w.From >= 24*time.Hour || w.To <= w.From || w.To > w.From+24*time.Hour {
				return fmt.Errorf("%s %s: not a window within a day", time.Weekday(d).String()[:3], w)
			}
			if i > 0 && w.From < ws[i-1].To {
				return fmt.Errorf("%s %s overlaps %s", time.Weekday(d).String()[:3], w, ws[i-1])
			}
		}
		if n := len(ws); n > 0 && ws[n-1].To > 24*time.Hour {
			next := h.Week[(d+1)%7]
			if len(next) > 0 && next[0].From < ws[n-1].To-24*time.Hour {
				return fmt.Errorf("%s %s overlaps %s %s", time.Weekday(d).String()[:3], ws[n-1],
					time.Weekday((d + 1) % 7).String()[:3], next[0])
			}
		}
	}
	if !any {
		return fmt.Errorf("business hours with no opening in the week")
	}
	return nil
}

// SortWindows orders each day's windows by their opening.
func (h *BusinessHours) SortWindows() {
	for d := range h.Week {
		sort.Slice(h.Week[d], func(i, j int) bool { return h.Week[d][i].From < h.Week[d][j].From })
	}
}

// openings calls fn with each open interval [s, e) that ends after t, in order, until fn
// returns false or maxClosedDays days without an opening have gone by.
func (h *BusinessHours) openings(t time.Time, fn func(s, e time.Time) bool) {
	local := t.In(h.Location)
	// Start the day before: a window past midnight may still be open.
	y, m, d := local.Date()
	day := time.Date(y, m, d-1, 0, 0, 0, 0, h.Location)
	closed := 0
	for closed < maxClosedDays {
		dy, dm, dd := day.Date()
		found := false
		if !h.Holidays[day.Format(time.DateOnly)] {
			for _, w := range h.Week[day.Weekday()] {
				s := wallTime(dy, dm, dd, w.From, h.Location)
				e := wallTime(dy, dm, dd, w.To, h.Location)
				if !e.After(t) || !e.After(s) {
					continue
				}
				found = true
				if !fn(s, e) {
					return
				}
			}
		}
		if found {
			closed = 0
		} else {
			closed++
		}
		day = time.Date(dy, dm, dd+1, 0, 0, 0, 0, h.Location)
	}
}

// wallTime returns the instant the wall clock shows midnight + off on the date (time.Date's
// rule for a time skipped or repeated by a daylight-saving change).
func wallTime(y int, m time.Month, d int, off time.Duration, loc *time.Location) time.Time {
	mins := int(off / time.Minute)
	return time.Date(y, m, d, mins/60, mins%60, int(off%time.Minute/time.Second), 0, loc)
}

// Add returns the instant at which d of open time has passed since t; with t outside the
// hours, counting starts at the next opening. d <= 0 returns t.
func (h *BusinessHours) Add(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	out, left := time.Time{}, d
	h.openings(t, func(s, e time.Time) bool {
		if s.Before(t) {
			s = t
		}
		if avail := e.Sub(s); left <= avail {
			out = s.Add(left)
			return false
		} else {
			left -= avail
		}
		return true
	})
	if out.IsZero() { // no opening for years: count the calendar rather than never
		return t.Add(d)
	}
	return out
}

// Between returns the open time from a to b (0 when b is not after a).
func (h *BusinessHours) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	var sum time.Duration
	h.openings(a, func(s, e time.Time) bool {
		if !s.Before(b) {
			return false
		}
		if s.Before(a) {
			s = a
		}
		if e.After(b) {
			e = b
		}
		sum += e.Sub(s)
		return true
	})
	return sum
}

// IsOpen reports whether the business is open at t.
func (h *BusinessHours) IsOpen(t time.Time) bool {
	open := false
	h.openings(t, func(s, e time.Time) bool {
		open = !s.After(t)
		return false
	})
	return open
}
