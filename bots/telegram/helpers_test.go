package telegram

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
	"earshot/core/coretest"
)

const wait = 5 * time.Second

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer = coretest.LogBuffer

type harness struct {
	fake *faketelegram.Server
	logs *syncBuffer
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	f := faketelegram.New(faketelegram.Options{})
	t.Cleanup(f.Close)
	h := &harness{fake: f, logs: &syncBuffer{}}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("adapter log:\n%s", h.logs.String())
		}
		// No token in any log line, whatever the test did.
		if bytes.Contains([]byte(h.logs.String()), []byte(f.Token)) {
			t.Errorf("the token appears in the logs:\n%s", h.logs.String())
		}
	})
	return h
}

// bot builds an adapter against the fake; edit adjusts the options.
func (h *harness) bot(t *testing.T, handler core.Handler, edit func(*Options)) *Bot {
	t.Helper()
	o := Options{Token: h.fake.Token, APIURL: h.fake.URL(), PollTimeout: time.Second, Texts: coretest.Texts(t)}
	if edit != nil {
		edit(&o)
	}
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b, err := New(o, handler, log)
	if err != nil {
		t.Fatal(err)
	}
	b.tune(10*time.Millisecond, 0)
	return b
}

// run starts b.Run and returns a function that stops it and waits for it to return.
func run(t *testing.T, b *Bot) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
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
	t.Cleanup(stop)
	return stop
}

var (
	dana = faketelegram.User{ID: 42, FirstName: "Dana", LastName: "Scully", LanguageCode: "de"}
	lee  = faketelegram.User{ID: 43, FirstName: "Lee", LanguageCode: "en"}
)

const team int64 = -100777
