package slack

import (
	"context"
	"earshot/bots/internal/kit"
	"earshot/core/coretest"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"earshot/bots/slack/fakeslack"
	"earshot/core"
)

func teamRef() core.ChatRef { return core.ChatRef{Platform: core.Slack, ID: team} }

func TestDeliverCardEscapesMentions(t *testing.T) {
	fs := newFake(t)
	b := newBot(t, fs, coretest.NewHandler(nil), false)
	card := core.Message{Title: "Complaint C-7", Text: "Help <!channel> and <https://evil|bank> & <@UMEMB>",
		Fields:  []core.Field{{Label: "Customer", Value: "<!here>", Short: true}},
		Choices: []core.Choice{{Label: "Acknowledge", Payload: "ack:7"}}}
	id, err := b.Deliver(context.Background(), core.Delivery{ID: 1, To: teamRef(), Message: card})
	if err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	ch, ts, ok := kit.ParseSentID(id)
	if !ok || ch != team || ts == "" {
		t.Fatalf("sent id %q, want %s/<ts>", id, team)
	}
	m, ok := fs.Message(ch, ts)
	if !ok {
		t.Fatalf("message %s not in the fake", id)
	}
	shown := m.Shown() + m.Text
	for _, want := range []string{"&lt;!channel&gt;", "&lt;https://evil|bank&gt;", "&amp;", "&lt;@UMEMB&gt;", "&lt;!here&gt;"} {
		if !strings.Contains(shown, want) {
			t.Errorf("posted card lacks %q:\n%s", want, shown)
		}
	}
	for _, bad := range []string{"<!channel>", "<https://evil|bank>", "<!here>", "<@UMEMB>"} {
		if strings.Contains(shown, bad) {
			t.Errorf("posted card contains live markup %q", bad)
		}
	}
	if bs := m.Buttons(); len(bs) != 1 || bs[0].Value != "ack:7" {
		t.Errorf("buttons = %+v", bs)
	}
}

func TestDeliverDMOpensConversationOnce(t *testing.T) {
	fs := newFake(t)
	b := newBot(t, fs, coretest.NewHandler(nil), false)
	to := core.ChatRef{Platform: core.Slack, ID: customer}
	for i := range 2 {
		id, err := b.Deliver(context.Background(), core.Delivery{ID: int64(i), To: to, DM: true, Message: core.Message{Text: "hi"}})
		if err != nil {
			t.Fatalf("Deliver: %v", err)
		}
		if want := fs.IMChannel(customer) + "/"; !strings.HasPrefix(id, want) {
			t.Errorf("sent id %q, want prefix %q", id, want)
		}
	}
	if n := len(fs.Calls("conversations.open")); n != 1 {
		t.Errorf("conversations.open called %d times, want 1 (cached)", n)
	}
}

func TestDeliverEditRemovesButtonsAndThreads(t *testing.T) {
	fs := newFake(t)
	b := newBot(t, fs, coretest.NewHandler(nil), false)
	ctx := context.Background()
	q := core.Message{Text: "How fast were we?", Choices: scale("s:1:speed:")}
	id, err := b.Deliver(ctx, core.Delivery{To: teamRef(), Message: q})
	if err != nil {
		t.Fatal(err)
	}
	ch, ts, _ := kit.ParseSentID(id)
	if m, _ := fs.Message(ch, ts); len(m.Buttons()) != 10 {
		t.Fatalf("question has %d buttons, want 10", len(m.Buttons()))
	}
	got, err := b.Deliver(ctx, core.Delivery{To: teamRef(), EditID: id, Message: core.Message{Text: "How fast were we? 7"}})
	if err != nil || got != id {
		t.Fatalf("edit: id %q err %v, want %q", got, err, id)
	}
	m, _ := fs.Message(ch, ts)
	if len(m.Buttons()) != 0 || m.Edits != 1 || !strings.Contains(m.Shown(), "7") {
		t.Errorf("after edit: %d buttons, %d edits, shown %q", len(m.Buttons()), m.Edits, m.Shown())
	}
	reply, err := b.Deliver(ctx, core.Delivery{To: teamRef(), ThreadID: id, Message: core.Message{Text: "in thread"}})
	if err != nil {
		t.Fatal(err)
	}
	if th := fs.Thread(ch, ts); len(th) != 1 || kit.SentID(th[0].Channel, th[0].TS) != reply {
		t.Errorf("thread = %+v, want the reply %s", th, reply)
	}
}

