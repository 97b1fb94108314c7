package core_test

import (
	"strings"
	"testing"

	"earshot/core"
)

// npsPlan is an NPS survey whose reason is asked only of detractors and whose details only
// of those who blame the staff.
func npsPlan(s *core.Settings) {
	six := 6
	s.Surveys[0].LowScoreThreshold = 0
	s.Surveys[0].Questions = []core.Question{
		{Key: "nps", Text: "How likely are you to recommend us?", Type: core.NPS, Min: 0, Max: 10},
		{Key: "reason", Text: "What went wrong?", Type: core.ChoiceType, AskIf: &core.Condition{Question: "nps", AtMost: &six},
			Options: []core.Option{{Key: "delivery", Label: "Delivery"}, {Key: "staff", Label: "Our staff"}, {Key: "price", Label: "Price"}}},
		{Key: "ease", Text: "How easy was it?", Type: core.CES, Min: 1, Max: 7},
		{Key: "details", Text: "What did our staff do?", Type: core.Text, Optional: true,
			AskIf: &core.Condition{Question: "reason", In: []string{"staff"}}},
	}
}

func TestNPSWithFollowUps(t *testing.T) {
	e := newEnv(t, npsPlan)
	e.dm("maria", "/start")
	e.dm("ben", "/start")
	e.touch("maria", "A-1")
	e.touch("ben", "B-1")
	e.wantLast("maria", "1/4 · How likely are you to recommend us?")
	q := e.msgr.to("maria")
	if m := q[len(q)-1].Message; len(m.Choices) != 11 || m.Choices[0].Label != "0" || !strings.Contains(m.Footer, "0 is not at all likely, 10 is extremely likely") {
		t.Fatalf("nps question: %d buttons, footer %q", len(m.Choices), m.Footer)
	}

	// A detractor, by button, is asked the reason; she picks it by button too.
	e.press("maria", "3")
	ds := e.msgr.to("maria")
	if m := ds[len(ds)-1].Message; !strings.Contains(m.Text, "✓ 3\n2/4 · What went wrong?") || len(m.Choices) != 3 || m.Choices[1].Label != "Our staff" {
		t.Fatalf("the reason did not follow the detractor's score: %+v", m)
	}
	e.press("maria", "Our staff")
	ds = e.msgr.to("maria")
	if m := ds[len(ds)-1].Message; !strings.Contains(m.Text, "✓ Our staff\n3/4 · How easy was it?") || len(m.Choices) != 7 {
		t.Fatalf("after the reason: %+v", m)
	}
	// A typed answer counts for a ces; blaming the staff asks the details.
	e.dm("maria", "very easy")
	e.wantLast("maria", "whole number from 1 to 7")
	e.dm("maria", "2/7")
	e.wantLast("maria", "4/4 · What did our staff do?")
	e.dm("maria", "The driver was rude.")
	e.wantLast("maria", "Shall we pass this to our team?") // a detractor (and ces 2) is a low score
	e.press("maria", "Yes, tell the team")
	c := e.complaint("C-1001")
	for _, want := range []string{"nps 3/10 (low)", "ease 2/7 (low)", "reason Our staff", "The driver was rude."} {
		if !strings.Contains(c.Text, want) {
			t.Errorf("complaint text %q lacks %q", c.Text, want)
		}
	}

	// A promoter, typing, skips the reason and the details.
	e.dm("ben", "9/10")
	e.wantLast("ben", "2/2 · How easy was it?") // a promoter: the reason and details are not counted
	e.dm("ben", "7")
	e.wantLast("ben", "Thank you! Your answers help us get better.")
	var keys []string
	for _, a := range e.export("ben").Answers {
		keys = append(keys, a.Question)
	}
	if strings.Join(keys, " ") != "nps ease" {
		t.Errorf("ben's answers: %v; want nps and ease only", keys)
	}
}

func TestChoiceTyped(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) {
		s.Surveys[0].Questions = []core.Question{
			{Key: "reason", Text: "What went wrong?", Type: core.ChoiceType,
				Options: []core.Option{{Key: "delivery", Label: "Delivery"}, {Key: "staff", Label: "Our staff"}}},
			{Key: "extras", Text: "What else?", Type: core.ChoiceType, Multiple: true,
				Options: []core.Option{{Key: "a", Label: "Apples"}, {Key: "b", Label: "Bananas"}, {Key: "c", Label: "Cherries"}}},
		}
	})
	e.dm("maria", "/start")
	e.touch("maria", "A-1")
	e.dm("maria", "the weather")
	e.wantLast("maria", "didn't recognise that option")
	e.dm("maria", "our STAFF")
	e.wantLast("maria", `2/2 · What else?`)
	q := e.msgr.to("maria")
	if m := q[len(q)-1].Message; !strings.Contains(m.Footer, `1 Apples · 2 Bananas · 3 Cherries`) {
		t.Fatalf("multiple choice footer %q", m.Footer)
	}
	e.dm("maria", "3, 1")
	e.wantLast("maria", "Thank you!")
	got := map[string]any{}
	for _, a := range e.export("maria").Answers {
		got[a.Question] = a.Value
	}
	if got["reason"] != "staff" || got["extras"] != "a,c" {
		t.Errorf("stored answers %v; want reason staff, extras a,c", got)
	}
}

// TestRunKeepsItsQuestions: the plan is changed (a question removed, the others reordered
// and retyped) and the service restarted while a survey runs; the run goes on with the
// questions it started with, and a run sent afterwards asks the new ones.
func TestRunKeepsItsQuestions(t *testing.T) {
	e := newEnv(t, npsPlan)
	e.dm("maria", "/start")
	e.touch("maria", "A-1")
	e.press("maria", "2") // a detractor: the reason is next

	e.set.Surveys[0].Questions = []core.Question{
		{Key: "ease", Text: "Was it easy?", Type: core.Text},
		{Key: "nps", Text: "Recommend us?", Type: core.Scale, Min: 1, Max: 5},
	}
	e.restart()
	e.press("maria", "Price") // the old question's button still answers it
	ds := e.msgr.to("maria")
	if m := ds[len(ds)-1].Message; !strings.Contains(m.Text, "✓ Price\n3/3 · How easy was it?") || len(m.Choices) != 7 {
		t.Fatalf("after the plan changed, the run asks %+v; want its own third question", m)
	}
	e.dm("maria", "6")
	e.wantLast("maria", "Shall we pass this to our team?") // its nps 2 is still a detractor's

	e.dm("ben", "/start")
	e.touch("ben", "B-1")
	e.wantLast("ben", "1/2 · Was it easy?")
}
