package discord

import (
	"context"
	"earshot/core/coretest"
	"strings"
	"testing"
	"time"

	"earshot/bots/discord/fakediscord"
	"earshot/core"
)

// waitCallback waits for the app's first answer to an interaction.
func waitCallback(t *testing.T, fake *fakediscord.Server, id string) fakediscord.Callback {
	t.Helper()
	var cb fakediscord.Callback
	coretest.WaitFor(t, "interaction answer", func() bool {
		in, _ := fake.Interaction(id)
		if len(in.Callbacks) > 0 {
			cb = in.Callbacks[0]
			return true
		}
		return false
	})
	return cb
}

func TestButtonPress(t *testing.T) {
	t.Parallel()
	rec := coretest.NewHandler(coretest.Answer(func(in core.Incoming) (core.Response, error) {
		if in.Action == "s:1:0:3" {
			return core.Response{Notice: "This survey is closed."}, nil
		}
		return core.Response{}, nil
	}))
	fake, b := newBot(t, rec)
	runBot(t, fake, b)
	fake.SetUser(fakediscord.User{ID: "42", Username: "dana", GlobalName: "Dana", Locale: "de"})
	sent, err := b.Deliver(context.Background(), core.Delivery{ID: 1, To: user("42"), DM: true,
		Message: core.Message{Text: "How courteous were we?", Choices: scale()}})
	if err != nil {
		t.Fatal(err)
	}
	dm, mid, _ := strings.Cut(sent, "/")

	id := fake.PushButton("42", dm, mid, "s:7:q1:7")
	in := waitIncoming(t, rec, id)
	want := core.Incoming{Platform: core.Discord, EventID: id, From: core.UserRef{Platform: core.Discord, ID: "42"},
		Chat: core.ChatRef{Platform: core.Discord, ID: dm}, Direct: true, Action: "s:7:q1:7", Name: "Dana", Locale: "de"}
	if in != want {
		t.Errorf("incoming = %+v\nwant %+v", in, want)
	}
	if cb := waitCallback(t, fake, id); cb.Type != 6 {
		t.Errorf("answer type %d, want 6 (deferred update: core edits the question)", cb.Type)
	}

	id = fake.PushButton("42", dm, mid, "s:1:0:3")
	cb := waitCallback(t, fake, id)
	if d := cb.Decode(); cb.Type != 4 || d.Flags != 64 || d.Content != "This survey is closed." {
		t.Errorf("answer = type %d %+v, want an ephemeral notice", cb.Type, d)
	}
}

func TestResolveModal(t *testing.T) {
	t.Parallel()
	rec := coretest.NewHandler(nil)
	fake, b := newBot(t, rec)
	runBot(t, fake, b)
	card, err := b.Deliver(context.Background(), core.Delivery{ID: 1, To: team(fake), Message: core.Message{
		Title: "Complaint C-1001 · open", Text: "bent wheel",
		Choices: []core.Choice{{Label: "Acknowledge", Payload: "c:ack:1001"},
			{Label: "Resolve", Payload: "c:res:1001", NeedsNote: true, NoteLabel: "What did you do?"}}}})
	if err != nil {
		t.Fatal(err)
	}
	ch, mid, _ := strings.Cut(card, "/")
	press := fake.PushButton("8035", ch, mid, "note|c:res:1001")
	cb := waitCallback(t, fake, press)
	d := cb.Decode()
	if cb.Type != 9 || d.CustomID != "note|c:res:1001" || d.Title != "Resolve" {
		t.Fatalf("answer = type %d %+v, want the note modal", cb.Type, d)
	}
	if len(d.Components) != 1 || d.Components[0].Components[0].Label != "What did you do?" {
		t.Errorf("modal components = %+v", d.Components)
	}
	for _, in := range rec.Got() {
		if in.EventID == press {
			t.Error("opening the modal reached core")
		}
	}

	submit := fake.PushModalSubmit("8035", ch, mid, d.CustomID, map[string]string{"note": "replaced the wheel"})
	in := waitIncoming(t, rec, submit)
	if in.Action != "c:res:1001" || in.Text != "replaced the wheel" || in.Direct || in.Chat.ID != fake.TeamChannelID {
		t.Errorf("submit = %+v", in)
	}
	if cb := waitCallback(t, fake, submit); cb.Type != 6 {
		t.Errorf("submit answer type %d, want 6", cb.Type)
	}
}

