package discord

import (
	"context"
	"earshot/core/coretest"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"earshot/core"
)

func TestGatewayIdentifyAndDM(t *testing.T) {
	t.Parallel()
	rec := coretest.NewHandler(nil)
	fake, b := newBot(t, rec)
	runBot(t, fake, b)

	ids := fake.Identifies()
	if len(ids) != 1 {
		t.Fatalf("identifies = %d, want 1", len(ids))
	}
	want := int(discordgo.IntentsDirectMessages | discordgo.IntentsGuildMessages | discordgo.IntentsMessageContent)
	if ids[0].Intents != want {
		t.Errorf("intents = %d, want %d (DMs, guild messages, message content)", ids[0].Intents, want)
	}
	coretest.WaitFor(t, "a heartbeat", func() bool { return fake.Heartbeats() > 0 })

	mid := fake.PushDM("42", "7/10")
	in := waitIncoming(t, rec, mid)
	dm, _ := fake.DMChannel("42")
	wantIn := core.Incoming{Platform: core.Discord, EventID: mid, From: core.UserRef{Platform: core.Discord, ID: "42"},
		Chat: core.ChatRef{Platform: core.Discord, ID: dm}, Direct: true, Text: "7/10", Name: "user42"}
	in.At = time.Time{}
	if in != wantIn {
		t.Errorf("incoming = %+v\nwant %+v", in, wantIn)
	}
}

func TestGatewayResumeAfterDrop(t *testing.T) {
	t.Parallel()
	rec := coretest.NewHandler(nil)
	fake, b := newBot(t, rec)
	runBot(t, fake, b)

	first := fake.PushDM("42", "1")
	waitIncoming(t, rec, first)
	session := fake.SessionID()

	fake.DropGateway()
	missed := fake.PushDM("42", "8") // sent while the socket is down
	waitIncoming(t, rec, missed)

	rs := fake.Resumes()
	if len(rs) != 1 || rs[0].SessionID != session {
		t.Fatalf("resumes = %+v, want one with session %q", rs, session)
	}
	if rs[0].Seq < 1 {
		t.Errorf("resume seq = %d, want the last sequence seen", rs[0].Seq)
	}
	if n := len(fake.Identifies()); n != 1 {
		t.Errorf("identifies = %d, want 1 (resumed, not re-identified)", n)
	}
	// After RESUMED the live stream goes on.
	after := fake.PushDM("42", "9")
	waitIncoming(t, rec, after)
	count := 0
	for _, in := range rec.Got() {
		if in.EventID == missed {
			count++
		}
	}
	if count != 1 {
		t.Errorf("missed event handled %d times, want 1", count)
	}
}

func TestCommandsRegistered(t *testing.T) {
	t.Parallel()
	fake, b := newBot(t, nil)
	runBot(t, fake, b)
	names := func(raw json.RawMessage) map[string]bool {
		var cs []struct{ Name string }
		if err := json.Unmarshal(raw, &cs); err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, c := range cs {
			m[c.Name] = true
		}
		return m
	}
	coretest.WaitFor(t, "guild commands", func() bool { return len(fake.Commands(fake.GuildID)) > 0 })
	global, guild := names(fake.Commands("global")), names(fake.Commands(fake.GuildID))
	for _, n := range []string{"complain", "status", "stop", "resume", "forget", "help", "language", "digest", "scores"} {
		if !global[n] {
			t.Errorf("global command /%s missing", n)
		}
	}
	for _, n := range []string{"complaints", "ack", "reply", "resolve"} {
		if !guild[n] || global[n] {
			t.Errorf("/%s: guild %v global %v, want guild only", n, guild[n], global[n])
		}
	}
}

