package core_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

// answerSurvey has who answer the whole survey: two scores and a comment.
func answerSurvey(e *env, who, ref string, scores [2]string, comment string) {
	e.t.Helper()
	e.touch(who, ref)
	e.dm(who, scores[0])
	e.dm(who, scores[1])
	e.dm(who, comment)
}

func exportAnswers(t *testing.T, e *env, format string) (string, int) {
	t.Helper()
	var buf bytes.Buffer
	n, err := e.svc.ExportAnswers(e.ctx, start.Add(-time.Hour), start.Add(30*24*time.Hour), format, &buf)
	if err != nil {
		t.Fatal(err)
	}
	return buf.String(), n
}

func TestExportAnswersJSONLines(t *testing.T) {
	e := newEnv(t, nil)
	answerSurvey(e, "maria", "A-17", [2]string{"7", "9"}, "quick and friendly")
	answerSurvey(e, "otto", "A-18", [2]string{"8", "6"}, "fine")
	defer core.SetAnswerPage(2)() // pages of two: the six answers take three pages and one empty

	out, n := exportAnswers(t, e, core.AnswersJSON)
	if n != 6 {
		t.Fatalf("exported %d answers, want 6:\n%s", n, out)
	}
	var lines []core.AnswerLine
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var l core.AnswerLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, l)
	}
	if len(lines) != 6 {
		t.Fatalf("%d lines, want 6", len(lines))
	}
	first, comment := lines[0], lines[2]
	if first.Survey != "after-delivery" || first.Question != "courtesy" || first.Kind != "scale" ||
		first.Value != float64(7) || first.Customer != "console:maria" || first.Platform != core.Console {
		t.Errorf("first line = %+v", first)
	}
	if comment.Kind != "text" || comment.Value != "quick and friendly" {
		t.Errorf("comment line = %+v", comment)
	}
	if lines[3].Customer != "console:otto" || lines[3].Value != float64(8) {
		t.Errorf("otto's first answer = %+v", lines[3])
	}
}

func TestExportAnswersCSVIsSpreadsheetSafe(t *testing.T) {
	e := newEnv(t, nil)
	answerSurvey(e, "maria", "A-17", [2]string{"7", "9"}, `=HYPERLINK("http://evil.example","click")`)
	out, n := exportAnswers(t, e, core.AnswersCSV)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, out)
	}
	if n != 3 || len(recs) != 4 {
		t.Fatalf("n = %d, %d records, want 3 answers and a header:\n%s", n, len(recs), out)
	}
	if strings.Join(recs[0], ",") != "survey,run_id,question,kind,value,skipped,answered_at,platform,customer" {
		t.Errorf("header = %v", recs[0])
	}
	if got := recs[3][4]; got != `'=HYPERLINK("http://evil.example","click")` {
		t.Errorf("formula cell = %q, want it prefixed with a quote", got)
	}
	if got := recs[1][4]; got != "7" {
		t.Errorf("score cell = %q", got)
	}
}

func TestExportAnswersAfterEraseHasNoIdentity(t *testing.T) {
	e := newEnv(t, nil)
	answerSurvey(e, "maria", "A-17", [2]string{"3", "9"}, "the courier was rude to me")
	if err := e.svc.Erase(e.ctx, user("maria")); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{core.AnswersJSON, core.AnswersCSV} {
		out, n := exportAnswers(t, e, format)
		if n != 3 {
			t.Errorf("%s: %d answers after erase, want the 3 kept anonymously", format, n)
		}
		for _, secret := range []string{"maria", "rude"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s export after erase still holds %q:\n%s", format, secret, out)
			}
		}
		if !strings.Contains(out, "3") {
			t.Errorf("%s export lost the score:\n%s", format, out)
		}
	}
}

func TestExportAnswersRefusesBadInput(t *testing.T) {
	e := newEnv(t, nil)
	var buf bytes.Buffer
	if _, err := e.svc.ExportAnswers(e.ctx, start, start.Add(time.Hour), "xlsx", &buf); core.ErrorCode(err) != core.EINVALID {
		t.Errorf("format xlsx: %v, want EINVALID", err)
	}
	if _, err := e.svc.ExportAnswers(e.ctx, start, start, core.AnswersCSV, &buf); core.ErrorCode(err) != core.EINVALID {
		t.Errorf("empty range: %v, want EINVALID", err)
	}
}

func TestSpreadsheetSafe(t *testing.T) {
	for in, want := range map[string]string{
		"=1+2": "'=1+2", "+cmd": "'+cmd", "-rm": "'-rm", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx",
		"-3": "-3", "+4.5": "+4.5", "fine": "fine", "": "", "a=b": "a=b",
	} {
		if got := core.SpreadsheetSafe(in); got != want {
			t.Errorf("SpreadsheetSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
