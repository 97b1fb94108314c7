package slack

import (
	"earshot/bots/internal/kit"
	"earshot/core/coretest"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"earshot/bots/slack/fakeslack"
	"earshot/core"
)

func TestSocketAckAfterHandle(t *testing.T) {
	fs := newFake(t)
	entered := make(chan core.Incoming, 1)
	release := make(chan struct{})
	rec := coretest.NewHandler(coretest.Answer(func(in core.Incoming) (core.Response, error) {
		entered <- in
		<-release
		return core.Response{}, nil
	}))
	run(t, newBot(t, fs, rec, true))
	dm := fs.DM(customer, "7/10 <great> & <!channel>")
	env := fs.Send(dm)
	var in core.Incoming
	select {
	case in = <-entered:
	case <-time.After(wait):
		t.Fatal("Handle was not called")
	}
	// While Handle runs, the envelope must stay unacknowledged (give a wrong ack a moment).
	if fs.WaitFor(200*time.Millisecond, func() bool { return len(fs.Acks(env)) > 0 }) {
		t.Fatal("envelope acknowledged before Handle returned")
	}
	close(release)
	ack, ok := fs.WaitAck(env, wait)
	if !ok {
		t.Fatal("envelope never acknowledged")
	}
	// Slack's protocol limit, not a benchmark: an envelope unacknowledged after 3 s is
	// retried and counted as a failure.
	if ack.Latency >= 3*time.Second {
		t.Errorf("acknowledged %v after the envelope was sent; Slack allows 3 s", ack.Latency)
	}

	want := core.Incoming{Platform: core.Slack, EventID: dm.EventID,
		From: core.UserRef{Platform: core.Slack, ID: customer}, Chat: chat(fs.IMChannel(customer)),
		Direct: true, Text: "7/10 <great> & <!channel>", Name: "Dana Customer",
		Locale: "de-DE", TimeZone: "Europe/Berlin"}
	in.At = time.Time{}
	if in != want {
		t.Errorf("Incoming =\n%+v\nwant\n%+v", in, want)
	}
}

func TestSocketRedeliveryKeepsEventID(t *testing.T) {
	fs := newFake(t)
	rec := downHandler()
	run(t, newBot(t, fs, rec, true))
	dm := fs.DM(customer, "hello")
	env := fs.Send(dm)
	coretest.WaitFor(t, "first Handle", func() bool { return len(rec.Got()) == 1 })
	if fs.WaitFor(200*time.Millisecond, func() bool { return len(fs.Acks(env)) > 0 }) {
		t.Fatal("an event was acknowledged while the store is down")
	}
	rec.SetDown(false)
	if err := fs.Redeliver(env); err != nil {
		t.Fatal(err)
	}
	if _, ok := fs.WaitAck(env, wait); !ok {
		t.Fatal("redelivered envelope not acknowledged")
	}
	// A redelivery after a successful ack reaches Handle again; core drops it by EventID.
	if err := fs.Redeliver(env); err != nil {
		t.Fatal(err)
	}
	coretest.WaitFor(t, "the redeliveries handled", func() bool { return len(rec.Got()) >= 4 })
	for i, in := range rec.Got() {
		if in.EventID != dm.EventID || in.Platform != core.Slack {
			t.Errorf("delivery %d: %s/%s, want slack/%s", i, in.Platform, in.EventID, dm.EventID)
		}
	}
}

// An event that keeps failing while the store answers is retried in place, unacknowledged,
// then skipped (acknowledged) after the bound, and the person is told.
func TestSocketPoisonEventIsSkipped(t *testing.T) {
	fs := newFake(t)
	rec := coretest.NewHandler(coretest.Answer(func(core.Incoming) (core.Response, error) { return core.Response{}, errInternal }))
	run(t, newBot(t, fs, rec, true))
	env := fs.Send(fs.DM(customer, "boom"))
	if _, ok := fs.WaitAck(env, wait); !ok {
		t.Fatalf("still not acknowledged after %d failures", maxAttempts)
	}
	if n := len(rec.Got()); n != maxAttempts {
		t.Errorf("Handle called %d times before the skip, want %d", n, maxAttempts)
	}
	coretest.WaitFor(t, "the person told", func() bool { return len(fs.Ephemerals()) == 1 })
}

