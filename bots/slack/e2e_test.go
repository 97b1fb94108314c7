package slack

import (
	"context"
	"earshot/core/coretest"
	"encoding/json"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"earshot/bots/slack/fakeslack"
	"earshot/core"
	"earshot/storage/sqlite"
)

// lazy lets the bot and the service be built in either order.
type lazy struct{ h core.Handler }

func (l *lazy) Handle(ctx context.Context, in core.Incoming) (core.Response, error) {
	return l.h.Handle(ctx, in)
}

func e2eSettings() core.Settings {
	slackRef := func(id string) core.UserRef { return core.UserRef{Platform: core.Slack, ID: id} }
	return core.Settings{
		Business: core.Business{Name: "Acme Bikes", Location: time.UTC},
		Team: core.Team{Channel: teamRef(), Members: []core.Member{
			{Name: "Lee", Role: core.RoleOwner, Accounts: []core.UserRef{slackRef(member)}}}},
		Surveys: []core.SurveyPlan{{Name: "after-delivery", Trigger: "delivery", LowScoreThreshold: 4,
			ExpireAfter: 168 * time.Hour,
			Questions: []core.Question{
				{Key: "courtesy", Text: "How courteous were we?", Type: core.Scale, Min: 1, Max: 10},
				{Key: "comment", Text: "Anything we could do better?", Type: core.Text, Optional: true}}}},
		Complaints: core.Standards{AcknowledgeWithin: 12 * time.Hour, ResolveWithin: 48 * time.Hour, AutoCloseAfter: 72 * time.Hour},
		Platforms:  map[core.Platform]core.PlatformInfo{core.Slack: {}},
	}
}

// e2e is the whole service on the fake: real core, real SQLite, the Slack adapter.
type e2e struct {
	t    *testing.T
	fs   *fakeslack.Server
	svc  *core.Service
	push func(fakeslack.Inbound) json.RawMessage // delivers to the bot; returns the answer
	// lastEnv is the envelope push sent last (Socket Mode); base the webhook URL (HTTP mode).
	lastEnv, base string
	maxAck        time.Duration // the slowest Socket Mode acknowledgement seen
}

func newE2E(t *testing.T, socket bool, opts ...func(*core.Options)) *e2e {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "earshot.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	fs := newFake(t)
	l := &lazy{}
	b := newBot(t, fs, l, socket)
	o := core.Options{Texts: coretest.Texts(t), Settings: e2eSettings(), Store: db, Messengers: []core.Messenger{b},
		Logger: slog.New(slog.DiscardHandler)}
	for _, f := range opts {
		f(&o)
	}
	svc, err := core.NewService(o)
	if err != nil {
		t.Fatal(err)
	}
	l.h = svc
	done := make(chan struct{})
	go func() { defer close(done); _ = svc.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		_ = db.Close()
	})
	run(t, b)
	e := &e2e{t: t, fs: fs, svc: svc}
	if socket {
		e.push = func(in fakeslack.Inbound) json.RawMessage {
			t.Helper()
			e.lastEnv = fs.Send(in)
			ack, ok := fs.WaitAck(e.lastEnv, wait)
			if !ok {
				t.Fatalf("%s envelope not acknowledged", in.Kind)
			}
			e.maxAck = max(e.maxAck, ack.Latency)
			return ack.Payload
		}
	} else {
		base := hooks(t, b)
		e.base = base
		path := map[string]string{fakeslack.KindEvents: "events", fakeslack.KindInteractive: "interactivity", fakeslack.KindSlash: "commands"}
		e.push = func(in fakeslack.Inbound) json.RawMessage {
			t.Helper()
			status, body, err := fs.Post(base+path[in.Kind], in)
			if err != nil || status != http.StatusOK {
				t.Fatalf("%s webhook: status %d err %v (%s)", in.Kind, status, err, body)
			}
			return body
		}
	}
	return e
}

