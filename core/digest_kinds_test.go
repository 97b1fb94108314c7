package core_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

// kindsPlan asks one question of each kind with a figure, and a comment.
var kindsPlan = []core.Question{
	{Key: "nps", Text: "How likely are you to recommend us?", Type: core.NPS, Min: 0, Max: 10},
	{Key: "csat", Text: "How satisfied are you?", Type: core.CSAT, Min: 1, Max: 5},
	{Key: "ces", Text: "How easy was it?", Type: core.CES, Min: 1, Max: 7},
	{Key: "reason", Text: "What mattered most?", Type: core.ChoiceType,
		Options: []core.Option{{Key: "delivery", Label: "Delivery"}, {Key: "staff", Label: "Staff"}, {Key: "price", Label: "Price"}}},
	{Key: "extras", Text: "What else?", Type: core.ChoiceType, Multiple: true,
		Options: []core.Option{{Key: "a", Label: "A"}, {Key: "b", Label: "B"}, {Key: "c", Label: "C"}}},
	{Key: "comment", Text: "Anything else?", Type: core.Text, Optional: true},
}

func kindsEnv(t *testing.T) *env {
	return newEnv(t, func(s *core.Settings) { s.Surveys[0].Questions = kindsPlan })
}

// kindAnswer is one stored answer: a score, or a choice's option keys.
type kindAnswer struct {
	key   string
	score int
	text  string
}

