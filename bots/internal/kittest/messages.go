package kittest

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
	"earshot/storage/sqlite"
)

// MessageNames are the names of Messages' messages, in a fixed order.
var MessageNames = []string{"question", "card", "relayed", "digest"}

// Messages builds, with the real core on a real SQLite database and a fixed clock, the
// messages every adapter must render: the first survey question, the team's complaint card,
// a team reply relayed to the customer, and the weekly digest. Each adapter's render test
// writes them to its own golden files, so a change in core shows on all three.
func Messages(t testing.TB) map[string]core.Message {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "kittest.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ref := func(id string) core.UserRef { return core.UserRef{Platform: core.Console, ID: id} }
	set := core.Settings{
		Business: core.Business{Name: "Acme Bikes", Location: time.UTC},
		Team: core.Team{Channel: core.ChatRef{Platform: core.Console, ID: "team"}, Members: []core.Member{
			{Name: "Lee", Role: core.RoleOwner, Accounts: []core.UserRef{ref("lee")}}}},
		Surveys: []core.SurveyPlan{{Name: "after-delivery", Trigger: "delivery", LowScoreThreshold: 4,
			ExpireAfter: 168 * time.Hour, Questions: []core.Question{
				{Key: "courtesy", Text: "How courteous were we?", Type: core.Scale, Min: 1, Max: 10},
				{Key: "comment", Text: "Anything we could do better?", Type: core.Text, Optional: true}}}},
		Complaints: core.Standards{AcknowledgeWithin: 12 * time.Hour, ResolveWithin: 48 * time.Hour, AutoCloseAfter: 72 * time.Hour},
		Platforms:  map[core.Platform]core.PlatformInfo{core.Console: {}},
	}
	clock := core.NewManualClock(time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC))
	rec := &recording{}
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(t), Settings: set, Store: db, Clock: clock, Messengers: []core.Messenger{rec},
		Logger: slog.New(slog.DiscardHandler), Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	say := func(from, text string) {
		t.Helper()
		n++
		u := ref(from)
		if _, err := svc.Handle(ctx, core.Incoming{Platform: core.Console, EventID: fmt.Sprint(n), From: u,
			Chat: core.ChatRef(u), Direct: true, Name: "Maria Lopez", Text: text, At: clock.Now()}); err != nil {
			t.Fatalf("%s says %q: %v", from, text, err)
		}
		if _, err := svc.DeliverDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	say("maria", "/start")
	if _, err := svc.Touch(ctx, core.TouchRequest{Customer: ref("maria"), Stage: "delivery", Ref: "A-17",
		OccurredAt: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	out := map[string]core.Message{}
	out["question"] = rec.find(t, func(d core.Delivery) bool { return len(d.Message.Choices) >= 10 })
	say("maria", "3")
	say("maria", "skip")
	say("maria", "/complain The front wheel arrived bent & the <bell> is missing.")
	out["card"] = rec.find(t, func(d core.Delivery) bool { return d.To.ID == "team" && d.EditID == "" && d.Message.Title != "" })
	say("lee", "/reply C-1001 Sorry, Maria! A new wheel goes out today: *tracking* A-17.")
	out["relayed"] = rec.find(t, func(d core.Delivery) bool {
		return d.To.ID == "maria" && strings.Contains(d.Message.Text, "new wheel")
	})
	clock.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	dg, err := svc.Digest(ctx, core.WeekOf(time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC), time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	out["digest"] = svc.DigestMessage(dg)
	return out
}

// recording is a console Messenger that keeps every delivery.
type recording struct {
	mu   sync.Mutex
	sent []core.Delivery
}

func (r *recording) Platform() core.Platform { return core.Console }

func (r *recording) Deliver(_ context.Context, d core.Delivery) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, d)
	return fmt.Sprint(len(r.sent)), nil
}

// find returns the last delivered message that matches.
func (r *recording) find(t testing.TB, match func(core.Delivery) bool) core.Message {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range slices.Backward(r.sent) {
		if match(d) {
			return d.Message
		}
	}
	t.Fatalf("no such message among %d delivered", len(r.sent))
	return core.Message{}
}
