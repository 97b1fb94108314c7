package discord

import (
	"context"
	"earshot/core/coretest"
	"log/slog"
	"os"
	"testing"
	"time"

	"earshot/bots/discord/fakediscord"
	"earshot/core"
)

// waitIncoming waits for an Incoming with the event id and returns it.
func waitIncoming(t *testing.T, r *coretest.Handler, eventID string) core.Incoming {
	t.Helper()
	var got core.Incoming
	coretest.WaitFor(t, "event "+eventID, func() bool {
		for _, in := range r.Got() {
			if in.EventID == eventID {
				got = in
				return true
			}
		}
		return false
	})
	return got
}

func testLogger() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return nil
}

// newBot returns a fake Discord and a Bot pointed at it (not connected).
// maxAttempts is the poison bound the tests' bots use.
const maxAttempts = 3

func newBot(t testing.TB, h core.Handler) (*fakediscord.Server, *Bot) {
	t.Helper()
	return newBotIn(t, h, coretest.Texts(t))
}

// newBotIn is newBot speaking texts' languages.
func newBotIn(t testing.TB, h core.Handler, texts core.Texts) (*fakediscord.Server, *Bot) {
	t.Helper()
	fake := fakediscord.New(fakediscord.Options{})
	t.Cleanup(fake.Close)
	if h == nil {
		h = coretest.NewHandler(nil)
	}
	b, err := New(Options{Token: fake.Token, ApplicationID: fake.ApplicationID, APIURL: fake.URL(),
		PublicKey: testPublicHex, TeamChannel: core.ChatRef{Platform: core.Discord, ID: fake.TeamChannelID}, Texts: texts}, h, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	b.tune(10*time.Millisecond, maxAttempts)
	return fake, b
}

// runBot connects b and stops it when the test ends.
func runBot(t *testing.T, fake *fakediscord.Server, b *Bot) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	if err := fake.WaitReady(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	coretest.WaitFor(t, "commands registered", func() bool { return len(fake.Commands("global")) > 0 })
}

// newBotOn returns another Bot (fresh caches) on an existing fake.
func newBotOn(t *testing.T, fake *fakediscord.Server) (*coretest.Handler, *Bot) {
	t.Helper()
	rec := coretest.NewHandler(nil)
	b, err := New(Options{Token: fake.Token, ApplicationID: fake.ApplicationID, APIURL: fake.URL(),
		PublicKey: testPublicHex, TeamChannel: core.ChatRef{Platform: core.Discord, ID: fake.TeamChannelID}, Texts: coretest.Texts(t)}, rec, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	b.tune(10*time.Millisecond, maxAttempts)
	return rec, b
}
