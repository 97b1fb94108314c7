package core

import (
	"fmt"
	"time"
)

// HumanDuration writes d the way a person would say it: "12 hours", "2 days", "1d 4h",
// "45 min".
func HumanDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour && d%time.Hour == 0:
		return plural(int(d.Hours()), "hour", "hours")
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
	case d%(24*time.Hour) == 0:
		return plural(int(d.Hours()/24), "day", "days")
	}
	return fmt.Sprintf("%dd %dh", int(d.Hours())/24, int(d.Hours())%24)
}

// stamp writes an instant in the business time zone: "Mon 23 Nov 14:05".
func stamp(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(loc).Format("Mon 2 Jan 15:04")
}

// day writes an instant's date in the business time zone: "2026-11-23".
func (s *Service) day(t time.Time) string { return t.In(s.set.Business.Location).Format("2006-01-02") }
