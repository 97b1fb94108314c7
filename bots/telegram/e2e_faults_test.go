package telegram

import (
	"earshot/core/coretest"
	"strings"
	"testing"
	"time"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
)

var danaRef = core.UserRef{Platform: core.Telegram, ID: "42"}

// A customer who blocked the bot is marked unreachable, and later surveys are skipped with
// Telegram's reason.
func TestEndToEndBlockedCustomer(t *testing.T) {
	e := newE2E(t, false)
	ctx := t.Context()
	e.say(faketelegram.Post{From: dana, Text: "/start"})
	e.await(42, "Hi Dana!")
	e.f.Block(42)
	if _, err := e.svc.Touch(ctx, core.TouchRequest{Customer: danaRef, Stage: "delivery", Ref: "A-1"}); err != nil {
		t.Fatal(err)
	}
	coretest.WaitFor(t, "the contact marked unreachable", func() bool {
		x, err := e.svc.Export(ctx, danaRef)
		return err == nil && len(x.Contacts) == 1 && strings.Contains(x.Contacts[0].Unreachable, "bot was blocked by the user")
	})
	res, err := e.svc.Touch(ctx, core.TouchRequest{Customer: danaRef, Stage: "delivery", Ref: "A-2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Surveys) != 1 || res.Surveys[0].State != core.RunSkipped ||
		!strings.Contains(res.Surveys[0].Reason, "bot was blocked by the user") {
		t.Errorf("second survey: %+v", res.Surveys)
	}
	blocked := 0
	for _, c := range e.f.Calls("sendMessage") {
		if c.Code == 403 {
			blocked++
		}
	}
	if blocked != 1 {
		t.Errorf("%d sends refused with 403, want 1: the outbox must not knock again", blocked)
	}
}

// The team group becomes a supergroup: the card that hit the old id is sent to the new one,
// and the team goes on working there.
func TestEndToEndGroupMigratesToSupergroup(t *testing.T) {
	e := newE2E(t, false)
	const super int64 = -1005555555555
	e.f.MigrateGroup(team, super)
	e.say(faketelegram.Post{From: dana, Text: "/complain The saddle squeaks"})
	e.await(42, "Complaint C-1001 received")
	card := e.awaitMsg(super, "the card in the supergroup", func(m faketelegram.Message) bool {
		return strings.Contains(m.Text, "The saddle squeaks") && len(m.Keyboard) > 0
	})
	if got := e.press(lee, super, "Acknowledge"); got != "You own C-1001 now." {
		t.Errorf("acknowledge in the supergroup: notice %q", got)
	}
	e.await(42, "Lee from Acme Bikes is looking at your complaint C-1001.")
	e.say(faketelegram.Post{From: lee, ChatID: super, Text: "Oil is on its way", ReplyTo: card.ID})
	e.await(42, "Oil is on its way")
}

// A 429 holds the chat for retry_after: the next attempt comes no sooner, and the message
// arrives once.
func TestEndToEndRateLimitIsHonoured(t *testing.T) {
	e := newE2E(t, false)
	e.f.RateLimit("sendMessage", 1, 1)
	e.say(faketelegram.Post{From: dana, Text: "/start"})
	e.await(42, "Hi Dana!")
	// A call is recorded just after its effect shows: wait for the record too.
	coretest.WaitFor(t, "two sendMessage calls", func() bool { return len(e.f.Calls("sendMessage")) >= 2 })
	calls := e.f.Calls("sendMessage")
	if len(calls) < 2 || calls[0].Code != 429 || calls[1].Code != 200 {
		t.Fatalf("calls: %+v", calls)
	}
	// Stored times have millisecond precision, so allow the outbox to round by a hair.
	if gap := calls[1].At.Sub(calls[0].At); gap < time.Second-10*time.Millisecond {
		t.Errorf("resent %v after a 429 with retry_after 1", gap)
	}
	if n := len(e.f.BotMessages(42)); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
}

// The bot is stopped after core stored a button press but before the update was confirmed
// (answerCallbackQuery and getUpdates held, as if the process were killed there): the next
// run gets the update again, core drops it as a duplicate, and the answer is stored once.
func TestEndToEndStopBetweenStoringAndConfirming(t *testing.T) {
	e := newE2E(t, false)
	ctx := t.Context()
	e.say(faketelegram.Post{From: dana, Text: "/start"})
	if _, err := e.svc.Touch(ctx, core.TouchRequest{Customer: danaRef, Stage: "delivery", Ref: "A-9"}); err != nil {
		t.Fatal(err)
	}
	q1 := e.awaitMsg(42, "question 1", func(m faketelegram.Message) bool { return len(m.Keyboard) == 2 })

	releaseAnswer := e.f.Hold("answerCallbackQuery")
	id, _, err := e.f.PressButton(dana, 42, "9")
	if err != nil {
		t.Fatal(err)
	}
	e.awaitMsg(42, "the answer stored (question edited)", func(m faketelegram.Message) bool { return m.ID == q1.ID && m.Edits > 0 })
	// The bot got the press and is now stuck answering it, so it cannot be polling: hold
	// getUpdates too, so that its goodbye confirmation never lands.
	releasePoll := e.f.Hold("getUpdates")
	e.stop()
	if c := e.f.Confirmed(); c > id {
		t.Fatalf("update %d confirmed (offset %d) before the bot could answer it", id, c)
	}
	releaseAnswer()
	releasePoll()

	run(t, e.h.bot(t, &lazy{h: e.svc}, nil))
	if err := e.f.WaitConfirmed(id, wait); err != nil {
		t.Fatal(err)
	}
	x, err := e.svc.Export(ctx, danaRef)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Answers) != 1 || x.Answers[0].Value != 9 {
		t.Errorf("answers stored: %+v", x.Answers)
	}
}
