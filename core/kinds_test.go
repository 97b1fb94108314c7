package core

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestIsLowPerKind(t *testing.T) {
	tests := []struct {
		kind      QuestionType
		threshold int
		lowUpTo   int // the highest low score; -1: none
		max       int
	}{
		{Scale, 4, 4, 10},
		{Scale, 0, -1, 10},
		{NPS, 0, 6, 10}, // detractors, whatever the scale threshold
		{NPS, 9, 6, 10},
		{CSAT, 0, 2, 5},
		{CES, 0, 3, 7},
		{Text, 4, -1, 10},
		{ChoiceType, 4, -1, 10},
	}
	for _, tt := range tests {
		q := Question{Type: tt.kind}
		for s := 0; s <= tt.max; s++ {
			if got, want := q.IsLow(s, tt.threshold), s <= tt.lowUpTo; got != want {
				t.Errorf("%s (threshold %d): IsLow(%d) = %v, want %v", tt.kind, tt.threshold, s, got, want)
			}
		}
	}
	p := SurveyPlan{Questions: []Question{{Key: "n", Type: NPS}}}
	six := 6
	if !p.canBeLow() || !p.isLow(Answer{QuestionKey: "n", Score: &six}) {
		t.Error("a plan asking nps, threshold 0: a 6 is not low")
	}
	p.NoLowScoreOffer = true
	if p.isLow(Answer{QuestionKey: "n", Score: &six}) {
		t.Error("NoLowScoreOffer: a 6 is still low")
	}
}

func TestNextAskedChains(t *testing.T) {
	six, nine := 6, 9
	plan := SurveyPlan{Questions: []Question{
		{Key: "nps", Type: NPS, Min: 0, Max: 10},
		{Key: "reason", Type: ChoiceType, Options: []Option{{Key: "delivery", Label: "Delivery"}, {Key: "staff", Label: "Staff"}}, AskIf: &Condition{Question: "nps", AtMost: &six}},
		{Key: "staff_note", Type: Text, AskIf: &Condition{Question: "reason", In: []string{"staff"}}},
		{Key: "praise", Type: Text, AskIf: &Condition{Question: "nps", AtLeast: &nine}},
		{Key: "comment", Type: Text},
	}}
	score := func(v int) Answer { return Answer{QuestionKey: "nps", Score: &v} }
	tests := []struct {
		name    string
		from    int
		answers []Answer
		want    int
	}{
		{"detractor gets the reason", 1, []Answer{score(3)}, 1},
		{"passive skips reason, its follow-up and praise", 1, []Answer{score(7)}, 4},
		{"promoter skips to praise", 1, []Answer{score(10)}, 3},
		{"reason staff asks the note", 2, []Answer{score(2), {QuestionKey: "reason", Text: "staff"}}, 2},
		{"reason delivery skips the note and praise", 2, []Answer{score(2), {QuestionKey: "reason", Text: "delivery"}}, 4},
		{"several options, one matches", 2, []Answer{score(2), {QuestionKey: "reason", Text: "delivery,staff"}}, 2},
		{"a skipped score asks no follow-up", 1, []Answer{{QuestionKey: "nps", Skipped: true}}, 4},
		{"no answer at all", 1, nil, 4},
		{"past the end", 5, nil, 5},
	}
	for _, tt := range tests {
		if got := nextAsked(plan, tt.from, tt.answers); got != tt.want {
			t.Errorf("%s: nextAsked from %d = %d, want %d", tt.name, tt.from, got, tt.want)
		}
	}
}

var testOptions = []Option{{Key: "delivery", Label: "Delivery"}, {Key: "staff", Label: "Friendly staff"}, {Key: "price", Label: "Price"}}

func TestParseChoice(t *testing.T) {
	tests := []struct {
		text     string
		multiple bool
		want     []string // nil: not an answer
	}{
		{"1", false, []string{"delivery"}},
		{" 3. ", false, []string{"price"}},
		{"delivery", false, []string{"delivery"}},
		{"friendly STAFF", false, []string{"staff"}},
		{"Friendly staff!", false, []string{"staff"}},
		{"staff", false, []string{"staff"}},
		{"4", false, nil},
		{"0", false, nil},
		{"1, 3", false, nil},
		{"", false, nil},
		{"the food", false, nil},
		{"1, 3", true, []string{"delivery", "price"}},
		{"3,1", true, []string{"delivery", "price"}},
		{"1 3", true, []string{"delivery", "price"}},
		{"price and friendly staff", true, []string{"staff", "price"}},
		{"Delivery; 2", true, []string{"delivery", "staff"}},
		{"2, 2", true, []string{"staff"}},
		{"2", true, []string{"staff"}},
		{"1, 9", true, nil},
		{"friendly", true, nil},
		{"Friendly staff", true, []string{"staff"}},
		{", ,", true, nil},
	}
	for _, tt := range tests {
		got, ok := ParseChoice(tt.text, testOptions, tt.multiple)
		if ok != (tt.want != nil) || !slices.Equal(got, tt.want) {
			t.Errorf("ParseChoice(%q, multiple %v) = %v, %v; want %v", tt.text, tt.multiple, got, ok, tt.want)
		}
	}
}

