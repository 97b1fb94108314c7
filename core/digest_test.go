package core_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Fatalf("%s differs (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// weekly fires every Monday at 09:00 in Berlin, like "0 9 * * MON".
type weekly struct{}

func (weekly) Next(t time.Time) time.Time {
	l := t.In(berlin)
	d := time.Date(l.Year(), l.Month(), l.Day(), 9, 0, 0, 0, berlin)
	for !d.After(t) || d.Weekday() != time.Monday {
		d = time.Date(d.Year(), d.Month(), d.Day()+1, 9, 0, 0, 0, berlin)
	}
	return d
}

// busyWeek plays a week with surveys, a low score, a complaint handled in time and one left
// open, over two weeks so the trend has a previous value.
func busyWeek(t *testing.T) *env {
	e := newEnv(t, func(s *core.Settings) { s.Throttle = 0 })
	e.clock.Set(start.Add(-7 * 24 * time.Hour)) // the week before: one survey
	for _, who := range []string{"ann", "bob", "cid", "dee"} {
		e.dm(who, "/start")
	}
	e.touch("ann", "W46-1")
	e.dm("ann", "6")
	e.dm("ann", "7")
	e.dm("ann", "skip")

	e.clock.Set(start)
	e.touch("bob", "A-1")
	e.dm("bob", "9")
	e.dm("bob", "8")
	e.dm("bob", "Great service!")
	e.touch("cid", "A-2")
	e.dm("cid", "2")
	e.dm("cid", "3")
	e.dm("cid", "Courier was rude.")
	e.press("cid", "Yes, tell the team")
	e.advance(2 * time.Hour)
	e.inTeam("lee", "/ack C-1001")
	e.advance(5 * time.Hour)
	e.inTeam("lee", "/resolve C-1001 Spoke to the courier company")
	e.press("cid", "Yes, solved")
	e.touch("dee", "A-3") // sent, never answered
	e.advance(24 * time.Hour)
	e.dm("ann", "/complain My invoice is wrong")
	e.advance(3 * time.Hour)
	return e
}

func TestDigestFigures(t *testing.T) {
	e := busyWeek(t)
	d, err := e.svc.Digest(e.ctx, core.WeekOf(start, berlin))
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]core.Dimension{}
	for _, dim := range d.Dimensions {
		byKey[dim.Key] = dim
	}
	c := byKey["courtesy"]
	if c.Responses != 2 || *c.Average != 5.5 || *c.Previous != 6 || *c.Change != -0.5 || len(c.Trend) != 8 || c.Trend[5] != nil {
		t.Fatalf("courtesy = %+v", c)
	}
	if d.Surveys.Sent != 3 || d.Surveys.Answered != 2 || *d.Surveys.ResponseRate != 0.67 {
		t.Fatalf("surveys = %+v", d.Surveys)
	}
	cf := d.Complaints
	if cf.Opened != 2 || cf.AckWithinStandard != 1 || *cf.AckWithinPct != 50 || *cf.MedianAckSeconds != 7200 ||
		*cf.MedianResolveSecond != 7*3600 || cf.Resolved != 1 || cf.ConfirmedSolved != 1 ||
		len(cf.StillOpen) != 1 || cf.StillOpen[0].Ref != "C-1002" {
		t.Fatalf("complaints = %+v", cf)
	}
	if len(d.Comments) != 2 || d.Comments[0].Text != "Courier was rude." || *d.Comments[0].MinScore != 2 {
		t.Fatalf("comments = %+v", d.Comments)
	}
	// The JSON keeps the contract names digest --json promises (README).
	raw, _ := json.Marshal(d)
	for _, key := range []string{`"week":"2026-W47"`, `"dimensions":[{"key":"courtesy","kind":"scale","average":5.5,"previous":6`,
		`"responses":2`, `"surveys":{"sent":3,"answered":2,"response_rate":0.67}`, `"complaints":{"opened":2`} {
		if !strings.Contains(string(raw), key) {
			t.Errorf("digest JSON lacks %s:\n%s", key, raw)
		}
	}
	m := e.svc.DigestMessage(d)
	golden(t, "digest.golden", m.Title+"\n"+m.Text+"\n")
	for _, line := range strings.Split(m.Text, "\n") {
		if strings.HasPrefix(line, "courtesy") && !strings.HasPrefix(strings.Join(strings.Fields(line), " "), "courtesy 5.5") {
			t.Fatalf("dimension line %q must start with its key and average", line)
		}
	}
}

