package core

import (
	"fmt"
	"testing"
)

// TestNumberingSkipsConditionalQuestions: a question whose ask_if failed is not counted; one
// whose condition waits on an answer not given yet is, so the total only ever shrinks.
func TestNumberingSkipsConditionalQuestions(t *testing.T) {
	six, nine := 6, 9
	plan := SurveyPlan{Questions: []Question{
		{Key: "nps", Type: NPS},
		{Key: "reason", Type: ChoiceType, AskIf: &Condition{Question: "nps", AtMost: &six}},
		{Key: "ease", Type: CES},
		{Key: "details", Type: Text, AskIf: &Condition{Question: "reason", In: []string{"staff"}}},
		{Key: "praise", Type: Text, AskIf: &Condition{Question: "nps", AtLeast: &nine}},
	}}
	score := func(k string, v int) Answer { return Answer{QuestionKey: k, Score: &v} }
	choice := func(k, v string) Answer { return Answer{QuestionKey: k, Text: v} }
	tests := []struct {
		name    string
		i       int
		answers []Answer
		want    string
	}{
		{"first, nothing known", 0, nil, "1/5"},
		{"a detractor's reason", 1, []Answer{score("nps", 3)}, "2/4"}, // praise falls away
		{"ease after blaming staff", 2, []Answer{score("nps", 3), choice("reason", "staff")}, "3/4"},
		{"details after blaming staff", 3, []Answer{score("nps", 3), choice("reason", "staff"), score("ease", 2)}, "4/4"},
		{"ease after blaming delivery", 2, []Answer{score("nps", 3), choice("reason", "delivery")}, "3/3"},
		{"a promoter's ease", 2, []Answer{score("nps", 10)}, "2/3"}, // reason and details fall away
		{"a promoter's praise", 4, []Answer{score("nps", 10), score("ease", 6)}, "3/3"},
		{"a passive's ease", 2, []Answer{score("nps", 8)}, "2/2"},
		{"a skipped nps", 2, []Answer{{QuestionKey: "nps", Skipped: true}}, "2/2"},
		// Answers to the question itself or later ones do not change its number.
		{"answered question keeps its number", 0, []Answer{score("nps", 10), score("ease", 6)}, "1/5"},
	}
	for _, tt := range tests {
		n := numberOf(plan, tt.i, tt.answers)
		if got := fmt.Sprintf("%d/%d", n.n, n.total); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
	if n := numberOf(SurveyPlan{Questions: make([]Question, 3)}, 1, nil); n != (numbering{2, 3}) {
		t.Errorf("unconditional: %+v", n)
	}
}

func TestParseTypedScore(t *testing.T) {
	tests := []struct {
		in       string
		min, max int
		want     int // -1: refused
	}{
		{"9", 0, 10, 9}, {"9/10", 0, 10, 9}, {"9 / 10", 0, 10, 9}, {"9 von 10", 0, 10, 9},
		{"9 sur 10", 0, 10, 9}, {"8 de 10", 0, 10, 8}, {"7 su 10", 0, 10, 7}, {"6 van 10", 0, 10, 6},
		{"9 out of 10", 0, 10, 9}, {"9 of 10.", 0, 10, 9}, {"０", 0, 10, 0}, {"９ von １０", 0, 10, 9},
		{"٣", 1, 5, 3}, {"4 von 5", 1, 5, 4},
		{"9 von 5", 1, 5, -1}, {"9 von 11", 0, 10, -1}, {"9 von", 0, 10, -1}, {"von 10", 0, 10, -1},
		{"9 10", 0, 10, -1}, {"9 7 10", 0, 10, -1}, {"11", 0, 10, -1}, {"nine", 0, 10, -1},
		{"9 verylongword 10", 0, 10, -1}, {"0", 1, 5, -1},
	}
	for _, tt := range tests {
		v, ok := ParseTypedScore(tt.in, tt.min, tt.max)
		if !ok {
			v = -1
		}
		if v != tt.want {
			t.Errorf("ParseTypedScore(%q, %d, %d) = %d, want %d", tt.in, tt.min, tt.max, v, tt.want)
		}
	}
}

func FuzzParseTypedScore(f *testing.F) {
	for _, s := range []string{"9", "9/10", "9 von 10", "９", "9 out of 10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, ok := ParseTypedScore(s, 0, 10); ok && (v < 0 || v > 10) {
			t.Fatalf("%q read as %d, outside 0-10", s, v)
		}
	})
}

func TestPicksBelongToOneQuestion(t *testing.T) {
	run := SurveyRun{ID: 7}
	p := withPicks(run, 2, []string{"a", "c"})
	ct := &Contact{Pending: p.kind, PendingRun: p.run, PendingText: p.text}
	if got := joinKeys(picksOf(ct, run, 2)); got != "a,c" {
		t.Errorf("picks of question 2 = %q", got)
	}
	if got := picksOf(ct, run, 3); got != nil {
		t.Errorf("question 3 sees question 2's picks: %v", got)
	}
	if got := picksOf(ct, SurveyRun{ID: 8}, 2); got != nil {
		t.Errorf("another run sees the picks: %v", got)
	}
	if withPicks(run, 2, nil) != (prompt{kind: PendingSurvey, run: 7}) {
		t.Errorf("no picks is the plain survey prompt")
	}
}
