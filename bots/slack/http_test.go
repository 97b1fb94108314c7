package slack

import (
	"earshot/bots/internal/kit"
	"earshot/core/coretest"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/bots/slack/fakeslack"
	"earshot/core"
)

// hooks serves the bot's three webhooks like the service does.
func hooks(t *testing.T, b *Bot) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/hooks/slack/events", b.EventsHandler())
	mux.Handle("/hooks/slack/interactivity", b.InteractivityHandler())
	mux.Handle("/hooks/slack/commands", b.CommandsHandler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/hooks/slack/"
}

func TestHTTPVerification(t *testing.T) {
	fs := newFake(t)
	rec := coretest.NewHandler(nil)
	base := hooks(t, newBot(t, fs, rec, false))
	dm := fs.DM(customer, "hi")
	slash := fs.Slash(member, team, "/earshot", "complaints")
	cases := []struct {
		name   string
		path   string
		in     fakeslack.Inbound
		opts   fakeslack.PostOptions
		status int
	}{
		{"event signed", "events", dm, fakeslack.PostOptions{}, 200},
		{"event retried", "events", dm, fakeslack.PostOptions{RetryNum: 1}, 200},
		{"wrong secret", "events", fs.DM(customer, "forged"), fakeslack.PostOptions{Secret: "not-the-secret"}, 401},
		{"stale timestamp", "events", fs.DM(customer, "replayed"), fakeslack.PostOptions{At: time.Now().Add(-6 * time.Minute)}, 401},
		{"future timestamp", "events", fs.DM(customer, "early"), fakeslack.PostOptions{At: time.Now().Add(6 * time.Minute)}, 401},
		{"command wrong secret", "commands", slash, fakeslack.PostOptions{Secret: "x"}, 401},
		{"command signed", "commands", slash, fakeslack.PostOptions{}, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(rec.Got())
			status, body, err := fs.PostWith(base+tc.path, tc.in, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if status != tc.status {
				t.Fatalf("status %d (%s), want %d", status, body, tc.status)
			}
			handled := len(rec.Got()) - before
			if tc.status == 401 && handled != 0 {
				t.Errorf("Handle called %d times for a refused request", handled)
			}
			if tc.status == 200 && handled != 1 {
				t.Errorf("Handle called %d times, want 1", handled)
			}
		})
	}
	got := rec.Got()
	if got[0].EventID != dm.EventID || got[1].EventID != dm.EventID {
		t.Errorf("retry carried event id %q, first %q: want both %q", got[1].EventID, got[0].EventID, dm.EventID)
	}
}

func TestHTTPUnsignedAndMalformed(t *testing.T) {
	fs := newFake(t)
	rec := coretest.NewHandler(nil)
	base := hooks(t, newBot(t, fs, rec, false))
	for _, path := range []string{"events", "interactivity", "commands"} {
		resp, err := http.Post(base+path, "application/json", strings.NewReader(`{"type":"event_callback"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Errorf("%s unsigned: status %d, want 401", path, resp.StatusCode)
		}
	}
	if n := len(rec.Got()); n != 0 {
		t.Errorf("Handle called %d times", n)
	}
}

func TestHTTPURLVerification(t *testing.T) {
	fs := newFake(t)
	base := hooks(t, newBot(t, fs, coretest.NewHandler(nil), false))
	status, body, err := fs.Post(base+"events", fakeslack.URLVerification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"))
	if err != nil || status != 200 {
		t.Fatalf("status %d err %v", status, err)
	}
	var got struct{ Challenge string }
	if err := json.Unmarshal(body, &got); err != nil || got.Challenge != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("body %s, want the challenge echoed", body)
	}
}

// While the store is down an event is not confirmed: 500 once the ack deadline passes, so
// that Slack sends it again.
func TestHTTPOutageAsksForRetry(t *testing.T) {
	fs := newFake(t)
	var mu sync.Mutex
	var handled []string
	rec := coretest.NewHandler(coretest.Answer(func(in core.Incoming) (core.Response, error) {
		mu.Lock()
		handled = append(handled, in.EventID)
		mu.Unlock()
		return core.Response{}, nil
	}))
	rec.SetDown(true)
	b := newBot(t, fs, rec, false)
	run(t, b)
	base := hooks(t, b)
	dm := fs.DM(customer, "hi")
	status, _, err := fs.Post(base+"events", dm)
	if err != nil || status != http.StatusInternalServerError {
		t.Errorf("status %d err %v, want 500 so Slack retries", status, err)
	}
	// Slack's retries may give up before the store is back: the event is held meanwhile and
	// handled, once, when writes go through again, with no retry from Slack.
	rec.SetDown(false)
	coretest.WaitFor(t, "the held event handled", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(handled) == 1 && handled[0] == dm.EventID
	})
}

func TestHTTPInteractivityAndCommands(t *testing.T) {
	fs := newFake(t)
	rec := coretest.NewHandler(coretest.Answer(func(in core.Incoming) (core.Response, error) {
		if in.Inline {
			return core.Response{Replies: []core.Message{{Text: "No open complaints."}}}, nil
		}
		return core.Response{Notice: "Thanks!"}, nil
	}))
	b := newBot(t, fs, rec, false)
	base := hooks(t, b)
	q, err := b.Deliver(t.Context(), core.Delivery{To: core.ChatRef{Platform: core.Slack, ID: customer}, DM: true,
		Message: core.Message{Text: "How courteous were we?", Choices: scale("s:1:c:")}})
	if err != nil {
		t.Fatal(err)
	}
	ch, ts, _ := kit.ParseSentID(q)
	click, err := fs.Click(customer, ch, ts, "9")
	if err != nil {
		t.Fatal(err)
	}
	if status, body, err := fs.Post(base+"interactivity", click); err != nil || status != 200 {
		t.Fatalf("click: %d %s %v", status, body, err)
	}
	in := rec.Got()[0]
	if in.Action != "s:1:c:9" || !in.Direct || in.Chat.ID != ch || in.TimeZone != "Europe/Berlin" {
		t.Errorf("click Incoming %+v", in)
	}
	coretest.WaitFor(t, "the notice", func() bool { return len(fs.Ephemerals()) == 1 })
	if e := fs.Ephemerals(); e[0].Shown() != "Thanks!\n" || e[0].User != customer {
		t.Errorf("ephemerals %+v", e)
	}
	status, body, err := fs.Post(base+"commands", fs.Slash(member, team, "/earshot", "/complaints"))
	if err != nil || status != 200 || !strings.Contains(string(body), `"response_type":"ephemeral"`) ||
		!strings.Contains(string(body), "No open complaints.") {
		t.Errorf("command answer %d %s %v", status, body, err)
	}
	if in := rec.Got()[1]; in.Text != "/complaints" || !in.Inline {
		t.Errorf("command Incoming %+v", in)
	}
}
