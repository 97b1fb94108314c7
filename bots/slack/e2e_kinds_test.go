package slack

import (
	"earshot/bots/internal/kittest"
	"fmt"
	"strings"
	"testing"
	"time"

	"earshot/bots/slack/fakeslack"
	"earshot/core"
	"earshot/core/coretest"
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

// labelsOf lists a message's buttons.
func labelsOf(m fakeslack.Message) string {
	var out []string
	for _, b := range m.Buttons() {
		out = append(out, b.Text)
	}
	return strings.Join(out, " | ")
}

// awaitEphemeral waits for the notice told to user.
func (e *e2e) awaitEphemeral(user, text string) {
	e.t.Helper()
	coretest.WaitFor(e.t, "the notice "+text, func() bool {
		for _, m := range e.fs.Ephemerals() {
			if m.User == user && strings.Contains(m.Shown(), text) {
				return true
			}
		}
		return false
	})
}

// TestNPSWithAFollowUpChoice: on the fake Slack (Socket Mode), the customer gives a
// detractor's 3 and picks reasons by buttons (a redelivered envelope toggles once, Done
// finishes); a second customer types "2/10" and "delivery, price". The week's digest then
// has both NPS answers.
func TestNPSWithAFollowUpChoice(t *testing.T) {
	e := newE2E(t, true, npsSettings)
	ctx := t.Context()
	const eve = "UEVE"
	e.fs.AddUser(fakeslack.User{ID: eve, Name: "eve", RealName: "Eve Second", Locale: "en-US"})
	for _, who := range []string{customer, eve} {
		if _, err := e.svc.Touch(ctx, core.TouchRequest{Customer: core.UserRef{Platform: core.Slack, ID: who},
			Stage: "delivery", Ref: "A-" + who}); err != nil {
			t.Fatal(err)
		}
	}
	im, eveIM := e.fs.IMChannel(customer), e.fs.IMChannel(eve)

	q := e.await("the NPS", im, shows("1/2 · How likely are you to recommend us?"))
	if got := labelsOf(q); got != "0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10" || !strings.Contains(q.Shown(), "0 is not at all likely, 10 is extremely likely") {
		t.Fatalf("NPS question: buttons %s, shows %q", got, q.Shown())
	}
	e.click(customer, q, "3")
	e.await("the reason in place of the score", im, func(m fakeslack.Message) bool {
		return m.TS == q.TS && strings.Contains(m.Shown(), "✓ 3\n2/2 · What went wrong?") && labelsOf(m) == "Delivery | Our staff | Price | Done"
	})
	e.click(customer, q, "Delivery")
	e.awaitEphemeral(customer, "✓ Delivery")
	picked := e.await("Delivery ticked", im, func(m fakeslack.Message) bool {
		return m.TS == q.TS && labelsOf(m) == "✓ Delivery | Our staff | Price | Done"
	})
	e.click(customer, picked, "Price")
	// Slack sends the press again (its ack was lost): it must not unpick Price.
	env := e.lastEnv
	if err := e.fs.Redeliver(env); err != nil {
		t.Fatal(err)
	}
	coretest.WaitFor(t, "the redelivery acknowledged", func() bool { return len(e.fs.Acks(env)) == 2 })
	picked = e.await("both ticked", im, func(m fakeslack.Message) bool {
		return m.TS == q.TS && labelsOf(m) == "✓ Delivery | Our staff | ✓ Price | Done"
	})
	stale, err := e.fs.Click(customer, im, picked.TS, "Our staff") // pressed later, from an old copy
	if err != nil {
		t.Fatal(err)
	}
	e.click(customer, picked, "Done")
	e.await("the low-score offer", im, shows("Thank you for your honesty — we're sorry we let you down. Shall we pass this to our team?"))
	e.await("the answered question", im, func(m fakeslack.Message) bool {
		return m.TS == q.TS && strings.Contains(m.Shown(), "2/2 · What went wrong?\n✓ Delivery, Price") && len(m.Buttons()) == 0
	})
	// The toggle pressed from an old copy of the question, after Done: nothing changes.
	e.push(stale)
	e.awaitEphemeral(customer, "This survey is closed. Thank you!")

	// The second customer, by typing.
	e.await("the NPS", eveIM, shows("1/2 · How likely are you to recommend us?"))
	e.push(e.fs.DM(eve, "2/10"))
	e.await("the reason", eveIM, shows("2/2 · What went wrong?"))
	e.push(e.fs.DM(eve, "delivery, price"))
	e.await("the offer", eveIM, shows("Shall we pass this to our team?"))

	for _, who := range []string{customer, eve} {
		x, err := e.svc.Export(ctx, core.UserRef{Platform: core.Slack, ID: who})
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Answers) != 2 || fmt.Sprint(x.Answers[1].Value) != "delivery,price" {
			t.Errorf("%s's answers %+v; want the score and delivery,price", who, x.Answers)
		}
	}
	d, err := e.svc.Digest(ctx, core.WeekOf(time.Now(), time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	kittest.AssertKindsDigest(t, d)
}
