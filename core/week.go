package core

import "time"

// WeekOf returns the ISO week that t falls in, in loc.
func WeekOf(t time.Time, loc *time.Location) Week {
	y, n := t.In(loc).ISOWeek()
	return Week{Year: y, Num: n}
}

// Start returns the instant the week begins in loc: Monday 00:00 local time.
func (w Week) Start(loc *time.Location) time.Time {
	// January 4th is always in week 1.
	jan4 := time.Date(w.Year, time.January, 4, 0, 0, 0, 0, loc)
	offset := (int(jan4.Weekday()) + 6) % 7 // days since Monday
	return time.Date(w.Year, time.January, 4-offset+(w.Num-1)*7, 0, 0, 0, 0, loc)
}

// End returns the instant the next week begins in loc.
func (w Week) End(loc *time.Location) time.Time { return w.Add(1).Start(loc) }

// Add returns the week n weeks later (earlier for negative n).
func (w Week) Add(n int) Week {
	// Noon on Thursday is in the week whatever the zone; step in days from there.
	thu := w.Start(time.UTC).AddDate(0, 0, 3+7*n)
	return WeekOf(thu, time.UTC)
}

func weeksInYear(year int) int {
	_, n := time.Date(year, time.December, 28, 12, 0, 0, 0, time.UTC).ISOWeek()
	return n
}
