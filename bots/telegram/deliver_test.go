package telegram

import (
	"context"
	"earshot/core/coretest"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
)

func dm(id int64) core.ChatRef { return chatRef(id) }

func TestDeliverEscapesAndSplits(t *testing.T) {
	h := newHarness(t)
	h.fake.StartUser(dana)
	b := h.bot(t, coretest.NewHandler(nil), nil)
	ctx := context.Background()

	id, err := b.Deliver(ctx, core.Delivery{To: dm(42), DM: true, Message: core.Message{
		Title: "<b>not bold</b>", Text: "Fish & chips < 5 €", Choices: scale(3)}})
	if err != nil {
		t.Fatal(err)
	}
	ms := h.fake.BotMessages(42)
	if len(ms) != 1 || ms[0].Text != "<b>not bold</b>\n\nFish & chips < 5 €" {
		t.Fatalf("chat shows %+v", ms)
	}
	if id != "42/"+strconv.Itoa(ms[0].ID) {
		t.Errorf("sentID = %q", id)
	}
	if got := ms[0].Labels(); len(got) != 2 || len(got[0]) != 5 || got[1][4] != "10" {
		t.Errorf("keyboard = %v", got)
	}

	id, err = b.Deliver(ctx, core.Delivery{To: dm(42), Message: core.Message{Text: longText(), Choices: scale(4)}})
	if err != nil {
		t.Fatal(err)
	}
	ms = h.fake.BotMessages(42)
	if len(ms) != 4 {
		t.Fatalf("%d messages after a 10,000-character send, want 1+3", len(ms))
	}
	lastID := ms[3].ID
	if id != "42/"+strconv.Itoa(lastID) || len(ms[3].Keyboard) == 0 || len(ms[1].Keyboard) != 0 {
		t.Errorf("sentID %q; the keyboard must be on the last part only", id)
	}
	var words []string
	for _, m := range ms[1:] {
		words = append(words, strings.Fields(m.Text)...)
	}
	if strings.Join(words, " ") != strings.Join(strings.Fields(longText()), " ") {
		t.Errorf("the parts do not show the whole text")
	}
}

func TestDeliverEditAndThread(t *testing.T) {
	h := newHarness(t)
	h.fake.AddGroup(team, "Team")
	b := h.bot(t, coretest.NewHandler(nil), nil)
	ctx := context.Background()
	to := chatRef(team)

	card, err := b.Deliver(ctx, core.Delivery{To: to, Message: core.Message{Title: "Complaint C-1", Text: "bent wheel",
		Choices: []core.Choice{{Label: "Acknowledge", Payload: "ack:1"}, {Label: "Resolve", Payload: "res:1"}}}})
	if err != nil {
		t.Fatal(err)
	}
	reply, err := b.Deliver(ctx, core.Delivery{To: to, ThreadID: card, Message: core.Message{Text: "Dana says: still broken"}})
	if err != nil {
		t.Fatal(err)
	}
	_, cardMsg, _ := parseSentID(card)
	_, replyMsg, _ := parseSentID(reply)
	ms := h.fake.Messages(team)
	if ms[1].ID != replyMsg || ms[1].ReplyTo != cardMsg {
		t.Errorf("the reply is not threaded under the card: %+v", ms[1])
	}

	// Edit keeping buttons, then edit removing them.
	got, err := b.Deliver(ctx, core.Delivery{To: to, EditID: card, Message: core.Message{Title: "Complaint C-1", Text: "bent wheel",
		Fields:  []core.Field{{Label: "Acknowledged by", Value: "Lee"}},
		Choices: []core.Choice{{Label: "Resolve", Payload: "res:1"}}}})
	if err != nil || got != card {
		t.Fatalf("edit: %q, %v", got, err)
	}
	if m := h.fake.Messages(team)[0]; !strings.Contains(m.Text, "Acknowledged by: Lee") || len(m.Keyboard) != 1 {
		t.Errorf("after the first edit: %+v", m)
	}
	closed := core.Delivery{To: to, EditID: card, Message: core.Message{Title: "Complaint C-1", Text: "closed"}}
	if _, err := b.Deliver(ctx, closed); err != nil {
		t.Fatal(err)
	}
	if m := h.fake.Messages(team)[0]; m.Text != "Complaint C-1\n\nclosed" || len(m.Keyboard) != 0 || m.Edits != 2 {
		t.Errorf("after the second edit: %+v", m)
	}
	// A retried edit that already landed is a success, not a dead letter.
	if got, err := b.Deliver(ctx, closed); err != nil || got != card {
		t.Errorf("repeated edit: %q, %v", got, err)
	}
	if n := len(h.fake.Messages(team)); n != 2 {
		t.Errorf("%d messages in the group, want 2", n)
	}
}

func TestDeliverRefusesLongCallbackData(t *testing.T) {
	h := newHarness(t)
	h.fake.StartUser(dana)
	b := h.bot(t, coretest.NewHandler(nil), nil)
	for _, payload := range []string{strings.Repeat("x", 65), ""} {
		_, err := b.Deliver(context.Background(), core.Delivery{To: dm(42), Message: core.Message{Text: "q",
			Choices: []core.Choice{{Label: "ok", Payload: payload}}}})
		de, ok := errors.AsType[*core.DeliveryError](err)
		if !ok || de.Kind != core.DeliveryPermanent {
			t.Errorf("payload of %d bytes: err = %v, want a permanent DeliveryError", len(payload), err)
		}
	}
	if n := len(h.fake.Calls("sendMessage")); n != 0 {
		t.Errorf("%d sendMessage calls; the check belongs before sending", n)
	}
	// 64 bytes is fine.
	if _, err := b.Deliver(context.Background(), core.Delivery{To: dm(42), Message: core.Message{Text: "q",
		Choices: []core.Choice{{Label: "ok", Payload: strings.Repeat("x", 64)}}}}); err != nil {
		t.Errorf("64 bytes: %v", err)
	}
}

