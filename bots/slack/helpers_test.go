package slack

import (
	"context"
	"earshot/core/coretest"
	"errors"
	"log/slog"
	"testing"
	"time"

	"earshot/bots/slack/fakeslack"
	"earshot/core"
)

const (
	customer = "UCUST"
	member   = "UMEMB"
	stranger = "USTRA"
	team     = "CTEAM"
	wait     = 5 * time.Second
	// maxAttempts is the poison bound the tests' bots use.
	maxAttempts = 3
)

// newFake starts a fake workspace with a customer, a team member, a stranger and the team
// channel.
func newFake(t *testing.T) *fakeslack.Server {
	t.Helper()
	fs := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fs.Close)
	fs.AddUser(fakeslack.User{ID: customer, Name: "dana", RealName: "Dana Customer", TZ: "Europe/Berlin", Locale: "de-DE"})
	fs.AddUser(fakeslack.User{ID: member, Name: "lee", RealName: "Lee Member", TZ: "America/New_York", Locale: "en-US"})
	fs.AddUser(fakeslack.User{ID: stranger, Name: "sam", RealName: "Sam Stranger"})
	fs.AddChannel(fakeslack.Channel{ID: team, Name: "support", BotMember: true})
	return fs
}

// newBot returns a bot on the fake speaking English; socket selects Socket Mode.
func newBot(t *testing.T, fs *fakeslack.Server, h core.Handler, socket bool) *Bot {
	t.Helper()
	return newBotIn(t, fs, h, socket, coretest.Texts(t))
}

// newBotIn is newBot speaking texts' languages.
func newBotIn(t *testing.T, fs *fakeslack.Server, h core.Handler, socket bool, texts core.Texts) *Bot {
	t.Helper()
	o := fs.Options()
	opts := Options{BotToken: o.BotToken, SigningSecret: o.SigningSecret, APIURL: fs.APIURL(),
		TeamChannel: core.ChatRef{Platform: core.Slack, ID: team}, Texts: texts}
	if socket {
		opts.AppToken = o.AppToken
	}
	b, err := New(opts, h, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	b.tune(10*time.Millisecond, maxAttempts)
	return b
}

// run runs the bot until the test ends.
func run(t *testing.T, b *Bot) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(wait):
			t.Errorf("Run did not return after cancel")
		}
	})
}

var errInternal = errors.New("database is locked")

// downHandler is a recording handler whose store is down.
func downHandler() *coretest.Handler {
	h := coretest.NewHandler(nil)
	h.SetDown(true)
	return h
}
