package core

import (
	"testing"
	"time"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestQuietHours(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	q := QuietHours{From: 20 * time.Hour, To: 9 * time.Hour}
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, berlin) }
	tests := []struct {
		name string
		in   time.Time
		want time.Time
	}{
		{"daytime stays", at(2026, 11, 20, 14, 0), at(2026, 11, 20, 14, 0)},
		{"evening moves to next morning", at(2026, 11, 20, 21, 30), at(2026, 11, 21, 9, 0)},
		{"early morning moves to same morning", at(2026, 11, 20, 3, 0), at(2026, 11, 20, 9, 0)},
		{"quiet end is not quiet", at(2026, 11, 20, 9, 0), at(2026, 11, 20, 9, 0)},
		{"quiet start is quiet", at(2026, 11, 20, 20, 0), at(2026, 11, 21, 9, 0)},
		// Clocks go back on 25 Oct 2026 at 03:00 in Berlin: the night is 25 hours long,
		// but quiet hours end at 09:00 wall-clock time all the same.
		{"across the autumn DST change", at(2026, 10, 24, 22, 0), at(2026, 10, 25, 9, 0)},
		{"across the spring DST change", at(2026, 3, 28, 23, 0), at(2026, 3, 29, 9, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := q.After(tt.in, berlin)
			if !got.Equal(tt.want) {
				t.Fatalf("After(%v) = %v; want %v", tt.in, got, tt.want)
			}
		})
	}
	if got := at(2026, 10, 25, 9, 0).Sub(at(2026, 10, 24, 22, 0)); got != 12*time.Hour {
		t.Fatalf("the autumn night should be an hour longer: %v", got)
	}
	day := QuietHours{From: 12 * time.Hour, To: 14 * time.Hour}
	if got := day.After(at(2026, 11, 20, 13, 0), berlin); !got.Equal(at(2026, 11, 20, 14, 0)) {
		t.Fatalf("midday window: %v", got)
	}
	if (QuietHours{}).After(at(2026, 11, 20, 23, 0), berlin) != at(2026, 11, 20, 23, 0) {
		t.Fatal("no quiet hours must not move anything")
	}
}

func TestWeeks(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	w, err := ParseWeek("2026-W47")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := w.Start(berlin), time.Date(2026, 11, 16, 0, 0, 0, 0, berlin); !got.Equal(want) {
		t.Fatalf("start = %v; want %v", got, want)
	}
	if got, want := w.End(berlin), time.Date(2026, 11, 23, 0, 0, 0, 0, berlin); !got.Equal(want) {
		t.Fatalf("end = %v; want %v", got, want)
	}
	// Sunday 23:30 in Berlin is still week 47 although it is Sunday 22:30 UTC — and Monday
	// 00:30 in Berlin is week 48 although UTC still says Sunday.
	if got := WeekOf(time.Date(2026, 11, 22, 23, 30, 0, 0, berlin), berlin); got.String() != "2026-W47" {
		t.Fatalf("Sunday night = %v", got)
	}
	if got := WeekOf(time.Date(2026, 11, 23, 0, 30, 0, 0, berlin), berlin); got.String() != "2026-W48" {
		t.Fatalf("Monday 00:30 = %v", got)
	}
	// Year boundaries: 2026-12-31 is a Thursday, in 2026-W53; 2027-01-04 starts 2027-W01.
	if got := WeekOf(time.Date(2027, 1, 1, 12, 0, 0, 0, berlin), berlin); got.String() != "2026-W53" {
		t.Fatalf("1 Jan 2027 = %v", got)
	}
	if got := (Week{2026, 53}).Add(1); got.String() != "2027-W01" {
		t.Fatalf("W53+1 = %v", got)
	}
	if got := (Week{2027, 1}).Add(-8); got.String() != "2026-W46" {
		t.Fatalf("2027-W01 - 8 = %v", got)
	}
	for _, bad := range []string{"2025-W53", "2026-W00", "2026-W54", "W47", "2026-47"} {
		if _, err := ParseWeek(bad); err == nil {
			t.Errorf("ParseWeek(%q) accepted", bad)
		}
	}
}

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		12 * time.Hour: "12 hours", time.Hour: "1 hour", 48 * time.Hour: "2 days", 72 * time.Hour: "3 days",
		26*time.Hour + 30*time.Minute: "26h 30m", 45 * time.Minute: "45 min", 100 * time.Hour: "4d 4h",
	} {
		if got := HumanDuration(d); got != want {
			t.Errorf("HumanDuration(%v) = %q; want %q", d, got, want)
		}
	}
}