// A refused token is retried with backoff and reported as refused, never shown.
func TestRunRefusedToken(t *testing.T) {
	t.Parallel()
	fake, _ := newBot(t, nil)
	b, err := New(Options{Token: "wrong", ApplicationID: fake.ApplicationID, APIURL: fake.URL(), Texts: coretest.Texts(t)}, coretest.NewHandler(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	b.tune(10*time.Millisecond, 0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	coretest.WaitFor(t, "refused reported", func() bool { return b.Status().State == core.AdapterRefused })
	if strings.Contains(b.Status().Reason, "wrong") {
		t.Errorf("the status shows the token: %v", b.Status().Reason)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v after cancel, want nil", err)
	}
}

func TestDMAttachmentsAndEmptyMessages(t *testing.T) {
	t.Parallel()
	rec := coretest.NewHandler(nil)
	fake, b := newBot(t, rec)
	runBot(t, fake, b)
	empty := fake.PushDM("42", "") // a sticker: nothing to read
	file := fake.PushDMFile("42", "my wheel", "wheel.jpg")
	in := waitIncoming(t, rec, file)
	if !strings.HasPrefix(in.Text, "my wheel\n[attachment] https://cdn.discordapp.com/attachments/") || !strings.HasSuffix(in.Text, "/wheel.jpg") {
		t.Errorf("text = %q", in.Text)
	}
	for _, in := range rec.Got() {
		if in.EventID == empty {
			t.Error("an empty message reached core")
		}
	}
}

func TestMessageErrorsAnswered(t *testing.T) {
	t.Parallel()
	calls := map[string]int{}
	var mu sync.Mutex
	rec := coretest.NewHandler(coretest.Answer(func(in core.Incoming) (core.Response, error) {
		mu.Lock()
		calls[in.Text]++
		mu.Unlock()
		if in.Text == "boom" {
			return core.Response{}, errors.New("disk on fire")
		}
		return core.Response{}, core.Errorf(core.ENOTFOUND, "No complaint C-99.")
	}))
	fake, b := newBot(t, rec)
	runBot(t, fake, b)
	fake.PushDM("42", "status C-99")
	dm, _ := fake.DMChannel("42")
	coretest.WaitFor(t, "the coded error shown", func() bool {
		ms := fake.Messages(dm)
		return len(ms) == 2 && ms[1].Content == "No complaint C-99." && ms[1].Reference != nil
	})
	fake.PushDM("42", "boom")
	coretest.WaitFor(t, "the polite line after retries", func() bool {
		ms := fake.Messages(dm)
		return len(ms) == 4 && strings.HasPrefix(ms[3].Content, "Something went wrong") && ms[3].Reference != nil
	})
	mu.Lock()
	defer mu.Unlock()
	if calls["boom"] != maxAttempts || calls["status C-99"] != 1 {
		t.Errorf("Handle calls = %v, want %d for the internal error and 1 for the coded one", calls, maxAttempts)
	}
}

func TestBotMentionStripped(t *testing.T) {
	t.Parallel()
	rec := coretest.NewHandler(nil)
	fake, b := newBot(t, rec)
	runBot(t, fake, b)
	tests := map[string]string{
		"<@" + fake.BotUserID + "> ack C-12":  "ack C-12",
		"<@!" + fake.BotUserID + ">  /status": "/status",
		"hi <@" + fake.BotUserID + ">":        "hi <@" + fake.BotUserID + ">",
		"<@123> ack C-12":                     "<@123> ack C-12",
	}
	for text, want := range tests {
		id, err := fake.PushMessage(fake.TeamChannelID, "8035", text)
		if err != nil {
			t.Fatal(err)
		}
		if got := waitIncoming(t, rec, id); got.Text != want {
			t.Errorf("%q reached core as %q, want %q", text, got.Text, want)
		}
	}
}

// After an invalid session (op 9) the client identifies again and events flow.
func TestGatewayInvalidSessionReidentifies(t *testing.T) {
	t.Parallel()
	rec := coretest.NewHandler(nil)
	fake, b := newBot(t, rec)
	runBot(t, fake, b)
	fake.InvalidateSession()
	coretest.WaitFor(t, "a second IDENTIFY", func() bool { return len(fake.Identifies()) == 2 })
	if err := fake.WaitReady(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	id := fake.PushDM("42", "still there?")
	waitIncoming(t, rec, id)
	if rs := fake.Resumes(); len(rs) == 0 {
		t.Error("the client did not try to resume first")
	}
}

// Op 7 (Reconnect): the bot resumes on a new socket without identifying again.
func TestGatewayReconnectRequest(t *testing.T) {
	t.Parallel()
	rec := coretest.NewHandler(nil)
	fake, b := newBot(t, rec)
	runBot(t, fake, b)
	if err := fake.RequestReconnect(); err != nil {
		t.Fatal(err)
	}
	coretest.WaitFor(t, "a RESUME", func() bool { return len(fake.Resumes()) == 1 })
	id := fake.PushDM("42", "after the reconnect")
	waitIncoming(t, rec, id)
	if n := len(fake.Identifies()); n != 1 {
		t.Errorf("identifies = %d, want 1", n)
	}
}

// A gateway that cannot be reached at first is retried with backoff, reported as
// reconnecting meanwhile, and connects once it answers.
func TestRunRetriesAnUnreachableGateway(t *testing.T) {
	t.Parallel()
	fake, b := newBot(t, nil)
	fake.FailNext("/gateway", 2, http.StatusBadGateway)
	runBot(t, fake, b)
	if st := b.Status(); st.State != core.AdapterConnected {
		t.Errorf("status after connecting: %+v", st)
	}
}