// store writes the answers, each in its own run keeping kindsPlan, at the given time.
func (e *env) storeKinds(at time.Time, answers []kindAnswer) {
	e.t.Helper()
	err := e.db.Update(e.ctx, func(tx core.Tx) error {
		for i, a := range answers {
			ct := core.Contact{Ref: user("k" + at.Format("0102") + a.key + string(rune('a'+i))), CreatedAt: at}
			if err := tx.CreateContact(&ct); err != nil {
				return err
			}
			run := core.SurveyRun{ContactID: ct.ID, Plan: "after-delivery", State: core.RunCompleted, DueAt: at,
				SentAt: at, FinishedAt: at, CreatedAt: at, Questions: kindsPlan}
			if err := tx.CreateRun(&run); err != nil {
				return err
			}
			ans := core.Answer{RunID: run.ID, ContactID: ct.ID, Plan: run.Plan, QuestionKey: a.key, Text: a.text, AnsweredAt: at}
			if a.text == "" {
				ans.Score = &a.score
			}
			if err := tx.AddAnswer(&ans); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

func scores(key string, vals ...int) []kindAnswer {
	out := make([]kindAnswer, len(vals))
	for i, v := range vals {
		out[i] = kindAnswer{key: key, score: v}
	}
	return out
}

func picks(key string, texts ...string) []kindAnswer {
	out := make([]kindAnswer, len(texts))
	for i, s := range texts {
		out[i] = kindAnswer{key: key, text: s}
	}
	return out
}

func num(v float64) *float64 { return &v }

// dimension returns the digest's dimension with the key.
func dimension(t *testing.T, d core.Digest, key string) core.Dimension {
	t.Helper()
	for _, dim := range d.Dimensions {
		if dim.Key == key {
			return dim
		}
	}
	t.Fatalf("no dimension %s in %+v", key, d.Dimensions)
	return core.Dimension{}
}

func eqNum(a, b *float64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func show(v *float64) string {
	if v == nil {
		return "nil"
	}
	b, _ := json.Marshal(*v)
	return string(b)
}

// TestKindFigures checks each kind's figure against a hand computation.
func TestKindFigures(t *testing.T) {
	type want struct {
		figure, previous, change *float64
		responses                int
		split                    [3]int // nps: promoters, passives, detractors; csat: satisfied
		options                  map[string][2]int
	}
	cases := []struct {
		name       string
		key        string
		week, prev []kindAnswer
		want       want
	}{
		{"nps without answers", "nps", nil, nil, want{}},
		// 3 of 3 detractors: 0 % − 100 % = −100.
		{"nps all detractors", "nps", scores("nps", 0, 3, 6), nil, want{figure: num(-100), responses: 3, split: [3]int{0, 0, 3}}},
		// 4 promoters, 2 passives, 4 detractors of 10: 40 % − 40 % = 0; the week before 2 of 2
		// promoters: 100, so the change is −100.
		{"nps mixed", "nps", scores("nps", 10, 9, 9, 8, 7, 6, 0, 5, 10, 3), scores("nps", 9, 10),
			want{figure: num(0), previous: num(100), change: num(-100), responses: 10, split: [3]int{4, 2, 4}}},
		// 3 promoters, 1 passive, 1 detractor of 5: 60 % − 20 % = 40; the week before 1 of 3
		// promoters and 1 detractor: 0.
		{"nps change", "nps", scores("nps", 10, 9, 8, 2, 10), scores("nps", 10, 7, 4),
			want{figure: num(40), previous: num(0), change: num(40), responses: 5, split: [3]int{3, 1, 1}}},
		// 1 of 3: 33.3 %, rounded to the nearest whole point.
		{"nps rounds", "nps", scores("nps", 9, 8, 7), nil, want{figure: num(33), responses: 3, split: [3]int{1, 2, 0}}},
		// 4 of 7 answers are 4 or 5: 57.1 %; the week before 1 of 2: 50 %.
		{"csat", "csat", scores("csat", 5, 4, 3, 2, 5, 4, 1), scores("csat", 4, 3),
			want{figure: num(57.1), previous: num(50), change: num(7.1), responses: 7, split: [3]int{4}}},
		{"csat none satisfied", "csat", scores("csat", 1, 2, 3), nil, want{figure: num(0), responses: 3}},
		{"csat without answers", "csat", nil, scores("csat", 5), want{previous: num(100)}},
		// (7 + 6 + 5) / 3 = 6; the week before (2 + 3) / 2 = 2.5.
		{"ces", "ces", scores("ces", 7, 6, 5), scores("ces", 2, 3), want{figure: num(6), previous: num(2.5), change: num(3.5), responses: 3}},
		{"single choice", "reason", picks("reason", "delivery", "delivery", "staff"), picks("reason", "price"),
			want{responses: 3, options: map[string][2]int{"delivery": {2, 0}, "staff": {1, 0}, "price": {0, 1}}}},
		// Three answers picking six options: each pick counts, responses are the answers.
		{"multiple choice", "extras", picks("extras", "a,b", "b", "a,b,c"), nil,
			want{responses: 3, options: map[string][2]int{"a": {2, 0}, "b": {3, 0}, "c": {1, 0}}}},
		{"choice without answers", "reason", nil, nil,
			want{options: map[string][2]int{"delivery": {0, 0}, "staff": {0, 0}, "price": {0, 0}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := kindsEnv(t)
			e.storeKinds(start.Add(-7*24*time.Hour), tc.prev)
			e.storeKinds(start, tc.week)
			d, err := e.svc.Digest(e.ctx, core.WeekOf(start, berlin))
			if err != nil {
				t.Fatal(err)
			}
			dim := dimension(t, d, tc.key)
			w := tc.want
			if !eqNum(dim.Figure(), w.figure) || !eqNum(dim.Previous, w.previous) || !eqNum(dim.Change, w.change) ||
				dim.Responses != w.responses {
				t.Errorf("%s: figure %s previous %s change %s responses %d; want %s %s %s %d", tc.key,
					show(dim.Figure()), show(dim.Previous), show(dim.Change), dim.Responses,
					show(w.figure), show(w.previous), show(w.change), w.responses)
			}
			if len(dim.Trend) != 8 || !eqNum(dim.Trend[7], w.figure) || !eqNum(dim.Trend[6], w.previous) {
				t.Errorf("trend %v", dim.Trend)
			}
			switch dim.Kind {
			case core.NPS:
				if got := [3]int{dim.Promoters, dim.Passives, dim.Detractors}; got != w.split {
					t.Errorf("promoters, passives, detractors = %v, want %v", got, w.split)
				}
			case core.CSAT:
				if dim.Satisfied != w.split[0] {
					t.Errorf("satisfied = %d, want %d", dim.Satisfied, w.split[0])
				}
			case core.ChoiceType:
				got := map[string][2]int{}
				var order []string
				for _, o := range dim.Options {
					got[o.Key] = [2]int{o.Count, o.Previous}
					order = append(order, o.Key)
					if o.Trend[7] != o.Count || o.Trend[6] != o.Previous {
						t.Errorf("option %s trend %v", o.Key, o.Trend)
					}
				}
				if !reflect.DeepEqual(got, w.options) {
					t.Errorf("options = %v, want %v", got, w.options)
				}
				if want := optionKeys(tc.key); !reflect.DeepEqual(order, want) {
					t.Errorf("options in order %v, want the question's %v", order, want)
				}
			}
		})
	}
}

func optionKeys(key string) []string {
	for _, q := range kindsPlan {
		if q.Key == key {
			var out []string
			for _, o := range q.Options {
				out = append(out, o.Key)
			}
			return out
		}
	}
	return nil
}

// TestKindFiguresJSON: digest --json gives each kind its shape.
func TestKindFiguresJSON(t *testing.T) {
	e := kindsEnv(t)
	e.storeKinds(start.Add(-7*24*time.Hour), append(scores("nps", 10, 0), scores("csat", 5)...))
	e.storeKinds(start, append(append(append(scores("nps", 10, 9, 8, 2, 10), scores("csat", 5, 4, 3, 2)...),
		scores("ces", 7, 6)...), picks("extras", "a,b", "b")...))
	d, err := e.svc.Digest(e.ctx, core.WeekOf(start, berlin))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Dimensions []map[string]any `json:"dimensions"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	trend := func(vals ...any) []any { return append([]any{nil, nil, nil, nil, nil, nil}, vals...) }
	want := []map[string]any{
		{"key": "nps", "kind": "nps", "nps": 40.0, "previous": 0.0, "change": 40.0, "promoters": 3.0, "passives": 1.0,
			"detractors": 1.0, "responses": 5.0, "trend": trend(0.0, 40.0)},
		{"key": "csat", "kind": "csat", "csat": 50.0, "previous": 100.0, "change": -50.0, "satisfied": 2.0,
			"responses": 4.0, "trend": trend(100.0, 50.0)},
		{"key": "ces", "kind": "ces", "average": 6.5, "previous": nil, "change": nil, "responses": 2.0, "trend": trend(nil, 6.5)},
		{"key": "reason", "kind": "choice", "options": map[string]any{"delivery": 0.0, "staff": 0.0, "price": 0.0},
			"previous": map[string]any{"delivery": 0.0, "staff": 0.0, "price": 0.0}, "responses": 0.0,
			"trend": map[string]any{"delivery": zeros(8), "staff": zeros(8), "price": zeros(8)}},
		{"key": "extras", "kind": "choice", "options": map[string]any{"a": 1.0, "b": 2.0, "c": 0.0},
			"previous": map[string]any{"a": 0.0, "b": 0.0, "c": 0.0}, "responses": 2.0,
			"trend": map[string]any{"a": append(zeros(7), 1.0), "b": append(zeros(7), 2.0), "c": zeros(8)}},
	}
	if !reflect.DeepEqual(got.Dimensions, want) {
		g, _ := json.MarshalIndent(got.Dimensions, "", " ")
		t.Errorf("dimensions:\n%s", g)
	}
	if !strings.Contains(string(b), `{"key":"nps","kind":"nps","nps":40,`) {
		t.Errorf("the NPS dimension does not start as DESIGN.md shows: %s", b)
	}
}

func zeros(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = 0.0
	}
	return out
}