func TestSocketIgnoresWhatIsNotForCore(t *testing.T) {
	fs := newFake(t)
	rec := coretest.NewHandler(nil)
	run(t, newBot(t, fs, rec, true))
	im := fs.IMChannel(customer)
	ignored := []fakeslack.Inbound{
		fs.Event(map[string]any{"type": "message", "channel": im, "channel_type": "im", "bot_id": "B9", "text": "from a bot", "ts": "1.1"}),
		fs.Event(map[string]any{"type": "message", "channel": im, "channel_type": "im", "user": "UBOT", "text": "myself", "ts": "1.2"}),
		fs.Event(map[string]any{"type": "message", "subtype": "message_changed", "channel": im, "channel_type": "im", "ts": "1.3",
			"message": map[string]any{"type": "message", "user": customer, "text": "edited", "ts": "1.0"}}),
		fs.Event(map[string]any{"type": "message", "subtype": "channel_join", "channel": team, "user": stranger, "ts": "1.4"}),
		fs.ChannelMessage(team, member, "top-level chatter", ""),
		fs.ChannelMessage("COTHER", member, "another channel", "1.5"),
		fs.Event(map[string]any{"type": "reaction_added", "user": customer, "reaction": "+1"}),
	}
	var envs []string
	for _, in := range ignored {
		envs = append(envs, fs.Send(in))
	}
	last := fs.Send(fs.DM(customer, "counted"))
	for _, env := range append(envs, last) {
		if _, ok := fs.WaitAck(env, wait); !ok {
			t.Fatalf("envelope %s not acknowledged", env)
		}
	}
	got := rec.Got()
	if len(got) != 1 || got[0].Text != "counted" {
		t.Errorf("Handle got %+v, want only the customer's message", got)
	}
}

func TestSocketThreadReplyInTeamChannel(t *testing.T) {
	fs := newFake(t)
	rec := coretest.NewHandler(nil)
	b := newBot(t, fs, rec, true)
	run(t, b)
	card, err := b.Deliver(t.Context(), core.Delivery{To: teamRef(), Message: core.Message{Title: "Complaint C-1"}})
	if err != nil {
		t.Fatal(err)
	}
	_, ts, _ := kit.ParseSentID(card)
	env := fs.Send(fs.ChannelMessage(team, member, "We are on it", ts))
	if _, ok := fs.WaitAck(env, wait); !ok {
		t.Fatal("not acknowledged")
	}
	got := rec.Got()
	if len(got) != 1 || got[0].ThreadID != card || got[0].Direct || got[0].Chat != teamRef() || got[0].Text != "We are on it" {
		t.Errorf("Handle got %+v, want a thread reply with ThreadID %s", got, card)
	}
}

func TestSocketButtonsNoticeAndRefusal(t *testing.T) {
	fs := newFake(t)
	rec := coretest.NewHandler(coretest.Answer(func(in core.Incoming) (core.Response, error) {
		if in.From.ID == stranger {
			return core.Response{}, core.Errorf(core.EFORBIDDEN, "Only team members can do that.")
		}
		return core.Response{Notice: "Acknowledged."}, nil
	}))
	b := newBot(t, fs, rec, true)
	run(t, b)
	card, err := b.Deliver(t.Context(), core.Delivery{To: teamRef(), Message: core.Message{Title: "Complaint C-1",
		Choices: []core.Choice{{Label: "Acknowledge", Payload: "ack:1"}}}})
	if err != nil {
		t.Fatal(err)
	}
	_, ts, _ := kit.ParseSentID(card)
	for _, user := range []string{stranger, member} {
		click, err := fs.Click(user, team, ts, "Acknowledge")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := fs.WaitAck(fs.Send(click), wait); !ok {
			t.Fatal("click not acknowledged")
		}
	}
	got := rec.Got()
	if len(got) != 2 || got[0].Action != "ack:1" || got[0].Text != "" || got[1].From.ID != member || got[0].EventID == got[1].EventID {
		t.Fatalf("Handle got %+v", got)
	}
	coretest.WaitFor(t, "two ephemerals", func() bool { return len(fs.Ephemerals()) == 2 })
	shown := map[string]string{}
	for _, e := range fs.Ephemerals() {
		shown[e.User] = e.Shown()
	}
	if !strings.Contains(shown[stranger], "Only team members") || !strings.Contains(shown[member], "Acknowledged.") {
		t.Errorf("ephemerals by user = %q", shown)
	}
}