func TestApplicationCommand(t *testing.T) {
	t.Parallel()
	rec := coretest.NewHandler(coretest.Answer(func(in core.Incoming) (core.Response, error) {
		switch {
		case strings.HasPrefix(in.Text, "/ack"):
			return core.Response{}, core.Errorf(core.EFORBIDDEN, "Only team members can use /ack.")
		case strings.HasPrefix(in.Text, "/status"):
			return core.Response{}, nil
		}
		return core.Response{Replies: []core.Message{{Text: "Sent to the customer."}, {Title: "C-12", Text: "thread"}}}, nil
	}))
	fake, b := newBot(t, rec)
	runBot(t, fake, b)

	id := fake.PushCommand("8035", fake.TeamChannelID, "reply", fakediscord.Option{Name: "ref", Value: "C-12"},
		fakediscord.Option{Name: "text", Value: "We are on it @everyone"})
	in := waitIncoming(t, rec, id)
	if in.Text != "/reply C-12 We are on it @everyone" || !in.Inline || in.Direct {
		t.Errorf("incoming = %+v", in)
	}
	cb := waitCallback(t, fake, id)
	d := cb.Decode()
	if cb.Type != 4 || d.Flags != 64 || d.Content != "Sent to the customer." || len(d.Embeds) != 1 {
		t.Errorf("answer = type %d %+v, want both replies, ephemeral", cb.Type, d)
	}
	if d.AllowedMentions == nil || string(*d.AllowedMentions) != `{"parse":[],"replied_user":false}` {
		t.Errorf("allowed_mentions = %v", d.AllowedMentions)
	}

	id = fake.PushCommand("999", fake.TeamChannelID, "ack", fakediscord.Option{Name: "ref", Value: "C-12"})
	cb = waitCallback(t, fake, id)
	if d := cb.Decode(); d.Content != "Only team members can use /ack." || d.Flags != 64 {
		t.Errorf("stranger answer = %+v, want the refusal, ephemeral", d)
	}

	dm := fake.PushDM("42", "hi") // opens the DM channel
	waitIncoming(t, rec, dm)
	ch, _ := fake.DMChannel("42")
	id = fake.PushCommand("42", ch, "status")
	in = waitIncoming(t, rec, id)
	if in.Text != "/status" || !in.Direct {
		t.Errorf("DM command = %+v", in)
	}
	if d := waitCallback(t, fake, id).Decode(); d.Content != "Done." {
		t.Errorf("empty answer = %+v", d)
	}
}

func TestSlowHandleDefers(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	rec := coretest.NewHandler(coretest.Answer(func(in core.Incoming) (core.Response, error) {
		<-release
		return core.Response{Replies: []core.Message{{Text: "Complaints: none open."}}}, nil
	}))
	fake, b := newBot(t, rec)
	b.ackBy = 20 * time.Millisecond
	runBot(t, fake, b)
	id := fake.PushCommand("8035", fake.TeamChannelID, "complaints")
	cb := waitCallback(t, fake, id)
	if cb.Type != 5 || cb.Decode().Flags != 64 {
		t.Errorf("first answer = type %d, want 5 (deferred, ephemeral)", cb.Type)
	}
	close(release)
	coretest.WaitFor(t, "the deferred answer", func() bool {
		in, _ := fake.Interaction(id)
		return in.Original != nil && in.Original.Content == "Complaints: none open."
	})
}