func TestDeliverSplitsLongMessages(t *testing.T) {
	fs := newFake(t)
	b := newBot(t, fs, coretest.NewHandler(nil), false)
	long := strings.Repeat(strings.Repeat("x", 99)+"\n", 2000) // 200,000 characters: > 50 sections
	id, err := b.Deliver(context.Background(), core.Delivery{To: teamRef(), Message: core.Message{Text: long, Choices: scale("p")}})
	if err != nil {
		t.Fatalf("Deliver: %v (the fake refuses what Slack would)", err)
	}
	msgs := fs.Messages(team)
	if len(msgs) < 2 {
		t.Fatalf("%d messages, want the text split over several", len(msgs))
	}
	last := msgs[len(msgs)-1]
	if kit.SentID(last.Channel, last.TS) != id || len(last.Buttons()) != 10 {
		t.Errorf("sent id %s should be the last message, with the buttons", id)
	}
	var total int
	for _, m := range msgs {
		total += strings.Count(m.Shown(), "x")
	}
	if total != 99*2000 {
		t.Errorf("%d x's arrived, want %d", total, 99*2000)
	}
}

func TestDeliverErrors(t *testing.T) {
	cases := []struct {
		name        string
		setup       func(*fakeslack.Server)
		to          string
		dm          bool
		token       string
		kind        core.DeliveryErrorKind
		reason      string
		unreachable bool
		retryAfter  time.Duration
		global      bool
	}{
		{name: "429", setup: fail("chat.postMessage", fakeslack.Fault{Status: 429, RetryAfter: 7}), to: team,
			kind: core.DeliveryRateLimited, retryAfter: 7 * time.Second},
		{name: "429 opening a DM", setup: fail("conversations.open", fakeslack.Fault{Status: 429, RetryAfter: 30}), to: customer, dm: true,
			kind: core.DeliveryRateLimited, retryAfter: 30 * time.Second, global: true},
		{name: "500", setup: fail("chat.postMessage", fakeslack.Fault{Status: 500}), to: team, kind: core.DeliveryTemporary},
		{name: "503", setup: fail("chat.postMessage", fakeslack.Fault{Status: 503}), to: team, kind: core.DeliveryTemporary},
		{name: "internal_error", setup: fail("chat.postMessage", fakeslack.Fault{Error: "internal_error"}), to: team, kind: core.DeliveryTemporary},
		{name: "channel_not_found", to: "CNOPE", kind: core.DeliveryPermanent, reason: "channel_not_found"},
		{name: "not_in_channel", setup: func(fs *fakeslack.Server) { fs.SetChannel(team, func(c *fakeslack.Channel) { c.BotMember = false }) },
			to: team, kind: core.DeliveryPermanent, reason: "not_in_channel"},
		{name: "is_archived", setup: func(fs *fakeslack.Server) { fs.SetChannel(team, func(c *fakeslack.Channel) { c.Archived = true }) },
			to: team, kind: core.DeliveryPermanent, reason: "is_archived"},
		{name: "user_not_found", to: "UNOBODY", dm: true, kind: core.DeliveryPermanent, reason: "user_not_found", unreachable: true},
		{name: "cannot_dm_bot", to: "UBOT", dm: true, kind: core.DeliveryPermanent, reason: "cannot_dm_bot", unreachable: true},
		{name: "account_inactive person", setup: fail("conversations.open", fakeslack.Fault{Error: "account_inactive"}),
			to: customer, dm: true, kind: core.DeliveryPermanent, reason: "account_inactive", unreachable: true},
		{name: "account_inactive bot", setup: func(fs *fakeslack.Server) {
			fs.Fail("conversations.open", fakeslack.Fault{Error: "account_inactive"})
			fs.Fail("auth.test", fakeslack.Fault{Error: "account_inactive"})
		}, to: customer, dm: true, kind: core.DeliveryUnauthorized, reason: "account_inactive"},
		{name: "invalid_auth", token: "xoxb-wrong", to: team, kind: core.DeliveryUnauthorized, reason: "invalid_auth"},
		{name: "token_revoked", setup: fail("chat.postMessage", fakeslack.Fault{Error: "token_revoked"}), to: team,
			kind: core.DeliveryUnauthorized, reason: "token_revoked"},
		{name: "edit of a vanished message", to: team, kind: core.DeliveryPermanent, reason: "message_not_found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFake(t)
			if tc.setup != nil {
				tc.setup(fs)
			}
			o := fs.Options()
			token := o.BotToken
			if tc.token != "" {
				token = tc.token
			}
			b, err := New(Options{BotToken: token, SigningSecret: "s", APIURL: fs.APIURL(), Texts: coretest.Texts(t)}, coretest.NewHandler(nil), slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			d := core.Delivery{To: core.ChatRef{Platform: core.Slack, ID: tc.to}, DM: tc.dm, Message: core.Message{Text: "hello"}}
			if tc.reason == "message_not_found" {
				d.EditID = team + "/1.000001"
			}
			_, err = b.Deliver(context.Background(), d)
			de, ok := errors.AsType[*core.DeliveryError](err)
			if !ok {
				t.Fatalf("err = %v (%T), want *core.DeliveryError", err, err)
			}
			if de.Kind != tc.kind || de.Unreachable != tc.unreachable || (tc.reason != "" && de.Reason != tc.reason) {
				t.Errorf("got kind %s unreachable %v reason %q, want %s %v %q", de.Kind, de.Unreachable, de.Reason, tc.kind, tc.unreachable, tc.reason)
			}
			if de.RetryAfter != tc.retryAfter || de.Global != tc.global {
				t.Errorf("RetryAfter = %v global %v, want %v %v", de.RetryAfter, de.Global, tc.retryAfter, tc.global)
			}
			if strings.Contains(de.Error(), token) {
				t.Errorf("error text contains the token: %s", de.Error())
			}
			if tc.name == "429" {
				if n := len(fs.Calls("chat.postMessage")); n != 1 {
					t.Errorf("chat.postMessage called %d times: the SDK must not retry a 429 itself", n)
				}
			}
		})
	}
}