func TestSocketNoteModal(t *testing.T) {
	fs := newFake(t)
	rec := coretest.NewHandler(nil)
	b := newBot(t, fs, rec, true)
	run(t, b)
	card, err := b.Deliver(t.Context(), core.Delivery{To: teamRef(), Message: core.Message{Title: "Complaint C-1",
		Choices: []core.Choice{{Label: "Resolve", Payload: "resolve:1", NeedsNote: true, NoteLabel: "How was it resolved?"}}}})
	if err != nil {
		t.Fatal(err)
	}
	_, ts, _ := kit.ParseSentID(card)
	click, _ := fs.Click(member, team, ts, "Resolve")
	if _, ok := fs.WaitAck(fs.Send(click), wait); !ok {
		t.Fatal("click not acknowledged")
	}
	views := fs.Views()
	if len(views) != 1 || !strings.Contains(string(views[0].JSON), "How was it resolved?") {
		t.Fatalf("views = %+v, want the note modal", views)
	}
	if n := len(rec.Got()); n != 0 {
		t.Fatalf("Handle called %d times before the note was submitted", n)
	}
	sub, err := fs.Submit(member, views[0].ID, "  Replaced the wheel  ")
	if err != nil {
		t.Fatal(err)
	}
	env := fs.Send(sub)
	ack, ok := fs.WaitAck(env, wait)
	if !ok || len(ack.Payload) != 0 {
		t.Fatalf("submission ack %+v (ok %v), want an empty ack that closes the modal", ack, ok)
	}
	got := rec.Got()
	if len(got) != 1 || got[0].Action != "resolve:1" || got[0].Text != "Replaced the wheel" ||
		got[0].Chat != teamRef() || got[0].EventID != "view:"+views[0].ID {
		t.Errorf("Handle got %+v", got)
	}
}

func TestSocketSlashCommand(t *testing.T) {
	fs := newFake(t)
	rec := coretest.NewHandler(coretest.Answer(func(in core.Incoming) (core.Response, error) {
		if in.Text == "/ack C-404" {
			return core.Response{}, core.Errorf(core.ENOTFOUND, "There is no complaint C-404.")
		}
		return core.Response{Replies: []core.Message{{Title: "Open complaints", Text: "C-1 <b>"}}}, nil
	}))
	run(t, newBot(t, fs, rec, true))
	cases := []struct{ text, wantText, wantShown string }{
		{"complaints", "/complaints", "C-1 &lt;b&gt;"},
		{"ack C-404", "/ack C-404", "There is no complaint C-404."},
		{"", "/help", "C-1"},
	}
	for _, tc := range cases {
		env := fs.Send(fs.Slash(member, team, "/earshot", tc.text))
		ack, ok := fs.WaitAck(env, wait)
		if !ok {
			t.Fatalf("%q: not acknowledged", tc.text)
		}
		var p struct {
			ResponseType string          `json:"response_type"`
			Blocks       json.RawMessage `json:"blocks"`
		}
		if err := json.Unmarshal(ack.Payload, &p); err != nil || p.ResponseType != "ephemeral" {
			t.Fatalf("%q: ack payload %s", tc.text, ack.Payload)
		}
		if shown := (fakeslack.Message{Blocks: p.Blocks}).Shown(); !strings.Contains(shown, tc.wantShown) {
			t.Errorf("%q: answer %q lacks %q", tc.text, shown, tc.wantShown)
		}
		in := rec.Got()[len(rec.Got())-1]
		if in.Text != tc.wantText || !in.Inline || in.Direct || in.From.ID != member {
			t.Errorf("%q: Incoming %+v", tc.text, in)
		}
	}
}

