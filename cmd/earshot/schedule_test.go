package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"earshot/cmd/earshot/internal/config"
	"earshot/core"
)

func newYork(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestDigestScheduleAcrossDST: 02:30 in New York fires exactly once on both transition
// days of 2026 (8 March, when 02:30 does not exist, and 1 November, when 01:00–02:00 repeats).
func TestDigestScheduleAcrossDST(t *testing.T) {
	ny := newYork(t)
	for _, spec := range []string{"30 2 * * *", "30 1 * * *"} {
		cfg, err := config.Parse([]byte("business: {timezone: America/New_York}\ndigest: {schedule: \""+spec+"\"}\n"),
			func(string) (string, bool) { return "", false })
		if err != nil {
			t.Fatal(err)
		}
		sched := digestSchedule(cfg)
		for _, day := range []time.Time{time.Date(2026, 3, 8, 0, 0, 0, 0, ny), time.Date(2026, 11, 1, 0, 0, 0, 0, ny)} {
			next := day.AddDate(0, 0, 1)
			var fired []time.Time
			for at := sched.Next(day.Add(-time.Second)); at.Before(next); at = sched.Next(at) {
				fired = append(fired, at)
			}
			if len(fired) != 1 {
				t.Fatalf("%q on %s fired %d times: %v", spec, day.Format("2 Jan"), len(fired), fired)
			}
		}
	}
}

// TestWeeklyDigestAcrossDSTAndDowntime drives the real service: a weekly digest on Sundays
// at 02:30 New York time goes out once on each transition day, and once after downtime
// across its time.
func TestWeeklyDigestAcrossDSTAndDowntime(t *testing.T) {
	ny := newYork(t)
	cfg, err := config.Parse([]byte(`business: {name: Shop, timezone: America/New_York}
team: {members: [{name: Ana, role: owner, accounts: ["console:ana"]}]}
digest: {schedule: "30 2 * * SUN"}
`), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	clock := core.NewManualClock(time.Date(2026, 3, 7, 12, 0, 0, 0, ny))
	bot := &countingMessenger{}
	a, err := openWith(context.Background(), cfg, wiring{db: filepath.Join(t.TempDir(), "d.db"), clock: clock,
		messengers: []core.Messenger{bot}, workers: 1, logOut: &strings.Builder{}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	sched := digestSchedule(cfg)
	tick := func() {
		if _, err := a.svc.CatchUpDigests(context.Background(), sched); err != nil {
			t.Fatal(err)
		}
		if _, err := a.svc.RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := a.svc.DeliverDue(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	tick() // starts the cursor
	// Sunday 8 March: walk the night minute by minute, as a running service would.
	for clock.Now().Before(time.Date(2026, 3, 8, 12, 0, 0, 0, ny)) {
		clock.Advance(time.Minute)
		tick()
	}
	if bot.n != 1 {
		t.Fatalf("spring-forward Sunday: %d digests; want 1", bot.n)
	}
	clock.Set(time.Date(2026, 10, 31, 12, 0, 0, 0, ny))
	tick()
	for clock.Now().Before(time.Date(2026, 11, 1, 12, 0, 0, 0, ny)) {
		clock.Advance(time.Minute)
		tick()
	}
	if bot.n != 3 { // one for the weeks in between (queued at the first tick), one on the day
		t.Fatalf("after the autumn Sunday: %d digests; want 3", bot.n)
	}
	// Down from Saturday to Monday: the Sunday digest goes out once at start.
	clock.Set(time.Date(2026, 11, 9, 8, 0, 0, 0, ny))
	tick()
	tick()
	if bot.n != 4 {
		t.Fatalf("after downtime: %d digests; want 4", bot.n)
	}
}

type countingMessenger struct{ n int }

func (c *countingMessenger) Platform() core.Platform { return core.Console }
func (c *countingMessenger) Deliver(_ context.Context, d core.Delivery) (string, error) {
	if strings.Contains(d.Message.Title, "weekly digest") {
		c.n++
	}
	return "x", nil
}
