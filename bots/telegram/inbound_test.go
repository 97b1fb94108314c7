package telegram

import (
	"context"
	"earshot/core/coretest"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
)

func TestPollingMapsUpdates(t *testing.T) {
	h := newHarness(t)
	h.fake.AddGroup(team, "Team")
	rec := coretest.NewHandler(nil)
	b := h.bot(t, rec, nil)
	run(t, b)

	// A card the bot posted in the group, to reply to.
	card, err := b.Deliver(context.Background(), core.Delivery{To: chatRef(team), Message: core.Message{Text: "card",
		Choices: []core.Choice{{Label: "Acknowledge", Payload: "ack:1"}}}})
	if err != nil {
		t.Fatal(err)
	}
	_, cardMsg, _ := parseSentID(card)

	f := h.fake
	ids := []int64{
		f.Send(faketelegram.Post{From: dana, Text: "/start tok123"}),
		f.Send(faketelegram.Post{From: dana, Text: "7/10"}),
		f.Send(faketelegram.Post{From: lee, ChatID: team, Text: "/ack@earshot_test_bot C-1"}),
		f.Send(faketelegram.Post{From: lee, ChatID: team, Text: "/ack@some_other_bot C-1"}), // not ours: skipped
		f.Send(faketelegram.Post{From: lee, ChatID: team, Text: "on my way", ReplyTo: cardMsg}),
	}
	press, qid := f.Press(lee, team, cardMsg, "ack:1")
	ids = append(ids, press)
	if err := f.WaitConfirmed(press, wait); err != nil {
		t.Fatal(err)
	}

	want := wantList{
		{EventID: ids[0], From: "42", Chat: "42", Direct: true, Text: "/start tok123", Name: "Dana Scully", Locale: "de"},
		{EventID: ids[1], From: "42", Chat: "42", Direct: true, Text: "7/10", Name: "Dana Scully", Locale: "de"},
		{EventID: ids[2], From: "43", Chat: "-100777", Text: "/ack C-1", Name: "Lee", Locale: "en"},
		{EventID: ids[4], From: "43", Chat: "-100777", Text: "on my way", ThreadID: card, Name: "Lee", Locale: "en"},
		{EventID: ids[5], From: "43", Chat: "-100777", Action: "ack:1", Name: "Lee", Locale: "en"},
	}.build()
	got := rec.Got()
	if len(got) != len(want) {
		t.Fatalf("handled %d updates, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g := got[i]
		g.At = want[i].At
		if g != want[i] {
			t.Errorf("update %d:\n got %+v\nwant %+v", i, g, want[i])
		}
	}
	if _, ok := f.CallbackAnswer(qid); !ok {
		t.Errorf("the callback query was not answered")
	}
}

// wantIn lets the table above name ids as ints and refs as strings.
type wantIn struct {
	EventID                int64
	From, Chat             string
	Direct                 bool
	Text, Action, ThreadID string
	Name, Locale           string
}

type wantList []wantIn

func (l wantList) build() []core.Incoming {
	var out []core.Incoming
	for _, w := range l {
		out = append(out, core.Incoming{Platform: core.Telegram, EventID: strconv.FormatInt(w.EventID, 10),
			From: core.UserRef{Platform: core.Telegram, ID: w.From}, Chat: core.ChatRef{Platform: core.Telegram, ID: w.Chat},
			Direct: w.Direct, Text: w.Text, Action: w.Action, ThreadID: w.ThreadID, Name: w.Name, Locale: w.Locale})
	}
	return out
}

func TestCallbackAnswersAndErrorReplies(t *testing.T) {
	h := newHarness(t)
	h.fake.StartUser(dana)
	rec := coretest.NewHandler(func(_ context.Context, in core.Incoming, _ int) (core.Response, error) {
		switch {
		case in.Action == "ok:1:y":
			return core.Response{Notice: "Thanks! Closed."}, nil
		case in.Action != "":
			return core.Response{}, core.Errorf(core.ECONFLICT, "This survey is closed.")
		case in.Text == "/ack C-9":
			return core.Response{}, core.Errorf(core.EFORBIDDEN, "Only team members can do that <sorry>.")
		}
		return core.Response{}, nil
	})
	b := h.bot(t, rec, nil)
	run(t, b)
	f := h.fake

	_, q1 := f.Press(dana, 42, 1, "ok:1:y")
	_, q2 := f.Press(dana, 42, 1, "s:1:0:7")
	_, q3 := f.Press(dana, 42, 1, "") // no data: nothing for core, still answered
	for q, want := range map[string]string{q1: "Thanks! Closed.", q2: "This survey is closed.", q3: ""} {
		got, err := f.WaitCallbackAnswer(q, wait)
		if err != nil || got != want {
			t.Errorf("answer to %s = %q, %v; want %q", q, got, err, want)
		}
	}
	f.Send(faketelegram.Post{From: dana, Text: "/ack C-9"})
	if _, err := f.WaitBotText(42, wait, "Only team members can do that <sorry>."); err != nil {
		t.Error(err)
	}
	if n := len(rec.Got()); n != 3 {
		t.Errorf("core saw %d events, want 3 (the empty callback is not one)", n)
	}
}

// An internal error, or a panic, leaves the update unconfirmed: Telegram delivers it again.
func TestInternalErrorGetsTheUpdateRedelivered(t *testing.T) {
	h := newHarness(t)
	rec := coretest.NewHandler(func(_ context.Context, _ core.Incoming, call int) (core.Response, error) {
		switch call {
		case 1:
			return core.Response{}, errors.New("database is locked")
		case 2:
			panic("a bug in the core")
		}
		return core.Response{}, nil
	})
	b := h.bot(t, rec, nil)
	run(t, b)
	id := h.fake.Send(faketelegram.Post{From: dana, Text: "7"})
	next := h.fake.Send(faketelegram.Post{From: dana, Text: "8"})
	if err := h.fake.WaitConfirmed(next, wait); err != nil {
		t.Fatal(err)
	}
	var events []string
	for _, in := range rec.Got() {
		events = append(events, in.EventID+":"+in.Text)
	}
	want := strings.Repeat(strconv.FormatInt(id, 10)+":7 ", 3) + strconv.FormatInt(next, 10) + ":8"
	if strings.Join(events, " ") != want {
		t.Errorf("core saw %v, want %s", events, want)
	}
}

func TestPoisonUpdateIsSkippedAfterBoundedRetries(t *testing.T) {
	h := newHarness(t)
	h.fake.StartUser(dana)
	rec := coretest.NewHandler(func(_ context.Context, in core.Incoming, _ int) (core.Response, error) {
		if in.Text == "poison" {
			return core.Response{}, errors.New("boom")
		}
		return core.Response{}, nil
	})
	b := h.bot(t, rec, nil)
	const maxAttempts = 4
	b.tune(10*time.Millisecond, maxAttempts)
	run(t, b)
	h.fake.Send(faketelegram.Post{From: dana, Text: "poison"})
	next := h.fake.Send(faketelegram.Post{From: dana, Text: "fine"})
	if err := h.fake.WaitConfirmed(next, wait); err != nil {
		t.Fatal(err)
	}
	poison := 0
	for _, in := range rec.Got() {
		if in.Text == "poison" {
			poison++
		}
	}
	if poison != maxAttempts {
		t.Errorf("the poison update was tried %d times, want %d", poison, maxAttempts)
	}
	if _, err := h.fake.WaitBotText(42, wait, "Something went wrong"); err != nil {
		t.Errorf("the sender was not told: %v", err)
	}
	if !strings.Contains(h.logs.String(), "skipped after repeated failures") {
		t.Errorf("the skip was not logged")
	}
}

// A crash between receiving an update and handling it loses nothing: the offset was not
// confirmed, so the next run gets the update again.
func TestUpdateComesBackAfterCrashBeforeHandling(t *testing.T) {
	h := newHarness(t)
	received := make(chan string, 1)
	first := coretest.NewHandler(func(ctx context.Context, in core.Incoming, _ int) (core.Response, error) {
		received <- in.EventID
		<-ctx.Done() // "killed" while handling: the effect is never committed
		return core.Response{}, ctx.Err()
	})
	stop := run(t, h.bot(t, first, nil))
	id := h.fake.Send(faketelegram.Post{From: dana, Text: "9"})
	select {
	case got := <-received:
		if got != strconv.FormatInt(id, 10) {
			t.Fatalf("received %s", got)
		}
	case <-time.After(wait):
		t.Fatal("the update never reached the handler")
	}
	stop()
	if c := h.fake.Confirmed(); c > id {
		t.Fatalf("update %d confirmed (offset %d) although it was never handled", id, c)
	}

	second := coretest.NewHandler(nil)
	run(t, h.bot(t, second, nil))
	if err := h.fake.WaitConfirmed(id, wait); err != nil {
		t.Fatal(err)
	}
	if got := second.Got(); len(got) != 1 || got[0].EventID != strconv.FormatInt(id, 10) || got[0].Text != "9" {
		t.Errorf("after restart core saw %+v", got)
	}
}

// Telegram may send a confirmed update again; it reaches core with the same EventID, and
// deduplication is core's job.
func TestRedeliveredUpdateKeepsItsEventID(t *testing.T) {
	h := newHarness(t)
	rec := coretest.NewHandler(nil)
	stop := run(t, h.bot(t, rec, nil))
	id := h.fake.Send(faketelegram.Post{From: dana, Text: "hello"})
	if err := h.fake.WaitConfirmed(id, wait); err != nil {
		t.Fatal(err)
	}
	stop()
	h.fake.Redeliver(id)
	run(t, h.bot(t, rec, nil))
	coretest.WaitFor(t, "the redelivered update", func() bool { return len(rec.Got()) == 2 })
	if got := rec.Got(); got[0].EventID != got[1].EventID {
		t.Errorf("event ids %s and %s", got[0].EventID, got[1].EventID)
	}
}

func TestMediaWithoutText(t *testing.T) {
	h := newHarness(t)
	h.fake.AddGroup(team, "Team")
	rec := coretest.NewHandler(nil)
	run(t, h.bot(t, rec, nil))
	f := h.fake
	f.Send(faketelegram.Post{From: dana, Media: "sticker"})
	f.Send(faketelegram.Post{From: dana, Media: "photo", Text: "the bent wheel"})
	f.Send(faketelegram.Post{From: lee, ChatID: team, Media: "photo"}) // group chatter: ignored
	last := f.Send(faketelegram.Post{From: dana, Media: "voice"})
	if err := f.WaitConfirmed(last, wait); err != nil {
		t.Fatal(err)
	}
	if got := rec.Got(); len(got) != 1 || got[0].Text != "the bent wheel" {
		t.Errorf("core saw %+v; only the caption is text", got)
	}
	n := 0
	for _, m := range f.BotMessages(42) {
		if strings.Contains(m.Text, "I can only read text") {
			n++
		}
	}
	if n != 2 || len(f.BotMessages(team)) != 0 {
		t.Errorf("%d text-only answers in the DM (want 2), %d in the group (want 0)", n, len(f.BotMessages(team)))
	}
}