func TestDeliverErrorClasses(t *testing.T) {
	const super int64 = -1009999999999
	tests := []struct {
		name  string
		setup func(f *faketelegram.Server)
		to    int64
		want  core.DeliveryError
	}{
		{"429", func(f *faketelegram.Server) { f.RateLimit("sendMessage", 1, 7) }, 42,
			core.DeliveryError{Kind: core.DeliveryRateLimited, RetryAfter: 7 * time.Second, Reason: "Too Many Requests: retry after 7"}},
		{"blocked", func(f *faketelegram.Server) { f.Block(42) }, 42,
			core.DeliveryError{Kind: core.DeliveryPermanent, Unreachable: true, Reason: "Forbidden: bot was blocked by the user"}},
		{"never started", func(*faketelegram.Server) {}, 77,
			core.DeliveryError{Kind: core.DeliveryPermanent, Unreachable: true, Reason: "Forbidden: bot can't initiate conversation with a user"}},
		{"chat not found", func(*faketelegram.Server) {}, -5,
			core.DeliveryError{Kind: core.DeliveryPermanent, Unreachable: true, Reason: "Bad Request: chat not found"}},
		{"bad request", func(f *faketelegram.Server) {
			f.Inject(faketelegram.Fault{Method: "sendMessage", Code: 400, Description: "Bad Request: something odd"})
		}, 42, core.DeliveryError{Kind: core.DeliveryPermanent, Reason: "Bad Request: something odd"}},
		{"migrated", func(f *faketelegram.Server) { f.MigrateGroup(team, super) }, team,
			core.DeliveryError{Kind: core.DeliveryMoved, MovedTo: chatRef(super), Reason: "Bad Request: group chat was upgraded to a supergroup chat"}},
		{"500", func(f *faketelegram.Server) { f.FailNext("sendMessage", 1, 500) }, 42, core.DeliveryError{Kind: core.DeliveryTemporary}},
		{"502 html", func(f *faketelegram.Server) {
			f.Inject(faketelegram.Fault{Method: "sendMessage", Code: 502, Body: "<html>Bad Gateway</html>"})
		}, 42, core.DeliveryError{Kind: core.DeliveryTemporary}},
		{"401", func(f *faketelegram.Server) { f.FailNext("sendMessage", 1, 401) }, 42,
			core.DeliveryError{Kind: core.DeliveryUnauthorized, Reason: "Unauthorized"}},
		{"network", func(f *faketelegram.Server) { f.Close() }, 42, core.DeliveryError{Kind: core.DeliveryTemporary}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.fake.StartUser(dana)
			h.fake.AddGroup(team, "Team")
			b := h.bot(t, coretest.NewHandler(nil), nil)
			tt.setup(h.fake)
			_, err := b.Deliver(context.Background(), core.Delivery{To: chatRef(tt.to), Message: core.Message{Text: "hello"}})
			de, ok := errors.AsType[*core.DeliveryError](err)
			if !ok {
				t.Fatalf("err = %v, want a *core.DeliveryError", err)
			}
			if de.Kind != tt.want.Kind || de.RetryAfter != tt.want.RetryAfter || de.Unreachable != tt.want.Unreachable ||
				de.MovedTo != tt.want.MovedTo || (tt.want.Reason != "" && de.Reason != tt.want.Reason) {
				t.Errorf("got %+v, want %+v", *de, tt.want)
			}
			if strings.Contains(err.Error(), h.fake.Token) {
				t.Errorf("the error shows the token: %v", err)
			}
			if tt.name == "429" {
				if n := len(h.fake.Calls("sendMessage")); n != 1 {
					t.Errorf("%d sendMessage calls: the SDK must not retry a 429 itself", n)
				}
			}
		})
	}
}

func TestDeliverAfterMigrationSendsAnEditAsNew(t *testing.T) {
	h := newHarness(t)
	h.fake.AddGroup(team, "Team")
	b := h.bot(t, coretest.NewHandler(nil), nil)
	ctx := context.Background()
	card, err := b.Deliver(ctx, core.Delivery{To: chatRef(team), Message: core.Message{Text: "card"}})
	if err != nil {
		t.Fatal(err)
	}
	const super int64 = -1008888888888
	h.fake.MigrateGroup(team, super)
	got, err := b.Deliver(ctx, core.Delivery{To: chatRef(super), EditID: card, ThreadID: card, Message: core.Message{Text: "card, edited"}})
	if err != nil {
		t.Fatal(err)
	}
	if ms := h.fake.BotMessages(super); len(ms) != 1 || got != sentID(super, ms[0].ID) || ms[0].Text != "card, edited" {
		t.Errorf("sentID %q, supergroup shows %+v", got, ms)
	}
}

func TestHTTPStatusOfFaultsIsTheErrorCode(t *testing.T) {
	// A guard on the fake itself: the SDK reads error_code, but proxies and people read the
	// status line, which must agree.
	h := newHarness(t)
	h.fake.FailNext("getMe", 1, 503)
	resp, err := http.Post(h.fake.URL()+"/bot"+h.fake.Token+"/getMe", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Errorf("status %d, want 503", resp.StatusCode)
	}
}
