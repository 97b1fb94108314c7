package discord

import (
	"bytes"
	"context"
	"earshot/core/coretest"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"earshot/bots/discord/fakediscord"
	"earshot/core"
)

func (e *e2e) touch(ref string) core.TouchResult {
	e.t.Helper()
	res, err := e.svc.Touch(context.Background(), core.TouchRequest{Customer: discordUser(customerID), Stage: "delivery", Ref: ref})
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

func (e *e2e) answers() int {
	e.t.Helper()
	x, err := e.svc.Export(context.Background(), discordUser(customerID))
	if err != nil {
		e.t.Fatal(err)
	}
	return len(x.Answers)
}

// A dropped gateway socket mid-survey resumes; the answer typed meanwhile is replayed and
// stored once; a redelivered message and a redelivered interaction store nothing more.
func TestSurveySurvivesDropAndRedelivery(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	e.touch("A-1")
	dm := e.dmChannel(customerID)
	e.waitMessage(dm, "How courteous were we?")

	e.fake.DropGateway()
	e.fake.PushDM(customerID, "8") // typed while the bot is disconnected
	e.waitMessage(dm, "How fast were we?")
	if n := len(e.fake.Resumes()); n != 1 {
		t.Errorf("resumes = %d, want 1", n)
	}
	if n := e.answers(); n != 1 {
		t.Fatalf("answers = %d, want 1", n)
	}

	// Discord delivering the same message or interaction again has no second effect.
	q2 := e.waitMessage(dm, "How fast were we?")
	id, raw := e.fake.ButtonInteraction(customerID, dm, q2.ID, e.button(q2, "7"))
	e.fake.Dispatch("INTERACTION_CREATE", raw)
	waitCallback(t, e.fake, id)
	e.waitMessage(dm, "Anything we could do better?")
	mid := e.fake.PushDM(customerID, "Nothing, thanks.")
	coretest.WaitFor(t, "the comment stored", func() bool { return e.answers() == 3 })
	m, _ := e.fake.Message(mid)
	e.fake.Dispatch("MESSAGE_CREATE", m)
	e.fake.Dispatch("INTERACTION_CREATE", raw)
	e.waitHandled(mid, 2)
	e.waitHandled(id, 2)
	if n := e.answers(); n != 3 {
		t.Errorf("answers = %d after redeliveries, want 3", n)
	}
}

func (e *e2e) export() core.Export {
	e.t.Helper()
	x, err := e.svc.Export(context.Background(), discordUser(customerID))
	if err != nil {
		e.t.Fatal(err)
	}
	return x
}

// 50007 marks the contact unreachable; the next survey is skipped with Discord's reason.
func TestUnreachableCustomerSkipsSurveys(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	e.fake.SetUnreachable(customerID, true)
	e.touch("A-1")
	coretest.WaitFor(t, "the contact marked unreachable", func() bool {
		x := e.export()
		return len(x.Contacts) == 1 && x.Contacts[0].Unreachable != ""
	})
	if got := e.export().Contacts[0].Unreachable; !strings.Contains(got, "Cannot send messages to this user") {
		t.Errorf("unreachable = %q, want Discord's words", got)
	}
	res := e.touch("A-2")
	if len(res.Surveys) != 1 || res.Surveys[0].State != core.RunSkipped || !strings.Contains(res.Surveys[0].Reason, "Cannot send messages") {
		t.Errorf("second touch = %+v, want skipped as unreachable", res.Surveys)
	}
	dm, _ := e.fake.DMChannel(customerID)
	if n := len(e.fake.Messages(dm)); n != 0 {
		t.Errorf("%d messages reached the DM", n)
	}
}

// A 429 comes back to the outbox, which sends again after retry_after: one message, no loss.
func TestRateLimitedDeliveryRetried(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	e.fake.Fail(fakediscord.Failure{Method: "POST", Path: "/messages", Status: 429, RetryAfter: 0.2})
	e.touch("A-1")
	dm := e.dmChannel(customerID)
	e.waitMessage(dm, "How courteous were we?")
	var limited, ok int
	for _, r := range e.fake.RequestsTo("POST", "/channels/"+dm+"/messages") {
		switch r.Status {
		case 429:
			limited++
		case 200:
			ok++
		}
	}
	if limited != 1 {
		t.Errorf("429s = %d, want 1", limited)
	}
	msgs := e.fake.Messages(dm)
	if len(msgs) != ok {
		t.Errorf("the DM holds %d messages for %d successful posts", len(msgs), ok)
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		if seen[m.Content] {
			t.Errorf("posted twice: %q", m.Content)
		}
		seen[m.Content] = true
	}
}

// The HTTP interactions endpoint feeds the real core; forged and stale requests store nothing.
func TestHTTPInteractionsReachCore(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	e.touch("A-1")
	dm := e.dmChannel(customerID)
	q1 := e.waitMessage(dm, "How courteous were we?")
	post := func(r *http.Request) int {
		w := httptest.NewRecorder()
		e.bot.InteractionsHandler().ServeHTTP(w, r)
		return w.Code
	}
	_, forged := e.fake.ButtonInteraction(customerID, dm, q1.ID, e.button(q1, "2"))
	if code := post(signedRequest(forged, time.Now(), otherKey())); code != 401 {
		t.Errorf("forged: %d, want 401", code)
	}
	_, stale := e.fake.ButtonInteraction(customerID, dm, q1.ID, e.button(q1, "2"))
	r := httptest.NewRequest(http.MethodPost, "/hooks/discord/interactions", bytes.NewReader(stale))
	sig, ts := e.fake.Sign(stale, time.Now().Add(-10*time.Minute))
	r.Header.Set("X-Signature-Ed25519", sig)
	r.Header.Set("X-Signature-Timestamp", ts)
	if code := post(r); code != 401 {
		t.Errorf("stale: %d, want 401", code)
	}
	if n := e.answers(); n != 0 {
		t.Fatalf("answers = %d after refused requests, want 0", n)
	}
	srv := httptest.NewServer(e.bot.InteractionsHandler())
	defer srv.Close()
	id, good := e.fake.ButtonInteraction(customerID, dm, q1.ID, e.button(q1, "9"))
	if code, err := e.fake.PostInteraction(srv.URL, good); err != nil || code != 200 {
		t.Fatalf("valid: %d %v, want 200", code, err)
	}
	if in, _ := e.fake.Interaction(id); len(in.Callbacks) != 1 || in.Callbacks[0].Decode().Content != "Thanks!" {
		t.Errorf("answer = %+v, want the notice Thanks!", in.Callbacks)
	}
	if n := e.answers(); n != 1 {
		t.Errorf("answers = %d, want 1", n)
	}
	e.waitMessage(dm, "How fast were we?")
}
