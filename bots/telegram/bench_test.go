package telegram

import (
	"context"
	"earshot/core/coretest"
	"log/slog"
	"testing"
	"time"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
)

// go test -run XXX -bench . -benchmem ./bots/telegram/

func BenchmarkRenderCard(b *testing.B) {
	m := renderCases[2].msg
	for b.Loop() {
		render(m, MaxText)
		if _, err := keyboard(m.Choices); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderSplit10000(b *testing.B) {
	m := core.Message{Text: longText()}
	for b.Loop() {
		render(m, MaxText)
	}
}

func benchBot(b *testing.B, h core.Handler) (*Bot, *faketelegram.Server) {
	f := faketelegram.New(faketelegram.Options{})
	b.Cleanup(f.Close)
	bot, err := New(Options{Token: f.Token, APIURL: f.URL(), PollTimeout: time.Second, Texts: coretest.Texts(b)}, h, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	return bot, f
}

// BenchmarkDeliver sends a survey question with its 10 buttons through the SDK to the fake.
func BenchmarkDeliver(b *testing.B) {
	bot, f := benchBot(b, coretest.NewHandler(nil))
	f.StartUser(dana)
	d := core.Delivery{To: chatRef(42), DM: true, Message: core.Message{Text: "How courteous were we?", Choices: scale(1)}}
	ctx := context.Background()
	for b.Loop() {
		if _, err := bot.Deliver(ctx, d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPollToHandler measures updates per second from the fake's getUpdates to a no-op
// handler, with the offset confirmed after each.
func BenchmarkPollToHandler(b *testing.B) {
	bot, f := benchBot(b, coretest.NewHandler(nil))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = bot.Run(ctx) }()
	defer func() { cancel(); <-done }()
	var last int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		last = f.Send(faketelegram.Post{From: dana, Text: "7"})
	}
	if err := f.WaitConfirmed(last, time.Minute); err != nil {
		b.Fatal(err)
	}
}
