package discord

import (
	"context"
	"earshot/core/coretest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/bots/discord/fakediscord"
	"earshot/core"
	"earshot/storage/sqlite"
)

type handlerFunc func(context.Context, core.Incoming) (core.Response, error)

func (f handlerFunc) Handle(ctx context.Context, in core.Incoming) (core.Response, error) {
	return f(ctx, in)
}

// e2e is the real core on SQLite behind the real adapter, against the fake Discord.
type e2e struct {
	t    *testing.T
	fake *fakediscord.Server
	bot  *Bot
	svc  *core.Service

	mu      sync.Mutex
	handled map[string]int // event id -> how often Handle returned for it
}

const (
	customerID = "4200000000000042"
	leeID      = "4200000000008035" // team member
	danaID     = "4200000000007001" // owner
	strangerID = "4200000000000666"
)

func discordUser(id string) core.UserRef { return core.UserRef{Platform: core.Discord, ID: id} }

// newE2E starts it; opts adjust core's options, whose Texts the adapter shares.
func newE2E(t *testing.T, opts ...func(*core.Options)) *e2e {
	t.Helper()
	fake := fakediscord.New(fakediscord.Options{})
	t.Cleanup(fake.Close)
	fake.SetUser(fakediscord.User{ID: customerID, Username: "maria", GlobalName: "Maria", Locale: "de"})
	fake.SetUser(fakediscord.User{ID: leeID, Username: "lee", GlobalName: "Lee"})
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "earshot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	teamRef := core.ChatRef{Platform: core.Discord, ID: fake.TeamChannelID}
	settings := core.Settings{
		Business: core.Business{Name: "Acme Bikes", Location: time.UTC},
		Team: core.Team{Channel: teamRef, Members: []core.Member{
			{Name: "Dana", Role: core.RoleOwner, Accounts: []core.UserRef{discordUser(danaID)}},
			{Name: "Lee", Role: core.RoleMember, Accounts: []core.UserRef{discordUser(leeID)}}}},
		Surveys: []core.SurveyPlan{{Name: "after-delivery", Trigger: "delivery", LowScoreThreshold: 4,
			Questions: []core.Question{
				{Key: "courtesy", Text: "How courteous were we?", Type: core.Scale, Min: 1, Max: 10},
				{Key: "speed", Text: "How fast were we?", Type: core.Scale, Min: 1, Max: 10},
				{Key: "comment", Text: "Anything we could do better?", Type: core.Text, Optional: true}}}},
		Complaints: core.Standards{AcknowledgeWithin: 12 * time.Hour, ResolveWithin: 48 * time.Hour, AutoCloseAfter: 72 * time.Hour},
		// Discord's real pace (1 message/s per chat) would make each step wait a second.
		Platforms: map[core.Platform]core.PlatformInfo{core.Discord: {Pace: core.Pace{Rate: 1000, Burst: 1000, ChatRate: 1000, ChatBurst: 1000}}},
	}
	e := &e2e{t: t, fake: fake, handled: map[string]int{}}
	o := core.Options{Texts: coretest.Texts(t), Settings: settings, Store: db, Logger: testLogger()}
	for _, f := range opts {
		f(&o)
	}
	bot, err := New(Options{Token: fake.Token, ApplicationID: fake.ApplicationID, APIURL: fake.URL(), PublicKey: fake.PublicKey(),
		TeamChannel: teamRef, Texts: o.Texts}, handlerFunc(func(ctx context.Context, in core.Incoming) (core.Response, error) {
		resp, err := e.svc.Handle(ctx, in)
		e.mu.Lock()
		e.handled[in.EventID]++
		e.mu.Unlock()
		return resp, err
	}), testLogger())
	if err != nil {
		t.Fatal(err)
	}
	o.Messengers = []core.Messenger{bot}
	svc, err := core.NewService(o)
	if err != nil {
		t.Fatal(err)
	}
	e.bot, e.svc = bot, svc
	runCtx, cancel := context.WithCancel(ctx)
	svcDone := make(chan error, 1)
	go func() { svcDone <- svc.Run(runCtx) }()
	t.Cleanup(func() { cancel(); <-svcDone })
	runBot(t, fake, bot)
	return e
}

// waitMessage waits for a message in the channel whose text (content, embed title or
// description) contains want, and returns it.
func (e *e2e) waitMessage(channelID, want string) fakediscord.Message {
	e.t.Helper()
	var got fakediscord.Message
	coretest.WaitFor(e.t, "a message with "+want, func() bool {
		for _, m := range e.fake.Messages(channelID) {
			if strings.Contains(text(m), want) {
				got = m
				return true
			}
		}
		return false
	})
	return got
}

func text(m fakediscord.Message) string {
	s := m.Content
	for _, em := range m.Embeds {
		s += "\n" + em.Title + "\n" + em.Description
		for _, f := range em.Fields {
			s += "\n" + f.Name + ": " + f.Value
		}
	}
	return s
}

// button returns the custom_id of the button with the label on m.
func (e *e2e) button(m fakediscord.Message, label string) string {
	e.t.Helper()
	for _, row := range m.Components {
		for _, c := range row.Components {
			if c.Label == label {
				return c.CustomID
			}
		}
	}
	e.t.Fatalf("no button %q on %q (%+v)", label, text(m), m.Components)
	return ""
}

// press presses a button and returns the interaction's first answer.
func (e *e2e) press(userID string, m fakediscord.Message, label string) fakediscord.Callback {
	e.t.Helper()
	id := e.fake.PushButton(userID, m.ChannelID, m.ID, e.button(m, label))
	return waitCallback(e.t, e.fake, id)
}

func (e *e2e) dmChannel(userID string) string {
	e.t.Helper()
	var ch string
	coretest.WaitFor(e.t, "a DM channel with "+userID, func() bool {
		var ok bool
		ch, ok = e.fake.DMChannel(userID)
		return ok
	})
	return ch
}

func fakediscordOption(name, value string) fakediscord.Option {
	return fakediscord.Option{Name: name, Value: value}
}

// waitHandled waits until Handle has returned for the event n times.
func (e *e2e) waitHandled(eventID string, n int) {
	e.t.Helper()
	coretest.WaitFor(e.t, "event "+eventID+" handled", func() bool {
		e.mu.Lock()
		defer e.mu.Unlock()
		return e.handled[eventID] >= n
	})
}

// fakeMsg wraps an interaction answer's data as a message, for text().
func fakeMsg(d fakediscord.CallbackData) fakediscord.Message {
	return fakediscord.Message{Content: d.Content, Embeds: d.Embeds}
}
