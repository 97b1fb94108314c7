package core_test

import (
	"strings"
	"testing"

	"earshot/core"
)

// reasonsPlan asks for every reason that applies (a multiple choice), then an optional
// comment.
func reasonsPlan(optional bool) func(*core.Settings) {
	return func(s *core.Settings) {
		s.Surveys[0].Questions = []core.Question{
			{Key: "reasons", Text: "What went wrong?", TextIn: core.Localized{"de": "Was lief schief?"},
				Type: core.ChoiceType, Multiple: true, Optional: optional,
				Options: []core.Option{{Key: "delivery", Label: "Delivery", LabelIn: core.Localized{"de": "Lieferung"}},
					{Key: "staff", Label: "Our staff"}, {Key: "price", Label: "Price", LabelIn: core.Localized{"de": "Preis"}}}},
			{Key: "comment", Text: "Anything else?", Type: core.Text, Optional: true},
		}
	}
}

// lastTo returns the newest message to who.
func (e *env) lastTo(who string) core.Delivery {
	e.t.Helper()
	ds := e.msgr.to(who)
	if len(ds) == 0 {
		e.t.Fatalf("nothing sent to %s", who)
	}
	return ds[len(ds)-1]
}

// labels lists a message's button labels.
func labels(m core.Message) string {
	var out []string
	for _, c := range m.Choices {
		out = append(out, c.Label)
	}
	return strings.Join(out, " | ")
}

func answerOf(e *env, who, key string) (any, bool) {
	for _, a := range e.export(who).Answers {
		if a.Question == key {
			return a.Value, true
		}
	}
	return nil, false
}

// TestMultipleChoiceByButtons: each press toggles an option and the question is edited to
// show the picks; a redelivered press toggles once; the picks survive a restart; Done
// records them; a toggle on the answered question changes nothing.
func TestMultipleChoiceByButtons(t *testing.T) {
	e := newEnv(t, reasonsPlan(false))
	e.dm("maria", "/start")
	e.touch("maria", "A-1")
	q := e.lastTo("maria")
	if got := labels(q.Message); got != "Delivery | Our staff | Price | Done" ||
		!strings.Contains(q.Message.Footer, `then Done — or type their numbers or names, like "1, 3": 1 Delivery · 2 Our staff · 3 Price.`) {
		t.Fatalf("question: buttons %s, footer %q", got, q.Message.Footer)
	}
	oldDelivery := e.msgr.button(t, "maria", "Delivery")

	// Done before any pick: a notice, nothing recorded, the question stays.
	if r := e.press("maria", "Done"); r.Notice != "Pick at least one option first, then tap Done." {
		t.Errorf("Done with no picks: notice %q", r.Notice)
	}
	if _, ok := answerOf(e, "maria", "reasons"); ok {
		t.Fatal("Done with no picks recorded an answer")
	}

	if r := e.press("maria", "Delivery"); r.Notice != "✓ Delivery" {
		t.Errorf("pick notice %q", r.Notice)
	}
	ed := e.lastTo("maria")
	if ed.EditID == "" || labels(ed.Message) != "✓ Delivery | Our staff | Price | Done" || !strings.HasPrefix(ed.Message.Text, "1/2 · What went wrong?") {
		t.Fatalf("after a pick the question reads %q with %s (edit of %q)", ed.Message.Text, labels(ed.Message), ed.EditID)
	}

	// A redelivered press (same event id) toggles once.
	staff := core.Incoming{EventID: "press-staff", From: user("maria"), Chat: core.ChatRef(user("maria")), Direct: true,
		Action: e.msgr.button(t, "maria", "Our staff")}
	e.send(staff)
	if r := e.send(staff); !r.Duplicate {
		t.Errorf("the redelivered press was handled again")
	}
	if got := labels(e.lastTo("maria").Message); got != "✓ Delivery | ✓ Our staff | Price | Done" {
		t.Fatalf("after a redelivered press: %s", got)
	}
	// Pressed again (a new press), it is unpicked.
	if r := e.press("maria", "✓ Our staff"); r.Notice != "Removed: Our staff" {
		t.Errorf("unpick notice %q", r.Notice)
	}
	e.press("maria", "Price")

	e.restart()
	if got := labels(e.lastTo("maria").Message); got != "✓ Delivery | Our staff | ✓ Price | Done" {
		t.Fatalf("before Done: %s", got)
	}
	if r := e.press("maria", "Done"); r.Notice != "Thanks!" {
		t.Errorf("Done notice %q", r.Notice)
	}
	if m := e.lastTo("maria").Message; !strings.Contains(m.Text, "1/2 · What went wrong?\n✓ Delivery, Price\n2/2 · Anything else?") {
		t.Fatalf("after Done: %q", m.Text)
	}
	if v, _ := answerOf(e, "maria", "reasons"); v != "delivery,price" {
		t.Errorf("stored %v; want delivery,price", v)
	}

	// The answered question's old button: nothing changes.
	stale := e.send(core.Incoming{From: user("maria"), Chat: core.ChatRef(user("maria")), Direct: true, Action: oldDelivery})
	if stale.Notice != "You already answered that question." {
		t.Errorf("stale toggle: notice %q", stale.Notice)
	}
	e.dm("maria", "skip")
	e.wantLast("maria", "Thank you! Your answers help us get better.")
	stale = e.send(core.Incoming{From: user("maria"), Chat: core.ChatRef(user("maria")), Direct: true, Action: oldDelivery})
	if stale.Notice != "This survey is closed. Thank you!" {
		t.Errorf("toggle after the survey: notice %q", stale.Notice)
	}
	if v, _ := answerOf(e, "maria", "reasons"); v != "delivery,price" {
		t.Errorf("after stale presses: stored %v", v)
	}
}

