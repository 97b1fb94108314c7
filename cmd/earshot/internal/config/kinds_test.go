package config

import (
	"reflect"
	"strings"
	"testing"

	"earshot/core"
)

const npsPlan = `
surveys:
  - name: nps
    trigger: delivery
    questions:
      - {key: nps, text: "How likely are you to recommend us?", type: nps}
      - key: reason
        text: "What went wrong?"
        type: choice
        options: [{key: delivery, label: Delivery}, {key: staff, label: Staff}, {key: price, label: Price}]
        ask_if: {question: nps, at_most: 6}
      - {key: ease, text: "How easy was ordering?", type: ces}
      - {key: happy, text: "How satisfied are you?", type: csat, ask_if: {question: ease, at_least: 1, at_most: 3}}
      - {key: why, text: "Tell us more", type: text, optional: true, ask_if: {question: reason, in: [staff]}}
      - {key: extras, text: "Anything else?", type: choice, multiple: true, options: [{key: a, label: A}, {key: b, label: B}]}
`

func TestKindsDecoded(t *testing.T) {
	c, err := Parse([]byte(npsPlan), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Settings()
	if err != nil {
		t.Fatal(err)
	}
	p, _ := s.Plan("nps")
	six, one, three := 6, 1, 3
	want := []core.Question{
		{Key: "nps", Text: "How likely are you to recommend us?", Type: core.NPS, Min: 0, Max: 10},
		{Key: "reason", Text: "What went wrong?", Type: core.ChoiceType,
			Options: []core.Option{{Key: "delivery", Label: "Delivery"}, {Key: "staff", Label: "Staff"}, {Key: "price", Label: "Price"}},
			AskIf:   &core.Condition{Question: "nps", AtMost: &six}},
		{Key: "ease", Text: "How easy was ordering?", Type: core.CES, Min: 1, Max: 7},
		{Key: "happy", Text: "How satisfied are you?", Type: core.CSAT, Min: 1, Max: 5,
			AskIf: &core.Condition{Question: "ease", AtLeast: &one, AtMost: &three}},
		{Key: "why", Text: "Tell us more", Type: core.Text, Optional: true, AskIf: &core.Condition{Question: "reason", In: []string{"staff"}}},
		{Key: "extras", Text: "Anything else?", Type: core.ChoiceType, Multiple: true,
			Options: []core.Option{{Key: "a", Label: "A"}, {Key: "b", Label: "B"}}},
	}
	if !reflect.DeepEqual(p.Questions, want) {
		t.Errorf("questions\n%+v\nwant\n%+v", p.Questions, want)
	}
	if p.LowScoreThreshold != 0 || p.NoLowScoreOffer {
		t.Errorf("a plan without scales: threshold %d, no offer %v; want 0 and false (nps/csat/ces keep their rule)", p.LowScoreThreshold, p.NoLowScoreOffer)
	}
	// The configuration prints back to what it read.
	back, err := Parse([]byte(c.String()), noEnv)
	if err != nil {
		t.Fatalf("String() does not parse back: %v\n%s", err, c.String())
	}
	if !sameSurvey(back.Surveys[0], c.Surveys[0]) {
		t.Errorf("String() parses back to %+v", back.Surveys[0])
	}
}

func TestThresholdZeroTurnsOffers(t *testing.T) {
	c, err := Parse([]byte("surveys:\n- {name: s, trigger: t, low_score_threshold: 0, questions: [{key: n, text: q, type: nps}]}\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.Settings()
	if p, _ := s.Plan("s"); !p.NoLowScoreOffer {
		t.Errorf("low_score_threshold: 0 written: NoLowScoreOffer = false")
	}
}

func TestBadKinds(t *testing.T) {
	plan := func(qs string) string { return "surveys:\n- name: s\n  trigger: t\n  questions:\n" + qs }
	choice := "  - {key: c, text: q, type: choice, options: [{key: x, label: X}, {key: y, label: Y}]}\n"
	tests := []struct{ name, yaml, path, reason string }{
		{"nps with a range", plan("  - {key: n, text: q, type: nps, min: 1, max: 10}\n"), "surveys[0].questions[0]", "always 0-10"},
		{"csat with max", plan("  - {key: n, text: q, type: csat, max: 7}\n"), "surveys[0].questions[0]", "always 1-5"},
		{"one option", plan("  - {key: c, text: q, type: choice, options: [{key: x, label: X}]}\n"), "surveys[0].questions[0].options", "at least 2"},
		{"bad option key", plan("  - {key: c, text: q, type: choice, options: [{key: X, label: X}, {key: y, label: Y}]}\n"),
			"surveys[0].questions[0].options[0].key", "lower-case"},
		{"duplicate option", plan("  - {key: c, text: q, type: choice, options: [{key: x, label: X}, {key: x, label: Y}]}\n"),
			"surveys[0].questions[0].options[1].key", "already an option"},
		{"empty label", plan("  - {key: c, text: q, type: choice, options: [{key: x, label: ''}, {key: y, label: Y}]}\n"),
			"surveys[0].questions[0].options[0].label", "at most 80"},
		{"options on a scale", plan("  - {key: n, text: q, type: scale, options: [{key: x, label: X}]}\n"), "surveys[0].questions[0].options", "only a choice"},
		{"ask_if a later question", plan("  - {key: a, text: q, type: text, ask_if: {question: b, at_most: 3}}\n  - {key: b, text: q, type: nps}\n"),
			"surveys[0].questions[0].ask_if.question", `"b" is not an earlier question`},
		{"ask_if an unknown question", plan("  - {key: b, text: q, type: nps}\n  - {key: a, text: q, type: text, ask_if: {question: zz, at_most: 3}}\n"),
			"surveys[0].questions[1].ask_if.question", `"zz" is not an earlier question`},
		{"ask_if itself", plan("  - {key: b, text: q, type: nps}\n  - {key: a, text: q, type: text, ask_if: {question: a, at_most: 3}}\n"),
			"surveys[0].questions[1].ask_if.question", `"a" is not an earlier question`},
		{"ask_if a text", plan("  - {key: b, text: q, type: text}\n  - {key: a, text: q, type: text, ask_if: {question: b, at_most: 3}}\n"),
			"surveys[0].questions[1].ask_if.question", "text question"},
		{"ask_if in on a score", plan("  - {key: b, text: q, type: nps}\n  - {key: a, text: q, type: text, ask_if: {question: b, in: [x]}}\n"),
			"surveys[0].questions[1].ask_if.in", "at_most or at_least"},
		{"ask_if at_most on a choice", plan(choice + "  - {key: a, text: q, type: text, ask_if: {question: c, at_most: 1}}\n"),
			"surveys[0].questions[1].ask_if", "in: [option keys]"},
		{"ask_if unknown option", plan(choice + "  - {key: a, text: q, type: text, ask_if: {question: c, in: [x, z]}}\n"),
			"surveys[0].questions[1].ask_if.in[1]", `"z" is not an option`},
		{"ask_if no comparison", plan("  - {key: b, text: q, type: ces}\n  - {key: a, text: q, type: text, ask_if: {question: b}}\n"),
			"surveys[0].questions[1].ask_if", "write at_most or at_least"},
		{"ask_if out of range", plan("  - {key: b, text: q, type: csat}\n  - {key: a, text: q, type: text, ask_if: {question: b, at_most: 9}}\n"),
			"surveys[0].questions[1].ask_if.at_most", "outside question \"b\"'s range 1-5"},
		{"ask_if never", plan("  - {key: b, text: q, type: nps}\n  - {key: a, text: q, type: text, ask_if: {question: b, at_least: 8, at_most: 3}}\n"),
			"surveys[0].questions[1].ask_if", "never be asked"},
		{"ask_if unknown key", plan("  - {key: b, text: q, type: nps}\n  - {key: a, text: q, type: text, ask_if: {question: b, below: 3}}\n"),
			"surveys[0].questions[1].ask_if.below", "unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), noEnv)
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if strings.HasPrefix(line, tt.path+": ") && strings.Contains(line, tt.reason) {
					return
				}
			}
			t.Fatalf("error\n%v\nhas no line %q…%q", err, tt.path+": ", tt.reason)
		})
	}
}
