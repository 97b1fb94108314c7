package httpapi

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

// seedAnswers stores a survey run with a score and a hostile comment, answered on Nov 20.
func seedAnswers(t *testing.T, e *env) {
	t.Helper()
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	err := e.db.Update(context.Background(), func(tx core.Tx) error {
		ct := core.Contact{Ref: core.UserRef{Platform: core.Console, ID: "maria"}, CreatedAt: at, SeenAt: at}
		if err := tx.CreateContact(&ct); err != nil {
			return err
		}
		run := core.SurveyRun{ContactID: ct.ID, Plan: "after-delivery", State: core.RunCompleted, DueAt: at, SentAt: at, CreatedAt: at}
		if err := tx.CreateRun(&run); err != nil {
			return err
		}
		score := 3
		for _, a := range []core.Answer{
			{RunID: run.ID, ContactID: ct.ID, Plan: run.Plan, QuestionKey: "courtesy", Score: &score, AnsweredAt: at},
			{RunID: run.ID, ContactID: ct.ID, Plan: run.Plan, QuestionKey: "comment", Text: "@SUM(1+1)*cmd|' /C calc'!A0", AnsweredAt: at.Add(time.Minute)},
		} {
			if err := tx.AddAnswer(&a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAnswersExport(t *testing.T) {
	e := newEnv(t, Options{APIToken: token})
	seedAnswers(t, e)

	rec := e.do(http.MethodGet, "/api/v1/answers?from=2026-11-01&to=2026-12-01", "")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("JSON lines: %d %s\n%s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	var lines []map[string]any
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 2 || lines[0]["value"] != float64(3) || lines[0]["customer"] != "console:maria" || lines[0]["kind"] != "scale" {
		t.Fatalf("lines = %v", lines)
	}

	for _, req := range [][]string{{"/api/v1/answers?from=2026-11-01&to=2026-12-01", "Accept", "text/csv"},
		{"/api/v1/answers?from=2026-11-01&to=2026-12-01&format=csv"}} {
		rec = e.do(http.MethodGet, req[0], "", req[1:]...)
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") ||
			!strings.Contains(rec.Header().Get("Content-Disposition"), "answers-2026-11-01-2026-12-01.csv") {
			t.Fatalf("CSV: %d %v", rec.Code, rec.Header())
		}
		recs, err := csv.NewReader(rec.Body).ReadAll()
		if err != nil || len(recs) != 3 {
			t.Fatalf("CSV records %v, %v", recs, err)
		}
		if got := recs[2][4]; !strings.HasPrefix(got, "'@SUM") {
			t.Errorf("formula not neutralised: %q", got)
		}
	}

	// Outside the range: nothing, but still a well-formed answer.
	rec = e.do(http.MethodGet, "/api/v1/answers?from=2026-10-01&to=2026-11-01", "")
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("October: %d %q", rec.Code, rec.Body)
	}
}

func TestAnswersExportRefusesBadRanges(t *testing.T) {
	e := newEnv(t, Options{APIToken: token})
	for q, want := range map[string]string{
		"":                                  "from is required",
		"?from=yesterday":                   `from: "yesterday" is not a date`,
		"?from=2026-11-01&to=2026-13-01":    `to: "2026-13-01"`,
		"?from=2026-12-01&to=2026-11-01":    "the range is empty",
		"?from=2026-11-01&format=xlsx":      `format: "xlsx"`,
		"?from=2026-11-01T00:00:00Z&to=now": `to: "now"`,
	} {
		rec := e.do(http.MethodGet, "/api/v1/answers"+q, "")
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%q: status %d, want 400", q, rec.Code)
			continue
		}
		if msg := errorOf(t, rec); !strings.Contains(msg, want) {
			t.Errorf("%q: %q, want it to contain %q", q, msg, want)
		}
	}
}
