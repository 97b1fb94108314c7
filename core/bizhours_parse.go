package core

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseBusinessHours reads opening hours written as weekday groups and their windows,
// "Mon-Fri 09:00-12:30,13:30-18:00; Sat 10:00-14:00", and holidays as dates
// ("2026-12-24"), in loc. Days are Mon … Sun, alone, in ranges (Fri-Mon wraps) or in lists
// ("Mon,Wed-Fri"); a day not named is closed. A window runs from HH:MM to a later HH:MM,
// at most 24:00; an opening past midnight is written as two windows, "Fri 22:00-24:00;
// Sat 00:00-02:00". An error names the part that is wrong.
func ParseBusinessHours(spec string, holidays []string, loc *time.Location) (*BusinessHours, error) {
	h := &BusinessHours{Location: loc, Holidays: map[string]bool{}}
	for _, group := range strings.Split(spec, ";") {
		group = strings.TrimSpace(group)
		if group == "" {
			continue
		}
		daysPart, windowsPart, ok := strings.Cut(group, " ")
		if !ok {
			return nil, fmt.Errorf("%q: want days and windows, as in \"Mon-Fri 09:00-18:00\"", group)
		}
		days, err := parseDays(daysPart)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", group, err)
		}
		for _, ws := range strings.Split(windowsPart, ",") {
			w, err := parseWindow(strings.TrimSpace(ws))
			if err != nil {
				return nil, err
			}
			for _, d := range days {
				h.Week[d] = append(h.Week[d], w)
			}
		}
	}
	for _, day := range holidays {
		if _, err := time.ParseInLocation(time.DateOnly, day, loc); err != nil {
			return nil, fmt.Errorf("holiday %q is not a date like 2026-12-24", day)
		}
		h.Holidays[day] = true
	}
	h.SortWindows()
	if err := h.Validate(); err != nil {
		return nil, err
	}
	return h, nil
}

var weekdays = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
	"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

// parseDays reads "Mon-Fri", "Sat", "Mon,Wed-Fri".
func parseDays(s string) ([]time.Weekday, error) {
	var out []time.Weekday
	for _, part := range strings.Split(s, ",") {
		from, to, isRange := strings.Cut(part, "-")
		a, ok := weekdays[strings.ToLower(strings.TrimSpace(from))]
		if !ok {
			return nil, fmt.Errorf("%q is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)", from)
		}
		b := a
		if isRange {
			if b, ok = weekdays[strings.ToLower(strings.TrimSpace(to))]; !ok {
				return nil, fmt.Errorf("%q is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)", to)
			}
		}
		for d := a; ; d = (d + 1) % 7 {
			out = append(out, d)
			if d == b {
				break
			}
		}
	}
	return out, nil
}

// parseWindow reads "09:00-12:30".
func parseWindow(s string) (Window, error) {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return Window{}, fmt.Errorf("window %q: want HH:MM-HH:MM", s)
	}
	f, err := parseClock(from, false)
	if err != nil {
		return Window{}, fmt.Errorf("window %q: %w", s, err)
	}
	t, err := parseClock(to, true)
	if err != nil {
		return Window{}, fmt.Errorf("window %q: %w", s, err)
	}
	if t <= f {
		return Window{}, fmt.Errorf("window %q ends before it starts (past midnight, write 22:00-24:00 and the next day 00:00-02:00)", s)
	}
	return Window{From: f, To: t}, nil
}

// parseClock reads "HH:MM", 00:00 to 23:59, and 24:00 when end is set.
func parseClock(s string, end bool) (time.Duration, error) {
	s = strings.TrimSpace(s)
	hh, mm, ok := strings.Cut(s, ":")
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if !ok || err1 != nil || err2 != nil || len(hh) != 2 || len(mm) != 2 || h < 0 || m < 0 || m > 59 ||
		h > 24 || (h == 24 && (m != 0 || !end)) {
		return 0, fmt.Errorf("%q is not a time of day (00:00 to 24:00)", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}