func FuzzParseChoice(f *testing.F) {
	for _, s := range []string{"1", "1, 3", "Delivery and price", "friendly staff", "x", "", "1 2 3", ";;", " and "} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, text string, multiple bool) {
		keys, ok := ParseChoice(text, testOptions, multiple)
		if ok != (len(keys) > 0) {
			t.Fatalf("ParseChoice(%q) = %v, %v: ok must mean some option", text, keys, ok)
		}
		if !multiple && len(keys) > 1 {
			t.Fatalf("single choice %q gave %v", text, keys)
		}
		last := -1
		for _, k := range keys {
			i := slices.IndexFunc(testOptions, func(o Option) bool { return o.Key == k })
			if i <= last {
				t.Fatalf("ParseChoice(%q) = %v: unknown, repeated or out of order", text, keys)
			}
			last = i
		}
		if ok && utf8.ValidString(text) && strings.TrimSpace(text) == "" {
			t.Fatalf("blank %q parsed as %v", text, keys)
		}
	})
}

// keyTexts renders a key as its name and arguments: what core chose, without the words.
type keyTexts struct{}

func (keyTexts) Text(_ Lang, k Key, a Args) string {
	if len(a) == 0 {
		return string(k)
	}
	return fmt.Sprintf("%s %v", k, map[string]any(a))
}
func (keyTexts) Match(string) (Lang, bool)              { return "", false }
func (keyTexts) Number(_ Lang, v float64, d int) string { return strconv.FormatFloat(v, 'f', d, 64) }
func (keyTexts) DayTime(_ Lang, t time.Time) string     { return t.Format("Mon 15:04") }
func (keyTexts) Default() Lang                          { return "en" }
func (keyTexts) Offered() []Lang                        { return []Lang{"en"} }

func TestQuestionChoicesTellTheRange(t *testing.T) {
	pay := func(v string) string { return "s:9223372036854775807:19:" + v } // the longest run id
	many := make([]Option, 20)
	for i := range many {
		many[i] = Option{Key: fmt.Sprintf("option%02d", i), Label: "A rather long label for option " + strconv.Itoa(i)}
	}
	tests := []struct {
		q       Question
		buttons int
		footer  string
	}{
		{Question{Type: NPS, Min: 0, Max: 10}, 11, "survey_hint_nps map[Max:10 Min:0]"},
		{Question{Type: CSAT, Min: 1, Max: 5}, 5, "survey_hint_csat map[Max:5 Min:1]"},
		{Question{Type: CES, Min: 1, Max: 7}, 7, "survey_hint_ces map[Max:7 Min:1]"},
		{Question{Type: Scale, Min: 1, Max: 10}, 10, "survey_hint_scale map[Max:10 Min:1]"},
		{Question{Type: ChoiceType, Options: testOptions}, 3, "survey_hint_choice"},
		{Question{Type: ChoiceType, Options: testOptions, Multiple: true}, 4, "survey_hint_multiple map[Options:1 Delivery · 2 Friendly staff · 3 Price]"},
		{Question{Type: ChoiceType, Options: many[:2], Multiple: true}, 3, "survey_hint_multiple map[Options:1 A rather long label for option 0 · 2 A rather long label for option 1]"},
		{Question{Type: ChoiceType, Options: many, Multiple: true, Optional: true}, 21, ""}, // the most config allows
		{Question{Type: Text}, 0, "survey_hint_text"},
	}
	a := asking{texts: keyTexts{}, lang: "en"}
	for _, tt := range tests {
		cs, footer := a.choices(tt.q, pay, nil)
		if len(cs) != tt.buttons || (tt.footer != "" && footer != tt.footer) {
			t.Errorf("%s: %d buttons, footer %q; want %d and %q", tt.q.Type, len(cs), footer, tt.buttons, tt.footer)
		}
		for _, c := range cs {
			if len(c.Payload) > MaxPayload {
				t.Errorf("%s: payload %q over %d bytes", tt.q.Type, c.Payload, MaxPayload)
			}
			if _, ok := parseAction(c.Payload); !ok {
				t.Errorf("%s: payload %q does not parse", tt.q.Type, c.Payload)
			}
		}
	}
}

// TestPicksAreTickedAndDoneComesLast: a multiple choice shows its picks ticked, in the
// options' order, and ends with Done.
func TestPicksAreTickedAndDoneComesLast(t *testing.T) {
	a := asking{texts: keyTexts{}, lang: "de"}
	q := Question{Type: ChoiceType, Multiple: true, Options: []Option{{Key: "delivery", Label: "Delivery", LabelIn: Localized{"de": "Lieferung"}},
		{Key: "staff", Label: "Staff"}, {Key: "price", Label: "Price", LabelIn: Localized{"de": "Preis"}}}}
	picks := toggle(q, toggle(q, nil, "price"), "delivery")
	if joinKeys(picks) != "delivery,price" {
		t.Fatalf("picks = %v", picks)
	}
	cs, _ := a.choices(q, func(v string) string { return "s:1:0:" + v }, picks)
	var labels []string
	for _, c := range cs {
		labels = append(labels, c.Label+"="+c.Payload)
	}
	want := "✓ Lieferung=s:1:0:t0 Staff=s:1:0:t1 ✓ Preis=s:1:0:t2 survey_done=s:1:0:done"
	if got := strings.Join(labels, " "); got != want {
		t.Errorf("buttons %s\nwant %s", got, want)
	}
	if got := toggle(q, picks, "delivery"); joinKeys(got) != "price" {
		t.Errorf("toggling a pick again = %v; want it removed", got)
	}
}