// await waits for a message in channel that satisfies ok and returns its latest state.
func (e *e2e) await(what, channel string, ok func(fakeslack.Message) bool) fakeslack.Message {
	e.t.Helper()
	var found fakeslack.Message
	coretest.WaitFor(e.t, what, func() bool {
		for _, m := range e.fs.Messages(channel) {
			if m.BotID != "" && ok(m) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

func shows(s string) func(fakeslack.Message) bool {
	return func(m fakeslack.Message) bool { return strings.Contains(m.Shown(), s) }
}

func (e *e2e) click(user string, m fakeslack.Message, button string) json.RawMessage {
	e.t.Helper()
	in, err := e.fs.Click(user, m.Channel, m.TS, button)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.push(in)
}

func TestEndToEnd(t *testing.T) {
	for _, mode := range []struct {
		name   string
		socket bool
	}{{"socket mode", true}, {"http mode", false}} {
		t.Run(mode.name, func(t *testing.T) { lifecycle(t, newE2E(t, mode.socket)) })
	}
}

func lifecycle(t *testing.T, e *e2e) {
	ctx := t.Context()
	fs := e.fs
	im := fs.IMChannel(customer)
	if _, err := e.svc.Touch(ctx, core.TouchRequest{Customer: core.UserRef{Platform: core.Slack, ID: customer},
		Stage: "delivery", Ref: "A-17"}); err != nil {
		t.Fatal(err)
	}

	// The survey: a button answer, then a typed one.
	q1 := e.await("question 1", im, func(m fakeslack.Message) bool { return len(m.Buttons()) == 10 })
	e.click(customer, q1, "2")
	coretest.WaitFor(t, "question 1 turned into question 2, showing the answer", func() bool {
		m, _ := fs.Message(q1.Channel, q1.TS)
		return m.Edits > 0 && shows("✓ 2")(m) && shows("Anything we could do better?")(m)
	})
	e.await("question 2", im, shows("Anything we could do better?"))
	e.push(fs.DM(customer, "The wheel was bent <!channel> <https://evil|bank>"))

	// Low score: the customer passes it to the team.
	offer := e.await("complaint offer", im, func(m fakeslack.Message) bool {
		for _, b := range m.Buttons() {
			if b.Text == "Yes, tell the team" {
				return true
			}
		}
		return false
	})
	e.click(customer, offer, "Yes, tell the team")
	e.await("receipt", im, shows("received"))
	card := e.await("complaint card", team, func(m fakeslack.Message) bool { return len(m.Buttons()) == 2 })
	for _, live := range []string{"<!channel>", "<https://evil|bank>"} {
		if strings.Contains(card.Shown()+card.Text, live) || !strings.Contains(card.Shown(), escape(live)) {
			t.Errorf("card should show %q literally (escaped), never as markup:\n%s", live, card.Shown())
		}
	}

	// A stranger is refused privately; the member acknowledges.
	e.click(stranger, card, "Acknowledge")
	coretest.WaitFor(t, "refusal", func() bool {
		for _, x := range fs.Ephemerals() {
			if x.User == stranger && strings.Contains(x.Shown(), "Only team members") {
				return true
			}
		}
		return false
	})
	e.click(member, card, "Acknowledge")
	e.await("customer told who is looking", im, shows("Lee from Acme Bikes is looking"))
	coretest.WaitFor(t, "card edited", func() bool {
		m, _ := fs.Message(card.Channel, card.TS)
		return len(m.Buttons()) == 1 && strings.Contains(m.Shown(), "Lee")
	})

	// The thread: the member's reply reaches the customer, the customer's message the thread.
	e.push(fs.ChannelMessage(team, member, "A new wheel is on its way", card.TS))
	e.await("relayed reply", im, shows("A new wheel is on its way"))
	e.push(fs.DM(customer, "Thanks, when will it arrive?"))
	coretest.WaitFor(t, "customer message in the card's thread", func() bool {
		for _, m := range fs.Thread(team, card.TS) {
			if m.BotID != "" && strings.Contains(m.Shown(), "Thanks, when will it arrive?") {
				return true
			}
		}
		return false
	})

	// Slash commands, answered privately; a stranger is refused.
	answer := e.push(fs.Slash(member, team, "/earshot", "complaints"))
	if !strings.Contains(string(answer), "ephemeral") || !strings.Contains(string(answer), "C-1001") {
		t.Errorf("/earshot complaints answered %s", answer)
	}
	answer = e.push(fs.Slash(stranger, team, "/earshot", "ack C-1001"))
	if !strings.Contains(string(answer), "ephemeral") || !strings.Contains(string(answer), "Only team members") {
		t.Errorf("a stranger's /earshot ack answered %s", answer)
	}

	// Resolve with a note in a modal; the customer confirms.
	e.click(member, card, "Resolve")
	var view fakeslack.View
	coretest.WaitFor(t, "note modal", func() bool {
		vs := fs.Views()
		if len(vs) > 0 {
			view = vs[len(vs)-1]
		}
		return len(vs) > 0
	})
	sub, err := fs.Submit(member, view.ID, "Shipped a new wheel")
	if err != nil {
		t.Fatal(err)
	}
	e.push(sub)
	ask := e.await("solved question", im, shows("Is your problem solved?"))
	if !strings.Contains(ask.Shown(), "Shipped a new wheel") {
		t.Errorf("the customer did not get the resolution note:\n%s", ask.Shown())
	}
	e.click(customer, ask, "Yes, solved")
	coretest.WaitFor(t, "card closed", func() bool {
		m, _ := fs.Message(card.Channel, card.TS)
		return len(m.Buttons()) == 0 && strings.Contains(m.Shown(), "confirmed solved")
	})

	// The owner's weekly digest arrives as a DM.
	if _, err := e.svc.SendDigest(ctx, core.WeekOf(time.Now(), time.UTC)); err != nil {
		t.Fatal(err)
	}
	e.await("digest", fs.IMChannel(member), shows("courtesy"))
	// Slack's protocol limit, with the real core and SQLite behind Handle: an envelope not
	// acknowledged within 3 s is retried and counted against the app.
	if e.maxAck >= 3*time.Second {
		t.Errorf("slowest Socket Mode ack (envelope sent → ack received, Handle included) %v; Slack allows 3 s", e.maxAck)
	}
}

// TestEndToEndRedeliveryHasOneEffect: a redelivered envelope and a retried Events API
// callback reach core again with the same event id, and core stores their effect once.
func TestEndToEndRedeliveryHasOneEffect(t *testing.T) {
	for _, mode := range []struct {
		name   string
		socket bool
	}{{"socket mode", true}, {"http mode", false}} {
		t.Run(mode.name, func(t *testing.T) {
			e := newE2E(t, mode.socket)
			fs := e.fs
			im := fs.IMChannel(customer)
			first := fs.DM(customer, "help")
			e.push(first)
			help := e.await("help", im, func(m fakeslack.Message) bool { return m.Shown() != "" })
			if mode.socket {
				// Send the envelope again, as Slack does when an ack was lost.
				env := e.lastEnv
				if err := fs.Redeliver(env); err != nil {
					t.Fatal(err)
				}
				coretest.WaitFor(t, "second ack", func() bool { return len(fs.Acks(env)) == 2 })
			} else {
				if status, _, err := fs.PostWith(e.base+"events", first, fakeslack.PostOptions{RetryNum: 1}); err != nil || status != 200 {
					t.Fatalf("retry: %d %v", status, err)
				}
			}
			e.push(fs.DM(customer, "status"))
			e.await("status answer", im, func(m fakeslack.Message) bool { return m.TS > help.TS })
			n := 0
			for _, m := range fs.Messages(im) {
				if m.BotID != "" && m.Shown() == help.Shown() {
					n++
				}
			}
			if n != 1 {
				t.Errorf("the help answer was sent %d times, want once", n)
			}
		})
	}
}
