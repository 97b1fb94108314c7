package kittest

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
	"earshot/storage/sqlite"
)

// QuestionNames are the names of Questions' messages, in a fixed order.
var QuestionNames = []string{"nps", "csat", "ces", "choice", "multiple", "multiple_picked"}

// Questions builds, with the real core on a real SQLite database, one survey question of
// every kind as the customer gets it: an NPS (the first, under the intro), a CSAT, a CES, a
// single choice, a multiple choice, and the same multiple choice after two picks (the edit
// that shows them). Each adapter's render test writes them to its golden files.
func Questions(t testing.TB) map[string]core.Message {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "questions.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ref := core.UserRef{Platform: core.Console, ID: "maria"}
	opts := []core.Option{{Key: "delivery", Label: "Delivery"}, {Key: "staff", Label: "Our staff"},
		{Key: "price", Label: "Price"}, {Key: "quality", Label: "Quality of the product"}}
	set := core.Settings{
		Business: core.Business{Name: "Acme Bikes", Location: time.UTC},
		Team:     core.Team{Channel: core.ChatRef{Platform: core.Console, ID: "team"}},
		Surveys: []core.SurveyPlan{{Name: "after-order", Trigger: "order", NoLowScoreOffer: true, Questions: []core.Question{
			{Key: "nps", Text: "How likely are you to recommend us to a friend?", Type: core.NPS, Min: 0, Max: 10},
			{Key: "csat", Text: "How satisfied are you with your order?", Type: core.CSAT, Min: 1, Max: 5},
			{Key: "ces", Text: "How easy was ordering?", Type: core.CES, Min: 1, Max: 7},
			{Key: "channel", Text: "How did you find us?", Type: core.ChoiceType,
				Options: []core.Option{{Key: "friend", Label: "A friend"}, {Key: "search", Label: "Search"}, {Key: "ad", Label: "An ad"}}},
			{Key: "reasons", Text: "What could be better?", Type: core.ChoiceType, Multiple: true, Optional: true, Options: opts},
		}}},
		Platforms: map[core.Platform]core.PlatformInfo{core.Console: {}},
	}
	clock := core.NewManualClock(time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC))
	rec := &recording{}
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(t), Settings: set, Store: db, Clock: clock,
		Messengers: []core.Messenger{rec}, Logger: slog.New(slog.DiscardHandler), Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	send := func(in core.Incoming) {
		t.Helper()
		n++
		in.Platform, in.EventID, in.From, in.Chat, in.Direct, in.Name, in.At = core.Console, fmt.Sprint(n), ref, core.ChatRef(ref), true, "Maria Lopez", clock.Now()
		if _, err := svc.Handle(ctx, in); err != nil {
			t.Fatalf("%+v: %v", in, err)
		}
		if _, err := svc.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.DeliverDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	asking := func(text string) func(core.Delivery) bool {
		return func(d core.Delivery) bool { return strings.Contains(d.Message.Text, text) }
	}
	send(core.Incoming{Text: "/start"})
	if _, err := svc.Touch(ctx, core.TouchRequest{Customer: ref, Stage: "order", Ref: "A-17", OccurredAt: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	send(core.Incoming{Text: "/status"}) // runs the due survey
	out := map[string]core.Message{}
	out["nps"] = rec.find(t, asking("1/5 ·"))
	send(core.Incoming{Text: "9"})
	out["csat"] = rec.find(t, asking("2/5 ·"))
	send(core.Incoming{Text: "4"})
	out["ces"] = rec.find(t, asking("3/5 ·"))
	send(core.Incoming{Text: "6"})
	out["choice"] = rec.find(t, asking("4/5 ·"))
	send(core.Incoming{Text: "search"})
	out["multiple"] = rec.find(t, asking("5/5 ·"))
	for _, label := range []string{"Delivery", "Price"} {
		send(core.Incoming{Action: payload(t, out["multiple"], label)})
	}
	out["multiple_picked"] = rec.find(t, func(d core.Delivery) bool { return d.EditID != "" && strings.Contains(d.Message.Text, "5/5 ·") })
	return out
}

// payload returns the payload of the button labelled label.
func payload(t testing.TB, m core.Message, label string) string {
	t.Helper()
	for _, c := range m.Choices {
		if c.Label == label {
			return c.Payload
		}
	}
	t.Fatalf("no button %q", label)
	return ""
}