func TestTeamChannelRouting(t *testing.T) {
	t.Parallel()
	rec := coretest.NewHandler(nil)
	fake, b := newBot(t, rec)
	runBot(t, fake, b)
	card, err := b.Deliver(context.Background(), core.Delivery{ID: 1, To: team(fake), Message: core.Message{Title: "Complaint C-5", Text: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	_, cardID, _ := strings.Cut(card, "/")
	if _, err := fake.CreateThread(fake.TeamChannelID, cardID, "C-5"); err != nil {
		t.Fatal(err)
	}
	inThread, _ := fake.PushMessage(cardID, "8035", "we will call you")
	reply, _ := fake.PushReply(fake.TeamChannelID, "8035", cardID, "on it")
	plain, _ := fake.PushMessage(fake.TeamChannelID, "8035", "ack C-5")

	got := waitIncoming(t, rec, inThread)
	if got.ThreadID != card || got.Chat.ID != fake.TeamChannelID || got.Direct {
		t.Errorf("thread message = %+v, want ThreadID %q in the team channel", got, card)
	}
	if got := waitIncoming(t, rec, reply); got.ThreadID != card {
		t.Errorf("reply to the card: ThreadID %q, want %q", got.ThreadID, card)
	}
	if got := waitIncoming(t, rec, plain); got.ThreadID != "" || got.Text != "ack C-5" {
		t.Errorf("plain team message = %+v", got)
	}
	for _, in := range rec.Got() {
		if in.From.ID == fake.BotUserID {
			t.Errorf("the bot's own message reached core: %+v", in)
		}
	}
}

// After a global 429 the adapter itself waits for nothing: the outbox holds deliveries, and
// interaction answers (which Discord exempts from the global limit) still go out.
func TestGlobalRateLimitDoesNotBlockAnswers(t *testing.T) {
	t.Parallel()
	rec := coretest.NewHandler(nil)
	fake, b := newBot(t, rec)
	runBot(t, fake, b)
	fake.Fail(fakediscord.Failure{Method: "POST", Path: "/messages", Status: 429, RetryAfter: 60, Global: true})
	_, err := b.Deliver(context.Background(), core.Delivery{ID: 1, To: team(fake), Message: core.Message{Text: "x"}})
	if de := deliveryError(t, err); de.Kind != core.DeliveryRateLimited || !de.Global || de.RetryAfter != time.Minute {
		t.Fatalf("got %+v, want a global rate limit of 60 s", de)
	}
	fake.PushDM("42", "hi")
	ch, _ := fake.DMChannel("42")
	id := fake.PushCommand("42", ch, "help")
	waitCallback(t, fake, id) // within 5 s, not after 60
}

func TestSlowButtonNoticeFollowsUp(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	rec := coretest.NewHandler(coretest.Answer(func(in core.Incoming) (core.Response, error) {
		<-release
		return core.Response{Notice: "You own C-7 now."}, nil
	}))
	fake, b := newBot(t, rec)
	b.ackBy = 20 * time.Millisecond
	runBot(t, fake, b)
	card, err := b.Deliver(context.Background(), core.Delivery{ID: 1, To: team(fake), Message: core.Message{Title: "C-7",
		Choices: []core.Choice{{Label: "Acknowledge", Payload: "c:ack:7"}}}})
	if err != nil {
		t.Fatal(err)
	}
	ch, mid, _ := strings.Cut(card, "/")
	id := fake.PushButton("8035", ch, mid, "c:ack:7")
	if cb := waitCallback(t, fake, id); cb.Type != 6 {
		t.Errorf("first answer type %d, want 6 (deferred update)", cb.Type)
	}
	close(release)
	coretest.WaitFor(t, "the notice as an ephemeral follow-up", func() bool {
		in, _ := fake.Interaction(id)
		return len(in.Followups) == 1 && in.Followups[0].Content == "You own C-7 now." && in.Followups[0].Flags == 64
	})
}
