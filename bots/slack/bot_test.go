package slack

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"earshot/bots/slack/fakeslack"
	"earshot/core"
	"earshot/core/coretest"
)

func TestNewValidates(t *testing.T) {
	h := coretest.NewHandler(nil)
	texts := coretest.Texts(t)
	for name, o := range map[string]Options{
		"no bot token":             {AppToken: "xapp-1", Texts: texts},
		"http mode without secret": {BotToken: "xoxb-1", Texts: texts},
		"no texts":                 {BotToken: "xoxb-1", AppToken: "xapp-1"},
	} {
		if _, err := New(o, h, nil); err == nil {
			t.Errorf("%s: New accepted %+v", name, o)
		}
	}
	if _, err := New(Options{BotToken: "xoxb-1", AppToken: "xapp-1", Texts: texts}, nil, nil); err == nil {
		t.Error("New accepted a nil handler")
	}
	b, err := New(Options{BotToken: "xoxb-1", SigningSecret: "s", Texts: texts}, h, nil)
	if err != nil || b.Platform() != core.Slack {
		t.Errorf("New: %v, platform %v", err, b)
	}
}

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer = coretest.LogBuffer

// A refused token is retried with backoff, never logged, and reported as refused.
func TestRunRetriesRefusedTokensAndNeverLogsThem(t *testing.T) {
	cases := map[string]func(o *Options){
		"bad bot token": func(o *Options) { o.BotToken = "xoxb-secret-bot-token" },
		"bad app token": func(o *Options) { o.AppToken = "xapp-secret-app-token" },
	}
	for name, mod := range cases {
		t.Run(name, func(t *testing.T) {
			fs := newFake(t)
			o := fs.Options()
			opts := Options{BotToken: o.BotToken, AppToken: o.AppToken, APIURL: fs.APIURL(), Texts: coretest.Texts(t)}
			mod(&opts)
			var logs syncBuffer
			b, err := New(opts, coretest.NewHandler(nil), slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
			if err != nil {
				t.Fatal(err)
			}
			b.tune(10*time.Millisecond, 0)
			run(t, b)
			coretest.WaitFor(t, "refused reported", func() bool { return b.Status().State == core.AdapterRefused })
			coretest.WaitFor(t, "a second attempt", func() bool {
				return len(fs.Calls("auth.test"))+len(fs.Calls("apps.connections.open")) >= 3
			})
			for _, secret := range []string{opts.BotToken, opts.AppToken} {
				if strings.Contains(logs.String()+b.Status().Reason, secret) {
					t.Errorf("token %q appears in the log or status", secret)
				}
			}
		})
	}
}

func TestRunHTTPModeWaitsForContext(t *testing.T) {
	fs := newFake(t)
	b := newBot(t, fs, coretest.NewHandler(nil), false)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	coretest.WaitFor(t, "auth.test", func() bool { return len(fs.Calls("auth.test")) == 1 })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
	if len(fs.Calls("apps.connections.open")) != 0 {
		t.Error("HTTP mode opened a Socket Mode connection")
	}
}

func TestProfileIsCachedPerUser(t *testing.T) {
	fs := newFake(t)
	rec := coretest.NewHandler(nil)
	run(t, newBot(t, fs, rec, true))
	for _, text := range []string{"one", "two", "three"} {
		if _, ok := fs.WaitAck(fs.Send(fs.DM(customer, text)), wait); !ok {
			t.Fatal("not acknowledged")
		}
	}
	if _, ok := fs.WaitAck(fs.Send(fs.DM(member, "hi")), wait); !ok {
		t.Fatal("not acknowledged")
	}
	if n := len(fs.Calls("users.info")); n != 2 {
		t.Errorf("users.info called %d times for 2 people, want 2", n)
	}
	for _, in := range rec.Got() {
		if in.TimeZone == "" || in.Locale == "" || in.Name == "" {
			t.Errorf("%s: missing profile: %+v", in.From, in)
		}
	}
}

func TestProfileFailureStillHandles(t *testing.T) {
	fs := newFake(t)
	fs.Fail("users.info", fakeslack.Fault{Error: "user_not_found"})
	rec := coretest.NewHandler(nil)
	run(t, newBot(t, fs, rec, true))
	if _, ok := fs.WaitAck(fs.Send(fs.DM(customer, "hi")), wait); !ok {
		t.Fatal("not acknowledged")
	}
	if _, ok := fs.WaitAck(fs.Send(fs.DM(customer, "again")), wait); !ok {
		t.Fatal("not acknowledged")
	}
	if got := rec.Got(); len(got) != 2 || got[0].TimeZone != "" || got[1].TimeZone != "" {
		t.Errorf("Handle got %+v, want the messages without a profile", got)
	}
	if n := len(fs.Calls("users.info")); n != 1 {
		t.Errorf("users.info called %d times: a failure should be remembered for a while", n)
	}
}

func TestSlashCommandTextIsUnescaped(t *testing.T) {
	fs := newFake(t)
	rec := coretest.NewHandler(nil)
	run(t, newBot(t, fs, rec, true))
	in := fs.Slash(member, team, "/earshot", "reply C-3 size &lt; 10 &amp; fits")
	if _, ok := fs.WaitAck(fs.Send(in), wait); !ok {
		t.Fatal("not acknowledged")
	}
	if got := rec.Got(); len(got) != 1 || got[0].Text != "/reply C-3 size < 10 & fits" {
		t.Errorf("Handle got %+v", got)
	}
}

func TestInviteLink(t *testing.T) {
	fs := newFake(t)
	b := newBot(t, fs, coretest.NewHandler(nil), false)
	for range 2 {
		got, err := b.InviteLink(t.Context(), "tok123")
		want := "Open https://slack.com/app_redirect?app=A0FAKE&team=T0FAKE and send the app: start tok123"
		if err != nil || got != want {
			t.Errorf("InviteLink = %q, %v; want %q", got, err, want)
		}
	}
	if n := len(fs.Calls("bots.info")); n != 1 {
		t.Errorf("bots.info called %d times, want 1 (cached)", n)
	}
	fs2 := newFake(t)
	fs2.Fail("bots.info", fakeslack.Fault{Error: "missing_scope"})
	got, err := newBot(t, fs2, coretest.NewHandler(nil), false).InviteLink(t.Context(), "tok")
	if err != nil || !strings.HasSuffix(got, "send it: start tok") {
		t.Errorf("without bots.info: %q, %v", got, err)
	}
}
