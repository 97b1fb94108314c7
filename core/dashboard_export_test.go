package core_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"earshot/core"
)

// TestExportDashboardAnswers: the owners' page's CSV holds the answers of the week shown,
// narrowed by its filters, with ExportAnswers' columns; a bad filter is refused before
// anything is written.
func TestExportDashboardAnswers(t *testing.T) {
	e := busyWeek(t)
	week := core.WeekOf(start, berlin)
	rows := func(w core.Week, f core.ReportFilter) [][]string {
		t.Helper()
		var buf bytes.Buffer
		n, err := e.svc.ExportDashboardAnswers(e.ctx, w, f, &buf)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil || len(recs) != n+1 || recs[0][0] != "survey" {
			t.Fatalf("%d answers, CSV %q, %v", n, recs, err)
		}
		return recs[1:]
	}
	got := rows(week, core.ReportFilter{})
	if len(got) != 6 {
		t.Fatalf("week %s: %d answers, want bob's and cid's 3 each: %q", week, len(got), got)
	}
	for _, r := range got {
		if r[0] != "after-delivery" || r[7] != "console" {
			t.Fatalf("row %q", r)
		}
	}
	if got := rows(week.Add(-1), core.ReportFilter{}); len(got) != 3 {
		t.Fatalf("the week before: %q, want ann's 3", got)
	}
	if got := rows(week, core.ReportFilter{Plan: "after-delivery", Platform: core.Console}); len(got) != 6 {
		t.Fatalf("filtered to what there is: %d rows", len(got))
	}
	if got := rows(week, core.ReportFilter{Platform: core.Telegram}); len(got) != 0 {
		t.Fatalf("filtered to Telegram: %q", got)
	}
	var buf bytes.Buffer
	if _, err := e.svc.ExportDashboardAnswers(e.ctx, week, core.ReportFilter{Plan: "nope"}, &buf); core.ErrorCode(err) != core.EINVALID || buf.Len() != 0 {
		t.Fatalf("an unknown plan: %v, wrote %d bytes", err, buf.Len())
	}
}
