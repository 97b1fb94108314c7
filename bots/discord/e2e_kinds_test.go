package discord

import (
	"earshot/bots/internal/kittest"
	"fmt"
	"strings"
	"testing"
	"time"

	"earshot/bots/discord/fakediscord"
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

// rowsOf shows a message's buttons row by row.
func rowsOf(m fakediscord.Message) string {
	var rows []string
	for _, r := range m.Components {
		var labels []string
		for _, c := range r.Components {
			labels = append(labels, c.Label)
		}
		rows = append(rows, "["+strings.Join(labels, " ")+"]")
	}
	return strings.Join(rows, " ")
}

// awaitState waits until message id satisfies ok and returns it.
func (e *e2e) awaitState(what, id string, ok func(fakediscord.Message) bool) fakediscord.Message {
	e.t.Helper()
	var got fakediscord.Message
	coretest.WaitFor(e.t, what, func() bool {
		m, found := e.fake.Message(id)
		got = m
		return found && ok(m)
	})
	return got
}

// TestNPSWithAFollowUpChoice: on the fake Discord, Maria gives a detractor's 3 and picks
// reasons by buttons (a redelivered interaction toggles once, Done finishes); Eve types
// "2/10" and "1 and 3". The week's digest then has both NPS answers.
func TestNPSWithAFollowUpChoice(t *testing.T) {
	t.Parallel()
	e := newE2E(t, npsSettings)
	ctx := t.Context()
	const eveID = "4200000000000045"
	e.fake.SetUser(fakediscord.User{ID: eveID, Username: "eve", GlobalName: "Eve", Locale: "en-US"})
	for _, who := range []string{customerID, eveID} {
		if _, err := e.svc.Touch(ctx, core.TouchRequest{Customer: discordUser(who), Stage: "delivery", Ref: "A-" + who}); err != nil {
			t.Fatal(err)
		}
	}
	dm := e.dmChannel(customerID)
	q := e.waitMessage(dm, "1/2 · How likely are you to recommend us?")
	if got := rowsOf(q); got != "[0 1 2 3] [4 5 6 7] [8 9 10]" || !strings.Contains(text(q), "0 is not at all likely, 10 is extremely likely") {
		t.Fatalf("NPS question: rows %s, text %q", got, text(q))
	}
	if cb := e.press(customerID, q, "3").Decode(); cb.Content != "Thanks!" {
		t.Errorf("score notice %q", cb.Content)
	}
	q = e.awaitState("the reason in place of the score", q.ID, func(m fakediscord.Message) bool {
		return strings.Contains(text(m), "✓ 3\n2/2 · What went wrong?") && rowsOf(m) == "[Delivery Our staff Price Done]"
	})
	if cb := e.press(customerID, q, "Delivery").Decode(); cb.Content != "✓ Delivery" {
		t.Errorf("pick notice %q", cb.Content)
	}
	q = e.awaitState("Delivery ticked", q.ID, func(m fakediscord.Message) bool { return rowsOf(m) == "[✓ Delivery Our staff Price Done]" })
	// Discord delivers the Price press twice: it toggles once.
	id, raw := e.fake.ButtonInteraction(customerID, dm, q.ID, e.button(q, "Price"))
	e.fake.Dispatch("INTERACTION_CREATE", raw)
	e.fake.Dispatch("INTERACTION_CREATE", raw)
	e.waitHandled(id, 2)
	q = e.awaitState("both ticked", q.ID, func(m fakediscord.Message) bool { return rowsOf(m) == "[✓ Delivery Our staff ✓ Price Done]" })
	staleStaff := e.button(q, "Our staff")
	e.press(customerID, q, "Done")
	e.waitMessage(dm, "Thank you for your honesty — we're sorry we let you down. Shall we pass this to our team?")
	e.awaitState("the answered question", q.ID, func(m fakediscord.Message) bool {
		return strings.Contains(text(m), "2/2 · What went wrong?\n✓ Delivery, Price") && len(m.Components) == 0
	})
	// The toggle pressed from an old copy of the question, after Done: nothing changes.
	if cb := waitCallback(t, e.fake, e.fake.PushButton(customerID, dm, q.ID, staleStaff)).Decode(); cb.Content != "This survey is closed. Thank you!" {
		t.Errorf("stale toggle answered %q", cb.Content)
	}

	// Eve, by typing.
	eveDM := e.dmChannel(eveID)
	e.waitMessage(eveDM, "1/2 · How likely are you to recommend us?")
	e.fake.PushDM(eveID, "2/10")
	e.waitMessage(eveDM, "2/2 · What went wrong?")
	e.fake.PushDM(eveID, "1 and 3")
	e.waitMessage(eveDM, "Shall we pass this to our team?")

	for _, who := range []string{customerID, eveID} {
		x, err := e.svc.Export(ctx, discordUser(who))
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