func TestSocketReconnectsOnDisconnect(t *testing.T) {
	fs := newFake(t)
	rec := coretest.NewHandler(nil)
	run(t, newBot(t, fs, rec, true))
	coretest.WaitFor(t, "connection", fs.Connected)
	fs.Disconnect()
	coretest.WaitFor(t, "reconnection", func() bool { return fs.Connects() >= 2 && fs.Connected() })
	if _, ok := fs.WaitAck(fs.Send(fs.DM(customer, "after reconnect")), wait); !ok {
		t.Fatal("envelope after reconnect not acknowledged")
	}
	if got := rec.Got(); len(got) != 1 {
		t.Errorf("Handle got %d events, want 1", len(got))
	}
}

func TestSocketSlashLongAnswerFollowsUp(t *testing.T) {
	fs := newFake(t)
	const lines = 200
	long := strings.Repeat(strings.Repeat("y", 99)+"\n", lines) // 20,000 characters
	rec := coretest.NewHandler(coretest.Answer(func(core.Incoming) (core.Response, error) {
		return core.Response{Replies: []core.Message{{Title: "Digest", Text: long, Pre: true}}}, nil
	}))
	run(t, newBot(t, fs, rec, true))
	ack, ok := fs.WaitAck(fs.Send(fs.Slash(member, team, "/earshot", "digest")), wait)
	if !ok || len(ack.Payload) == 0 || len(ack.Payload) > 20000 {
		t.Fatalf("ack of %d bytes (ok %v), want a first answer under Socket Mode's 20 KB", len(ack.Payload), ok)
	}
	ys := func(raw []byte) int {
		var a struct {
			ResponseType string          `json:"response_type"`
			Blocks       json.RawMessage `json:"blocks"`
		}
		if err := json.Unmarshal(raw, &a); err != nil || a.ResponseType != "ephemeral" {
			t.Errorf("answer %.80s is not ephemeral", raw)
		}
		return strings.Count(fakeslack.Message{Blocks: a.Blocks}.Shown(), "y")
	}
	first := ys(ack.Payload)
	coretest.WaitFor(t, "every line in the follow-ups", func() bool {
		n := first
		for _, r := range fs.Responses() {
			n += strings.Count(fakeslack.Message{Blocks: blocksOf(r.Body)}.Shown(), "y")
		}
		return n == 99*lines
	})
	for _, r := range fs.Responses() {
		ys(r.Body)
	}
}

func blocksOf(raw []byte) json.RawMessage {
	var a struct {
		Blocks json.RawMessage `json:"blocks"`
	}
	_ = json.Unmarshal(raw, &a)
	return a.Blocks
}

func TestSocketCodedErrorIsConfirmedAndTold(t *testing.T) {
	fs := newFake(t)
	rec := coretest.NewHandler(coretest.Answer(func(core.Incoming) (core.Response, error) {
		return core.Response{}, core.Errorf(core.EINVALID, "That is not something I understand.")
	}))
	run(t, newBot(t, fs, rec, true))
	if _, ok := fs.WaitAck(fs.Send(fs.DM(customer, "???")), wait); !ok {
		t.Fatal("a coded error must be confirmed: redelivery would not change the answer")
	}
	coretest.WaitFor(t, "the person told", func() bool {
		e := fs.Ephemerals()
		return len(e) == 1 && e[0].User == customer && strings.Contains(e[0].Shown(), "not something I understand")
	})
	if n := len(rec.Got()); n != 1 {
		t.Errorf("Handle called %d times", n)
	}
}

func TestSocketUnackedEnvelopeSurvivesReconnect(t *testing.T) {
	fs := newFake(t)
	rec := downHandler()
	run(t, newBot(t, fs, rec, true))
	dm := fs.DM(customer, "my answer")
	env := fs.Send(dm)
	coretest.WaitFor(t, "first Handle", func() bool { return len(rec.Got()) == 1 })
	fs.Disconnect()
	coretest.WaitFor(t, "reconnection", func() bool { return fs.Connects() >= 2 && fs.Connected() })
	if ids := fs.RedeliverUnacked(); len(ids) != 1 || ids[0] != env {
		t.Fatalf("unacked envelopes %v, want [%s]", ids, env)
	}
	rec.SetDown(false) // the database is back
	if _, ok := fs.WaitAck(env, wait); !ok {
		t.Fatal("redelivered envelope not acknowledged")
	}
	if got := rec.Got(); len(got) < 2 || got[1].EventID != dm.EventID || got[1].Text != "my answer" {
		t.Errorf("Handle got %+v", got)
	}
}
