package dashboard

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAnswersDownload: the page links the CSV of what it shows; the download needs the
// session, is an attachment named after the week and filters, holds the week's answers
// narrowed by the filters, and refuses a bad filter with the page's words.
func TestAnswersDownload(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if resp, body := e.get(c, "/dashboard/answers.csv"); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Please sign in") {
		t.Fatalf("without a session: %d", resp.StatusCode)
	}
	resp, _ := e.post(c, "/dashboard/login", url.Values{"token": {tokenOf(t, e.link(owner))}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", resp.StatusCode)
	}
	_, page := e.get(c, "/dashboard?plan=after-delivery&platform=slack")
	const link = `href="/dashboard/answers.csv?plan=after-delivery&amp;platform=slack&amp;week=2026-W48"`
	if !strings.Contains(page, link) {
		t.Fatalf("the page does not link %s", link)
	}

	rows := func(path, wantName string) [][]string {
		t.Helper()
		resp, body := e.get(c, path)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			resp.Header.Get("Content-Disposition") != `attachment; filename="`+wantName+`"` {
			t.Fatalf("%s: %d %v\n%s", path, resp.StatusCode, resp.Header, body)
		}
		if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: headers %v", path, resp.Header)
		}
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(recs) == 0 || strings.Join(recs[0], ",") != "survey,run_id,question,kind,value,skipped,answered_at,platform,customer" {
			t.Fatalf("%s: %q, %v", path, recs, err)
		}
		return recs[1:]
	}
	all := rows("/dashboard/answers.csv", "answers-2026-W48.csv") // the last full week by default
	if len(all) != 8 {
		t.Fatalf("the week's answers: %d rows, want 8: %q", len(all), all)
	}
	if !strings.Contains(strings.Join(all[2], ","), "<script>") {
		t.Errorf("the comment is not kept as written: %q", all[2])
	}
	some := rows("/dashboard/answers.csv?platform=slack&plan=after-delivery&week=2026-W48", "answers-2026-W48-after-delivery-slack.csv")
	if len(some) != 2 {
		t.Fatalf("filtered: %q, want the Slack customer's 2 answers to after-delivery", some)
	}
	for _, r := range some {
		if r[0] != "after-delivery" || r[7] != "slack" {
			t.Fatalf("filtered row %q", r)
		}
	}
	if resp, body := e.get(c, "/dashboard/answers.csv?plan=nope"); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "There is no survey plan") {
		t.Fatalf("a bad plan: %d\n%s", resp.StatusCode, body)
	}
}