// TestMultipleChoiceTyped: typed numbers or names answer at once, whatever was picked; an
// optional multiple choice finished with nothing picked is skipped.
func TestMultipleChoiceTyped(t *testing.T) {
	e := newEnv(t, reasonsPlan(true))
	for _, who := range []string{"maria", "ben", "dana"} {
		e.dm(who, "/start")
		e.touch(who, "A-"+who)
	}
	e.press("maria", "Our staff")
	e.dm("maria", "1, 3")
	e.wantLast("maria", "2/2 · Anything else?")
	e.dm("ben", "delivery and PRICE")
	e.wantLast("ben", "2/2 · Anything else?")
	e.dm("dana", "the weather")
	e.wantLast("dana", "Sorry, I didn't recognise that option. Type the numbers or names of all that apply")
	e.press("dana", "Done")
	if m := e.lastTo("dana").Message; !strings.Contains(m.Text, "✓ skipped\n2/2 · Anything else?") {
		t.Errorf("after an empty Done: %q", m.Text)
	}
	for who, want := range map[string]any{"maria": "delivery,price", "ben": "delivery,price"} {
		if v, _ := answerOf(e, who, "reasons"); v != want {
			t.Errorf("%s: stored %v; want %v", who, v, want)
		}
	}
	for _, a := range e.export("dana").Answers {
		if a.Question == "reasons" && !a.Skipped {
			t.Errorf("dana's empty Done: %+v; want skipped", a)
		}
	}
}

// TestSurveyInTheCustomersLanguage: a German customer reads the intro, the question, its
// options and the hints in German, and may type an option's German label or "9 von 10".
func TestSurveyInTheCustomersLanguage(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) {
		reasonsPlan(false)(s)
		s.Surveys[0].Questions = append([]core.Question{{Key: "nps", Text: "How likely are you to recommend us?",
			TextIn: core.Localized{"de": "Wie wahrscheinlich empfehlen Sie uns weiter?"}, Type: core.NPS, Min: 0, Max: 10}},
			s.Surveys[0].Questions...)
	})
	e.langs = []core.Lang{"en", "de"}
	e.restart()
	e.send(core.Incoming{From: user("jonas"), Chat: core.ChatRef(user("jonas")), Direct: true, Text: "/start", Locale: "de-AT", Name: "Jonas Weber"})
	e.touch("jonas", "A-9")
	m := e.lastTo("jonas").Message
	for _, want := range []string{"Hallo Jonas! Hier ist", "Wir hoffen, Ihre Lieferung (A-9) ist gut angekommen.",
		"Würden Sie uns 3 kurze Fragen beantworten?", "1/3 · Wie wahrscheinlich empfehlen Sie uns weiter?"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("intro %q lacks %q", m.Text, want)
		}
	}
	if !strings.Contains(m.Footer, "0 = sehr unwahrscheinlich, 10 = äußerst wahrscheinlich") {
		t.Errorf("footer %q", m.Footer)
	}
	e.dm("jonas", "neun")
	e.wantLast("jonas", "Entschuldigung, hier brauche ich eine ganze Zahl von 0 bis 10")
	e.dm("jonas", "9 von 10")
	m = e.lastTo("jonas").Message
	if !strings.Contains(m.Text, "2/3 · Was lief schief?") || labels(m) != "Lieferung | Our staff | Preis | Fertig" {
		t.Fatalf("choice in German: %q, %s", m.Text, labels(m))
	}
	e.press("jonas", "Preis")
	if got := labels(e.lastTo("jonas").Message); got != "Lieferung | Our staff | ✓ Preis | Fertig" {
		t.Errorf("after a pick: %s", got)
	}
	e.dm("jonas", "Lieferung und Preis")
	e.wantLast("jonas", "3/3 · Anything else?")
	e.dm("jonas", "Überspringen")
	e.wantLast("jonas", "Vielen Dank! Ihre Antworten helfen uns, besser zu werden.")
	if v, _ := answerOf(e, "jonas", "reasons"); v != "delivery,price" {
		t.Errorf("stored %v", v)
	}
}
