package core_test

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func hours(t *testing.T, spec string, loc *time.Location, holidays ...string) *core.BusinessHours {
	t.Helper()
	h, err := core.ParseBusinessHours(spec, holidays, loc)
	if err != nil {
		t.Fatalf("ParseBusinessHours(%q): %v", spec, err)
	}
	return h
}

// at reads a wall-clock time in loc.
func at(t *testing.T, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

const (
	weekdays9to6 = "Mon-Fri 09:00-18:00"
	split        = "Mon-Fri 09:00-12:30,13:30-18:00; Sat 10:00-14:00"
)

func TestBusinessHoursAdd(t *testing.T) {
	berlin, ny, kolkata := zone(t, "Europe/Berlin"), zone(t, "America/New_York"), zone(t, "Asia/Kolkata")
	overnight := &core.BusinessHours{Location: berlin} // Fri 22:00 to Sat 02:00 as one window
	overnight.Week[time.Friday] = []core.Window{{From: 22 * time.Hour, To: 26 * time.Hour}}
	for _, c := range []struct {
		name string
		h    *core.BusinessHours
		from string
		d    time.Duration
		want string // wall clock in the hours' zone
	}{
		{"the design's example: Friday 17:00 plus 4 h", hours(t, weekdays9to6, berlin), "2026-12-04 17:00", 4 * time.Hour, "2026-12-07 12:00"},
		{"within one window", hours(t, weekdays9to6, berlin), "2026-12-07 10:00", 2 * time.Hour, "2026-12-07 12:00"},
		{"ending exactly at closing", hours(t, weekdays9to6, berlin), "2026-12-07 17:00", time.Hour, "2026-12-07 18:00"},
		{"split window: the lunch break does not count", hours(t, split, berlin), "2026-12-07 12:00", time.Hour, "2026-12-07 14:00"},
		{"Friday evening into Saturday's window", hours(t, split, berlin), "2026-12-04 17:00", 4 * time.Hour, "2026-12-05 13:00"},
		{"a weekend closed", hours(t, weekdays9to6, berlin), "2026-12-05 11:00", 30 * time.Minute, "2026-12-07 09:30"},
		{"filed outside hours starts at the next opening", hours(t, weekdays9to6, berlin), "2026-12-07 06:00", time.Hour, "2026-12-07 10:00"},
		{"holidays closed", hours(t, split, berlin, "2026-12-24", "2026-12-25"), "2026-12-23 17:00", 3 * time.Hour, "2026-12-26 12:00"},
		{"filed on a holiday at 23:59", hours(t, split, berlin, "2026-12-24", "2026-12-25"), "2026-12-24 23:59", 2 * time.Hour, "2026-12-26 12:00"},
		{"overnight window as two", hours(t, "Fri 22:00-24:00; Sat 00:00-02:00", berlin), "2026-12-04 23:00", 2 * time.Hour, "2026-12-05 01:00"},
		{"overnight window as one", overnight, "2026-12-04 23:00", 2 * time.Hour, "2026-12-05 01:00"},
		{"overnight window opened the day before", overnight, "2026-12-05 01:00", 30 * time.Minute, "2026-12-05 01:30"},
		{"overnight window, then a week later", overnight, "2026-12-05 01:30", time.Hour, "2026-12-11 22:30"},
		{"longer than a week", hours(t, weekdays9to6, berlin), "2026-12-07 09:00", 50 * time.Hour, "2026-12-14 14:00"},
		{"many weeks", hours(t, weekdays9to6, berlin), "2026-12-07 09:00", 9 * 5 * 9 * time.Hour, "2027-02-05 18:00"},
		// Berlin springs forward on 29 March 2026 at 02:00: 01:00-04:00 lasts 2 h.
		{"Berlin spring forward", hours(t, "Sun 01:00-04:00", berlin), "2026-03-29 01:00", 90 * time.Minute, "2026-03-29 03:30"},
		{"Berlin spring forward: the window is 2 h", hours(t, "Sun 01:00-04:00", berlin), "2026-03-29 01:00", 2*time.Hour + time.Minute, "2026-04-05 01:01"},
		// and falls back on 25 October 2026 at 03:00: 01:00-04:00 lasts 4 h.
		{"Berlin fall back", hours(t, "Sun 01:00-04:00", berlin), "2026-10-25 01:00", 3 * time.Hour, "2026-10-25 03:00"},
		{"Berlin fall back: the window is 4 h", hours(t, "Sun 01:00-04:00", berlin), "2026-10-25 01:00", 4 * time.Hour, "2026-10-25 04:00"},
		// New York springs forward on 8 March 2026 and falls back on 1 November 2026.
		{"New York spring forward overnight", hours(t, "Sat 22:00-24:00; Sun 00:00-06:00", ny), "2026-03-07 22:00", 6 * time.Hour, "2026-03-08 05:00"},
		{"New York fall back overnight", hours(t, "Sat 22:00-24:00; Sun 00:00-06:00", ny), "2026-10-31 22:00", 6 * time.Hour, "2026-11-01 03:00"},
		{"New York business day across fall back", hours(t, weekdays9to6, ny), "2026-10-30 17:00", 2 * time.Hour, "2026-11-02 10:00"},
		{"half-hour zone", hours(t, weekdays9to6, kolkata), "2026-12-04 17:30", time.Hour, "2026-12-07 09:30"},
		{"zero adds nothing", hours(t, weekdays9to6, berlin), "2026-12-05 11:00", 0, "2026-12-05 11:00"},
	} {
		t.Run(c.name, func(t *testing.T) {
			loc := c.h.Location
			from := at(t, loc, c.from)
			got := c.h.Add(from, c.d)
			want := at(t, loc, c.want)
			if c.name == "Berlin fall back" { // 03:00 comes twice; the second one, in CET
				want = time.Date(2026, 10, 25, 2, 0, 0, 0, time.UTC)
			}
			if !got.Equal(want) {
				t.Errorf("Add(%s, %s) = %s, want %s", c.from, c.d, got.In(loc), want.In(loc))
			}
			if back := c.h.Between(from, got); c.d > 0 && back != c.d {
				t.Errorf("Between(%s, %s) = %s, want %s back", c.from, got.In(loc), back, c.d)
			}
		})
	}
}

func TestBusinessHoursBetween(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	h := hours(t, split, berlin, "2026-12-24")
	for _, c := range []struct {
		from, to string
		want     time.Duration
	}{
		{"2026-12-04 17:00", "2026-12-07 12:00", time.Hour + 4*time.Hour + 3*time.Hour},
		{"2026-12-07 12:00", "2026-12-07 14:00", time.Hour},
		{"2026-12-06 08:00", "2026-12-06 20:00", 0},                           // Sunday
		{"2026-12-24 08:00", "2026-12-24 20:00", 0},                           // a holiday
		{"2026-12-07 14:00", "2026-12-07 12:00", 0},                           // backwards
		{"2026-12-07 00:00", "2026-12-14 00:00", 5*8*time.Hour + 4*time.Hour}, // a week
	} {
		if got := h.Between(at(t, berlin, c.from), at(t, berlin, c.to)); got != c.want {
			t.Errorf("Between(%s, %s) = %s, want %s", c.from, c.to, got, c.want)
		}
	}
	if !h.IsOpen(at(t, berlin, "2026-12-07 09:00")) || h.IsOpen(at(t, berlin, "2026-12-07 12:30")) ||
		h.IsOpen(at(t, berlin, "2026-12-24 10:00")) {
		t.Error("IsOpen is wrong at an opening, a lunch break or a holiday")
	}
}

// Adding d and then measuring from the same start returns d, whatever the start, the zone
// and the hours.
func TestBusinessHoursAddThenBetween(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var cases []*core.BusinessHours
	for _, name := range []string{"Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Adelaide", "UTC"} {
		loc := zone(t, name)
		for _, spec := range []string{weekdays9to6, split, "Sat 22:00-24:00; Sun 00:00-06:00", "Sun 01:00-04:00",
			"Mon-Sun 00:00-24:00"} {
			cases = append(cases, hours(t, spec, loc, "2026-03-29", "2026-12-25", "2027-01-01"))
		}
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 4000; i++ {
		h := cases[rng.Intn(len(cases))]
		from := base.Add(time.Duration(rng.Int63n(int64(400*24*time.Hour))) / time.Minute * time.Minute)
		d := time.Duration(rng.Int63n(int64(300*time.Hour))) / time.Minute * time.Minute
		due := h.Add(from, d)
		if got := h.Between(from, due); got != d {
			t.Fatalf("%s in %s from %s: Add %s gives %s, and Between measures %s back",
				strings.Join(strings.Fields(h.Location.String()), " "), h.Location, from, d, due.In(h.Location), got)
		}
		if d > 0 && !h.IsOpen(due.Add(-time.Nanosecond)) {
			t.Fatalf("from %s plus %s: due %s is not the end of open time", from, d, due.In(h.Location))
		}
	}
}

func TestParseBusinessHoursNamesTheBadPart(t *testing.T) {
	utc := time.UTC
	for _, c := range []struct {
		spec     string
		holidays []string
		want     string
	}{
		{"Mon-Fri 09:00-25:00", nil, `"25:00" is not a time of day`},
		{"Mon-Fri 09:00-12:00,11:00-13:00", nil, "overlaps"},
		{"Mon-Fri 09:00-12:00; Mon 11:00-13:00", nil, "overlaps"},
		{"Mon-Fri 18:00-09:00", nil, `window "18:00-09:00" ends before it starts`},
		{"Mon-Fri 09:00-09:00", nil, "ends before it starts"},
		{"Mon-Fry 09:00-18:00", nil, `"Fry" is not a day`},
		{"Mon-Fri", nil, "want days and windows"},
		{"Mon 9:00-18:00", nil, `"9:00" is not a time of day`},
		{"Mon-Fri 09:00-18:00", []string{"2026-12-24", "Christmas"}, `holiday "Christmas" is not a date`},
		{"Mon-Fri 09:00-18:00", []string{"2026-02-30"}, `holiday "2026-02-30" is not a date`},
		{" ; ", nil, "no opening"},
	} {
		_, err := core.ParseBusinessHours(c.spec, c.holidays, utc)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseBusinessHours(%q, %q) = %v, want an error with %q", c.spec, c.holidays, err, c.want)
		}
	}
	h := hours(t, "mon,wed-fri 09:00-12:00 , 13:00-17:00;Fri-Mon 18:00-24:00", utc)
	if got := len(h.Week[time.Monday]); got != 3 {
		t.Errorf("Monday has %d windows, want 3", got)
	}
	if got := len(h.Week[time.Tuesday]); got != 0 {
		t.Errorf("Tuesday has %d windows, want none", got)
	}
	if got := len(h.Week[time.Sunday]); got != 1 {
		t.Errorf("Sunday (in Fri-Mon) has %d windows, want 1", got)
	}
}

func TestBusinessHoursSpecRoundTrip(t *testing.T) {
	utc := time.UTC
	for _, spec := range []string{split, "Fri-Mon 18:00-24:00; Tue 00:00-02:00,09:00-17:00", "Sun 01:00-04:00"} {
		h := hours(t, spec, utc)
		again := hours(t, h.Spec(), utc)
		if again.Spec() != h.Spec() || !reflect.DeepEqual(again.Week, h.Week) {
			t.Errorf("%q: Spec %q reads back as %q", spec, h.Spec(), again.Spec())
		}
	}
}