func fail(method string, f fakeslack.Fault) func(*fakeslack.Server) {
	return func(fs *fakeslack.Server) { fs.Fail(method, f) }
}

func TestDeliverNetworkErrorIsTemporary(t *testing.T) {
	fs := newFake(t)
	b := newBot(t, fs, coretest.NewHandler(nil), false)
	fs.Close()
	_, err := b.Deliver(context.Background(), core.Delivery{To: teamRef(), Message: core.Message{Text: "x"}})
	if de, ok := errors.AsType[*core.DeliveryError](err); !ok || de.Kind != core.DeliveryTemporary {
		t.Errorf("err = %v, want a temporary DeliveryError", err)
	}
}

func TestDeliverEditTooLongIsShortened(t *testing.T) {
	fs := newFake(t)
	b := newBot(t, fs, coretest.NewHandler(nil), false)
	ctx := context.Background()
	id, err := b.Deliver(ctx, core.Delivery{To: teamRef(), Message: core.Message{Title: "Card", Choices: scale("p")}})
	if err != nil {
		t.Fatal(err)
	}
	huge := core.Message{Title: "Card", Text: strings.Repeat(strings.Repeat("z", 99)+"\n", 2000), Choices: scale("p"), Footer: "end"}
	if _, err := b.Deliver(ctx, core.Delivery{To: teamRef(), EditID: id, Message: huge}); err != nil {
		t.Fatalf("edit: %v (the fake refuses what Slack would)", err)
	}
	ch, ts, _ := kit.ParseSentID(id)
	m, _ := fs.Message(ch, ts)
	if len(m.Buttons()) != 10 || !strings.Contains(m.Shown(), "shortened") || !strings.Contains(m.Shown(), "end") {
		t.Errorf("edited card: %d buttons, shown %.200q…", len(m.Buttons()), m.Shown())
	}
}