func TestEmptyWeekIsOneLine(t *testing.T) {
	e := newEnv(t, nil)
	d, err := e.svc.Digest(e.ctx, core.Week{Year: 2026, Num: 40})
	if err != nil {
		t.Fatal(err)
	}
	m := e.svc.DigestMessage(d)
	if strings.Contains(m.Text, "\n") || !strings.Contains(m.Text, "2026-W40: no activity") {
		t.Fatalf("empty week = %q", m.Text)
	}
}

func TestDigestWeekBoundaryInBusinessZone(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) { s.Throttle = 0 })
	e.dm("ann", "/start")
	e.dm("bob", "/start")
	// Sunday 23:30 in Berlin is 22:30 UTC: still week 47 here.
	e.clock.Set(time.Date(2026, 11, 22, 23, 30, 0, 0, berlin))
	e.touch("ann", "late")
	e.dm("ann", "4")
	// Monday 00:30 in Berlin is Sunday 23:30 UTC: week 48 here.
	e.clock.Set(time.Date(2026, 11, 23, 0, 30, 0, 0, berlin))
	e.touch("bob", "early")
	e.dm("bob", "10")
	w47, _ := e.svc.Digest(e.ctx, core.Week{Year: 2026, Num: 47})
	w48, _ := e.svc.Digest(e.ctx, core.Week{Year: 2026, Num: 48})
	if w47.Dimensions[0].Responses != 1 || *w47.Dimensions[0].Average != 4 {
		t.Fatalf("W47 = %+v", w47.Dimensions[0])
	}
	if w48.Dimensions[0].Responses != 1 || *w48.Dimensions[0].Average != 10 {
		t.Fatalf("W48 = %+v", w48.Dimensions[0])
	}
}

func TestDigestMissedDuringDowntimeIsSentOnceAtStart(t *testing.T) {
	e := newEnv(t, nil)
	if week, err := e.svc.CatchUpDigests(e.ctx, weekly{}); err != nil || week != "" {
		t.Fatalf("first start queued %q, %v; want only the cursor", week, err)
	}
	e.db.Close()
	e.clock.Set(time.Date(2026, 11, 24, 15, 0, 0, 0, berlin)) // down over Monday 23 Nov 09:00
	e.open()
	week, err := e.svc.CatchUpDigests(e.ctx, weekly{})
	if err != nil || week != "2026-W47" {
		t.Fatalf("catch-up queued %q, %v; want 2026-W47", week, err)
	}
	e.flush()
	// Started again (a crash loop), and the cron firing late: still once.
	e.restart()
	if week, _ := e.svc.CatchUpDigests(e.ctx, weekly{}); week != "" {
		t.Fatalf("second start queued %q", week)
	}
	e.flush()
	got := e.msgr.to("sam")
	if len(got) != 1 || !strings.Contains(got[0].Message.Title, "weekly digest 2026-W47") {
		t.Fatalf("owner got %d digests: %+v", len(got), got)
	}
	// The next Monday brings the next week's.
	e.clock.Set(time.Date(2026, 11, 30, 9, 0, 0, 0, berlin))
	if week, _ := e.svc.CatchUpDigests(e.ctx, weekly{}); week != "2026-W48" {
		t.Fatalf("next Monday queued %q", week)
	}
	e.flush()
	if n := len(e.msgr.to("sam")); n != 2 {
		t.Fatalf("owner has %d digests; want 2", n)
	}
}
