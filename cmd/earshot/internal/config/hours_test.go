package config

import (
	"strings"
	"testing"
	"time"

	"earshot/core"
)

func TestBadHours(t *testing.T) {
	for _, tt := range []struct{ name, yaml, path, reason string }{
		{"hour 25", `business: {hours: "Mon-Fri 09:00-25:00"}`, "business.hours", `"25:00" is not a time of day`},
		{"overlapping windows", `business: {hours: "Mon-Fri 09:00-13:00,12:00-18:00"}`, "business.hours", "overlaps"},
		{"reversed window", `business: {hours: "Mon-Fri 18:00-09:00"}`, "business.hours", `window "18:00-09:00" ends before it starts`},
		{"unknown day", `business: {hours: "Mon-Fro 09:00-18:00"}`, "business.hours", `"Fro" is not a day`},
		{"holiday not a date", "business: {hours: \"Mon-Fri 09:00-18:00\", holidays: [2026-12-24, Xmas]}\n", "business.holidays[1]", `"Xmas" is not a date`},
		{"holidays without hours", "business: {holidays: [2026-12-24]}\n", "business.holidays", "without business.hours"},
		{"unknown clock", "complaints: {clock: office}\n", "complaints.clock", "use calendar"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), noEnv)
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if strings.HasPrefix(line, tt.path+": ") && strings.Contains(line, tt.reason) {
					return
				}
			}
			t.Fatalf("error\n%v\nhas no line %q…%q", err, tt.path+": ", tt.reason)
		})
	}
}

func TestHoursReachSettings(t *testing.T) {
	c, err := Parse([]byte(`business: {name: A, timezone: Europe/Berlin, hours: "Mon-Fri 09:00-12:30,13:30-18:00; Sat 10:00-14:00",
  holidays: [2026-12-24]}
complaints: {clock: business, acknowledge_within: 4h}
`), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Settings()
	if err != nil {
		t.Fatal(err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	fri := time.Date(2026, 12, 4, 17, 0, 0, 0, berlin)
	if got, want := s.StandardClock().Add(fri, 4*time.Hour), time.Date(2026, 12, 5, 13, 0, 0, 0, berlin); !got.Equal(want) {
		t.Errorf("Friday 17:00 + 4 h = %s, want Saturday 13:00", got)
	}
	if s.Complaints.Clock != core.ClockBusiness || s.Business.Hours == nil || !s.Business.Hours.Holidays["2026-12-24"] {
		t.Errorf("settings = %+v", s.Complaints)
	}
	// The default clock is the calendar, hours or not.
	c.Complaints.Clock = ""
	s, _ = c.Settings()
	if _, ok := s.StandardClock().(core.Calendar); !ok {
		t.Errorf("StandardClock without complaints.clock = %T, want the calendar", s.StandardClock())
	}
}
