package discord

import (
	"context"
	"earshot/core/coretest"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"earshot/bots/discord/fakediscord"
	"earshot/core"
)

// sentBody is the part of a recorded message body the tests look at.
type sentBody struct {
	Content         string `json:"content"`
	Nonce           string `json:"nonce"`
	EnforceNonce    bool   `json:"enforce_nonce"`
	AllowedMentions *struct {
		Parse *[]string `json:"parse"`
	} `json:"allowed_mentions"`
}

func decodeBody(t *testing.T, r fakediscord.Request) sentBody {
	t.Helper()
	var b sentBody
	if err := json.Unmarshal(r.Body, &b); err != nil {
		t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	return b
}

func team(fake *fakediscord.Server) core.ChatRef {
	return core.ChatRef{Platform: core.Discord, ID: fake.TeamChannelID}
}

func deliveryError(t *testing.T, err error) *core.DeliveryError {
	t.Helper()
	de, ok := errors.AsType[*core.DeliveryError](err)
	if !ok {
		t.Fatalf("error %v (%T) is not a *core.DeliveryError", err, err)
	}
	return de
}

func TestMentionInjection(t *testing.T) {
	fake, b := newBot(t, nil)
	text := "@everyone @here <@&123> <@456> my wheel is bent"
	_, err := b.Deliver(context.Background(), core.Delivery{ID: 5, To: team(fake),
		Message: core.Message{Title: "Complaint C-1", Text: text}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Deliver(context.Background(), core.Delivery{ID: 6, To: user("42"), DM: true,
		Message: core.Message{Text: text}})
	if err != nil {
		t.Fatal(err)
	}
	posts := fake.RequestsTo("POST", "/messages")
	if len(posts) != 2 {
		t.Fatalf("posts = %d, want 2", len(posts))
	}
	for _, p := range posts {
		b := decodeBody(t, p)
		if b.AllowedMentions == nil || b.AllowedMentions.Parse == nil || len(*b.AllowedMentions.Parse) != 0 {
			t.Errorf("%s: allowed_mentions = %s, want parse: []", p.Path, p.Body)
		}
	}
	dm, _ := fake.DMChannel("42")
	msgs := fake.Messages(dm)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Content, "@everyone") || !strings.Contains(msgs[0].Content, `\<@&123\>`) {
		t.Errorf("DM shows %+v, want the text shown literally", msgs)
	}
}

func user(id string) core.ChatRef { return core.ChatRef{Platform: core.Discord, ID: id} }

func TestNonceAndRetryPostsOnce(t *testing.T) {
	fake, b := newBot(t, nil)
	d := core.Delivery{ID: 1234, To: user("42"), DM: true, Message: core.Message{Text: "How was it?", Choices: scale()}}
	first, err := b.Deliver(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	// A crash after the post but before MarkSent: the outbox delivers the same message again.
	again, err := b.Deliver(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Errorf("retry returned %q, want the first message %q", again, first)
	}
	dm, _ := fake.DMChannel("42")
	if n := len(fake.Messages(dm)); n != 1 {
		t.Errorf("DM has %d messages, want 1", n)
	}
	posts := fake.RequestsTo("POST", "/messages")
	for _, p := range posts {
		if b := decodeBody(t, p); b.Nonce != "1234" || !b.EnforceNonce {
			t.Errorf("nonce %q enforce %v, want \"1234\" and true", b.Nonce, b.EnforceNonce)
		}
	}
	if n := len(fake.RequestsTo("POST", "/users/@me/channels")); n != 1 {
		t.Errorf("DM channel opened %d times, want once (cached)", n)
	}
	if !strings.HasPrefix(first, dm+"/") {
		t.Errorf("sentID %q, want %s/<message id>", first, dm)
	}
}

func TestDeliverErrors(t *testing.T) {
	tests := []struct {
		name    string
		fail    fakediscord.Failure
		want    core.DeliveryError
		checkRA bool
	}{
		{"rate limited", fakediscord.Failure{Status: 429, RetryAfter: 1.5},
			core.DeliveryError{Kind: core.DeliveryRateLimited, RetryAfter: 1500 * time.Millisecond, Reason: "You are being rate limited."}, true},
		{"global rate limit", fakediscord.Failure{Status: 429, RetryAfter: 0.25, Global: true},
			core.DeliveryError{Kind: core.DeliveryRateLimited, RetryAfter: 250 * time.Millisecond, Global: true, Reason: "You are being rate limited."}, true},
		{"cannot DM", fakediscord.Failure{Status: 403, Code: 50007, Message: "Cannot send messages to this user"},
			core.DeliveryError{Kind: core.DeliveryPermanent, Unreachable: true, Reason: "Cannot send messages to this user"}, false},
		{"missing permissions", fakediscord.Failure{Status: 403, Code: 50013, Message: "Missing Permissions"},
			core.DeliveryError{Kind: core.DeliveryUnauthorized, Reason: "Missing Permissions"}, false},
		{"bad token", fakediscord.Failure{Status: 401, Code: 0, Message: "401: Unauthorized"},
			core.DeliveryError{Kind: core.DeliveryUnauthorized, Reason: "401: Unauthorized"}, false},
		{"unknown channel", fakediscord.Failure{Status: 404, Code: 10003, Message: "Unknown Channel"},
			core.DeliveryError{Kind: core.DeliveryPermanent, Reason: "Unknown Channel"}, false},
		{"server error", fakediscord.Failure{Status: 500, Message: "Internal Server Error"},
			core.DeliveryError{Kind: core.DeliveryTemporary, Reason: "Internal Server Error"}, false},
		{"bad gateway", fakediscord.Failure{Status: 502, Message: "Bad Gateway"},
			core.DeliveryError{Kind: core.DeliveryTemporary}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, b := newBot(t, nil)
			tt.fail.Method, tt.fail.Path = "POST", "/channels/"+fake.TeamChannelID+"/messages"
			fake.Fail(tt.fail)
			_, err := b.Deliver(context.Background(), core.Delivery{ID: 9, To: team(fake), Message: core.Message{Text: "hi"}})
			de := deliveryError(t, err)
			got := *de
			got.Err = nil
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
			if n := len(fake.RequestsTo("POST", "/messages")); n != 1 {
				t.Errorf("requests = %d, want 1 (no retry inside the SDK)", n)
			}
			if strings.Contains(err.Error(), fake.Token) {
				t.Error("the error text holds the token")
			}
		})
	}
}

func TestUnreachableUser(t *testing.T) {
	fake, b := newBot(t, nil)
	fake.SetUnreachable("42", true)
	_, err := b.Deliver(context.Background(), core.Delivery{ID: 1, To: user("42"), DM: true, Message: core.Message{Text: "hi"}})
	de := deliveryError(t, err)
	if de.Kind != core.DeliveryPermanent || !de.Unreachable {
		t.Errorf("got %+v, want permanent and unreachable", de)
	}
}

func TestEditRemovesButtons(t *testing.T) {
	fake, b := newBot(t, nil)
	ctx := context.Background()
	sent, err := b.Deliver(ctx, core.Delivery{ID: 1, To: user("42"), DM: true, Message: core.Message{Text: "How fast?", Choices: scale()}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Deliver(ctx, core.Delivery{ID: 2, To: user("42"), DM: true, EditID: sent,
		Message: core.Message{Text: "How fast? 7"}})
	if err != nil || got != sent {
		t.Fatalf("edit = %q, %v; want %q", got, err, sent)
	}
	_, id, _ := strings.Cut(sent, "/")
	m, _ := fake.Message(id)
	if m.Content != "How fast? 7" || len(m.Components) != 0 || m.Edits != 1 {
		t.Errorf("after edit: content %q components %d edits %d", m.Content, len(m.Components), m.Edits)
	}
}

func TestThreadStartedOnce(t *testing.T) {
	fake, b := newBot(t, nil)
	ctx := context.Background()
	card, err := b.Deliver(ctx, core.Delivery{ID: 1, To: team(fake), Message: core.Message{Title: "Complaint C-3 · open", Text: "late"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := int64(2); i <= 3; i++ {
		if _, err := b.Deliver(ctx, core.Delivery{ID: i, To: team(fake), ThreadID: card, Message: core.Message{Text: "customer: still late"}}); err != nil {
			t.Fatal(err)
		}
	}
	_, cardID, _ := strings.Cut(card, "/")
	th, ok := fake.Channel(cardID)
	if !ok || th.ParentID != fake.TeamChannelID || th.Name != "Complaint C-3" {
		t.Fatalf("thread = %+v, %v", th, ok)
	}
	if n := len(fake.Messages(cardID)); n != 2 {
		t.Errorf("thread has %d messages, want 2", n)
	}
	if n := len(fake.RequestsTo("POST", "/threads")); n != 1 {
		t.Errorf("thread started %d times, want 1", n)
	}
	// A thread someone already opened by hand (or before a restart) is used as it is.
	_, b2 := newBotOn(t, fake)
	if _, err := b2.Deliver(ctx, core.Delivery{ID: 4, To: team(fake), ThreadID: card, Message: core.Message{Text: "again"}}); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Messages(cardID)); n != 3 {
		t.Errorf("thread has %d messages, want 3", n)
	}
}

func TestDeliverLongMessage(t *testing.T) {
	fake, b := newBot(t, nil)
	text := strings.Repeat("This is a long complaint sentence. ", 150) // 5,250 characters
	sent, err := b.Deliver(context.Background(), core.Delivery{ID: 77, To: team(fake), Message: core.Message{Text: text,
		Choices: []core.Choice{{Label: "OK", Payload: "ok"}}}})
	if err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages(fake.TeamChannelID)
	if len(msgs) != 3 {
		t.Fatalf("messages = %d, want 3", len(msgs))
	}
	if want := fake.TeamChannelID + "/" + msgs[2].ID; sent != want {
		t.Errorf("sentID %q, want the last part with the buttons %q", sent, want)
	}
	for i, m := range msgs {
		if want := nonce(77, i); m.Nonce != want {
			t.Errorf("part %d nonce %q, want %q", i, m.Nonce, want)
		}
	}
}

func TestNetworkErrorIsTemporary(t *testing.T) {
	fake, _ := newBot(t, nil)
	url := fake.URL()
	fake.Close() // nothing listens there any more
	b, err := New(Options{Token: "t", ApplicationID: "1", APIURL: url, Texts: coretest.Texts(t)}, coretest.NewHandler(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Deliver(context.Background(), core.Delivery{ID: 1, To: user("5"), Message: core.Message{Text: "hi"}})
	if de := deliveryError(t, err); de.Kind != core.DeliveryTemporary {
		t.Errorf("got %+v, want temporary", de)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = b.Deliver(ctx, core.Delivery{ID: 2, To: user("5"), Message: core.Message{Text: "hi"}})
	if de := deliveryError(t, err); de.Kind != core.DeliveryTemporary || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %+v, want temporary wrapping context.Canceled", de)
	}
}

func TestUnknownUserUnreachable(t *testing.T) {
	fake, b := newBot(t, nil)
	fake.Fail(fakediscord.Failure{Method: "POST", Path: "/users/@me/channels", Status: 400, Code: 10013, Message: "Unknown User"})
	_, err := b.Deliver(context.Background(), core.Delivery{ID: 1, To: user("77"), DM: true, Message: core.Message{Text: "hi"}})
	if de := deliveryError(t, err); de.Kind != core.DeliveryPermanent || !de.Unreachable || de.Reason != "Unknown User" {
		t.Errorf("got %+v, want permanent, unreachable, Unknown User", de)
	}
}
