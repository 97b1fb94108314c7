package core_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

func TestRetentionErasesInactiveCustomersKeepingScores(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) { s.RetainCustomers = 30 * 24 * time.Hour })
	startDailyPrune(e)
	answerSurvey(e, "maria", "A-17", [2]string{"8", "9"}, "lovely bike")
	e.dm("lee", "hello") // a team member: kept whatever their activity

	e.advance(20 * 24 * time.Hour)
	e.touch("otto", "A-90") // otto gets a touchpoint late: active
	e.advance(15 * 24 * time.Hour)

	if _, err := e.svc.Export(e.ctx, user("maria")); core.ErrorCode(err) != core.ENOTFOUND {
		t.Fatalf("maria inactive for 35 days with a 30-day retention: export err = %v, want ENOTFOUND", err)
	}
	if x := e.export("otto"); len(x.Touchpoints) != 1 {
		t.Errorf("otto's touchpoint 15 days ago is activity: export = %+v", x)
	}
	if x := e.export("lee"); len(x.Contacts) != 1 {
		t.Errorf("team member erased: %+v", x)
	}
	w := core.WeekOf(start.Add(35*24*time.Hour), start.Location())
	d, err := e.svc.Digest(e.ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	if d.ErasedByRetention != 1 {
		t.Errorf("digest of %s: erased_by_retention = %d, want 1", w, d.ErasedByRetention)
	}
	// The scores stay, anonymous.
	var b strings.Builder
	n, err := e.svc.ExportAnswers(e.ctx, start.Add(-time.Hour), start.Add(40*24*time.Hour), core.AnswersCSV, &b)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 || strings.Contains(b.String(), "maria") || strings.Contains(b.String(), "lovely") {
		t.Errorf("answers after retention (%d):\n%s", n, b.String())
	}
}

func TestRetentionOffKeepsEveryone(t *testing.T) {
	e := newEnv(t, nil)
	startDailyPrune(e)
	e.dm("maria", "/stop")
	e.advance(800 * 24 * time.Hour)
	if x := e.export("maria"); len(x.Contacts) != 1 {
		t.Errorf("without retention maria must be kept: %+v", x)
	}
}

// startDailyPrune has Run queue the day's prune (which then queues the next day's), and stops
// it: the test's clock moves on by hand.
func startDailyPrune(e *env) {
	ctx, cancel := context.WithTimeout(e.ctx, 100*time.Millisecond)
	defer cancel()
	if err := e.svc.Run(ctx); err != nil {
		e.t.Fatal(err)
	}
}
