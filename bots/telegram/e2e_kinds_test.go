package telegram

import (
	"earshot/bots/internal/kittest"
	"fmt"
	"strings"
	"testing"
	"time"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
)

// npsSettings asks an NPS, and only of detractors every reason that applies.
func npsSettings(o *core.Options) {
	six := 6
	o.Settings.Surveys[0].Questions = []core.Question{
		{Key: "nps", Text: "How likely are you to recommend us?", Type: core.NPS, Min: 0, Max: 10},
		{Key: "reasons", Text: "What went wrong?", Type: core.ChoiceType, Multiple: true,
			AskIf:   &core.Condition{Question: "nps", AtMost: &six},
			Options: []core.Option{{Key: "delivery", Label: "Delivery"}, {Key: "staff", Label: "Our staff"}, {Key: "price", Label: "Price"}}},
	}
}

// TestNPSWithAFollowUpChoice: on the fake Bot API, Dana gives a detractor's 3 and picks her
// reasons by buttons (a redelivered press toggles once, Done finishes); Eve types "2/10" and
// "1, 3". The week's digest then has both NPS answers.
func TestNPSWithAFollowUpChoice(t *testing.T) {
	e := newE2E(t, true, npsSettings) // webhook: redelivered updates reach the bot again
	ctx := t.Context()
	eve := faketelegram.User{ID: 45, FirstName: "Eve", LanguageCode: "en"}
	for _, u := range []faketelegram.User{dana, eve} {
		e.say(faketelegram.Post{From: u, Text: "/start"})
		e.await(u.ID, "This is Acme Bikes")
	}
	for _, who := range []string{"42", "45"} {
		if _, err := e.svc.Touch(ctx, core.TouchRequest{Customer: core.UserRef{Platform: core.Telegram, ID: who},
			Stage: "delivery", Ref: "A-" + who}); err != nil {
			t.Fatal(err)
		}
	}

	// Dana, by buttons. The NPS shows 0–5 above 6–10.
	q := e.await(42, "1/2 · How likely are you to recommend us?")
	if got := fmt.Sprint(q.Labels()); got != "[[0 1 2 3 4 5] [6 7 8 9 10]]" || !strings.Contains(q.Text, "0 is not at all likely, 10 is extremely likely") {
		t.Fatalf("NPS question: keyboard %s, text %q", got, q.Text)
	}
	if got := e.press(dana, 42, "3"); got != "Thanks!" {
		t.Errorf("score notice %q", got)
	}
	e.awaitMsg(42, "the reason asked in place of the score", func(m faketelegram.Message) bool {
		return m.ID == q.ID && strings.Contains(m.Text, "✓ 3\n2/2 · What went wrong?") &&
			fmt.Sprint(m.Labels()) == "[[Delivery Our staff] [Price Done]]"
	})
	if got := e.press(dana, 42, "Delivery"); got != "✓ Delivery" {
		t.Errorf("pick notice %q", got)
	}
	update, qid, err := e.f.PressButton(dana, 42, "Price")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.f.WaitCallbackAnswer(qid, wait); err != nil {
		t.Fatal(err)
	}
	e.f.Redeliver(update) // Telegram sends the press again: it must not unpick Price
	if err := e.f.WaitConfirmed(update, wait); err != nil {
		t.Fatal(err)
	}
	picks := e.awaitMsg(42, "both picks ticked", func(m faketelegram.Message) bool {
		return m.ID == q.ID && fmt.Sprint(m.Labels()) == "[[✓ Delivery Our staff] [✓ Price Done]]"
	})
	toggleDelivery := picks.Keyboard[0][0].Data
	if got := e.press(dana, 42, "Done"); got != "Thanks!" {
		t.Errorf("Done notice %q", got)
	}
	e.await(42, "Thank you for your honesty — we're sorry we let you down. Shall we pass this to our team?")
	e.awaitMsg(42, "the answered question without buttons", func(m faketelegram.Message) bool {
		return m.ID == q.ID && strings.HasSuffix(m.Text, "2/2 · What went wrong?\n✓ Delivery, Price") && len(m.Keyboard) == 0
	})
	e.press(dana, 42, "No, thanks")
	// The toggle pressed again from an old copy of the question, after Done: nothing changes.
	if _, qid := e.f.Press(dana, 42, q.ID, toggleDelivery); true {
		if got, err := e.f.WaitCallbackAnswer(qid, wait); err != nil || got != "This survey is closed. Thank you!" {
			t.Errorf("stale toggle answered %q, %v", got, err)
		}
	}

	// Eve, by typing.
	e.await(45, "1/2 · How likely are you to recommend us?")
	e.say(faketelegram.Post{From: eve, Text: "2/10"})
	e.await(45, "2/2 · What went wrong?")
	e.say(faketelegram.Post{From: eve, Text: "1, 3"})
	e.await(45, "Shall we pass this to our team?")

	for who, want := range map[string]string{"42": "delivery,price", "45": "delivery,price"} {
		x, err := e.svc.Export(ctx, core.UserRef{Platform: core.Telegram, ID: who})
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Answers) != 2 || fmt.Sprint(x.Answers[1].Value) != want {
			t.Errorf("%s's answers %+v; want the score and %s", who, x.Answers, want)
		}
	}
	d, err := e.svc.Digest(ctx, core.WeekOf(time.Now(), time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	kittest.AssertKindsDigest(t, d)
}
