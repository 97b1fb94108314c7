package core

import "time"

// WallClockSchedule makes a schedule fire by wall-clock time in loc, once per matching local time,
// whatever daylight saving does. inner must be evaluated in UTC, which has no DST: a cron
// schedule parsed with its location set to UTC.
//
// Cron libraries evaluate in the zone itself, so a job at 02:30 never fires on the day the
// clocks skip from 02:00 to 03:00, and one at 01:30 fires twice on the day the clocks go back.
// WallClockSchedule fires the first at 03:30 (when 02:30 would have been) and the second once.
func WallClockSchedule(inner Schedule, loc *time.Location) Schedule {
	return wallClockSchedule{inner: inner, loc: loc}
}

// WallClock is the old name of WallClockSchedule (it is a schedule, not a clock).
//
// Deprecated: use WallClockSchedule.
func WallClock(inner Schedule, loc *time.Location) Schedule { return WallClockSchedule(inner, loc) }

type wallClockSchedule struct {
	inner Schedule
	loc   *time.Location
}

func (w wallClockSchedule) Next(t time.Time) time.Time {
	l := t.In(w.loc)
	wall := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
	for range 1000 {
		n := w.inner.Next(wall)
		if n.IsZero() {
			return n
		}
		// time.Date moves a wall time that does not exist forward by the gap, and picks
		// one of the two instants of a wall time that happens twice.
		at := time.Date(n.Year(), n.Month(), n.Day(), n.Hour(), n.Minute(), n.Second(), n.Nanosecond(), w.loc)
		if at.After(t) {
			return at
		}
		wall = n
	}
	return time.Time{}
}
