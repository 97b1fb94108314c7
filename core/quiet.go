package core

import "time"

// After returns t if it lies outside the quiet hours in loc, else the end of the quiet
// window that contains it. Quiet hours are wall-clock times, so they hold across DST
// changes: "20:00-09:00" ends at 09:00 local time on the day after a clock change too.
func (q QuietHours) After(t time.Time, loc *time.Location) time.Time {
	if q.IsZero() {
		return t
	}
	local := t.In(loc)
	y, m, d := local.Date()
	tod := time.Duration(local.Hour())*time.Hour + time.Duration(local.Minute())*time.Minute +
		time.Duration(local.Second())*time.Second + time.Duration(local.Nanosecond())
	at := func(day int, off time.Duration) time.Time {
		return time.Date(y, m, day, int(off/time.Hour), int(off%time.Hour/time.Minute), 0, 0, loc)
	}
	if q.From < q.To { // same day, e.g. 12:00-14:00
		if tod >= q.From && tod < q.To {
			return at(d, q.To)
		}
		return t
	}
	switch { // wraps midnight, e.g. 20:00-09:00
	case tod >= q.From:
		return at(d+1, q.To)
	case tod < q.To:
		return at(d, q.To)
	}
	return t
}

// Contains reports whether t is inside the quiet hours in loc.
func (q QuietHours) Contains(t time.Time, loc *time.Location) bool {
	return !q.After(t, loc).Equal(t)
}
