package telegram

import (
	"context"
	"earshot/core/coretest"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
)

const secret = "s3cr3t-Value_1"

func webhookBot(t *testing.T, h *harness, rec *coretest.Handler) (*Bot, *httptest.Server) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	b := h.bot(t, rec, func(o *Options) {
		o.Mode = ModeWebhook
		o.WebhookSecret = secret
		o.WebhookURL = "http://" + srv.Listener.Addr().String() + "/hooks/telegram"
	})
	mux := http.NewServeMux()
	mux.Handle("POST /hooks/telegram", b.WebhookHandler())
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)
	return b, srv
}

func TestWebhookProcessesValidUpdates(t *testing.T) {
	h := newHarness(t)
	rec := coretest.NewHandler(func(_ context.Context, _ core.Incoming, call int) (core.Response, error) {
		if call == 1 {
			return core.Response{}, errors.New("database is locked") // retried in place by the guard
		}
		return core.Response{}, nil
	})
	b, srv := webhookBot(t, h, rec)
	run(t, b)
	coretest.WaitFor(t, "the webhook to be set", func() bool { return len(h.fake.Calls("setWebhook")) == 1 })
	if u, s := h.fake.Webhook(); u != srv.URL+"/hooks/telegram" || s != secret {
		t.Fatalf("webhook = %q, %q", u, s)
	}
	if c := h.fake.Calls("setWebhook"); len(c) != 1 || c[0].Params["max_connections"] != "1" {
		t.Errorf("setWebhook %+v; one connection keeps updates in order", c)
	}
	id := h.fake.Send(faketelegram.Post{From: dana, Text: "/start abc"})
	if err := h.fake.WaitConfirmed(id, wait); err != nil {
		t.Fatal(err)
	}
	got := rec.Got()
	if len(got) != 2 || got[1].EventID != strconv.FormatInt(id, 10) || got[1].Text != "/start abc" || !got[1].Direct {
		t.Errorf("core saw %+v", got)
	}
	if n := h.fake.WebhookAttempts(); n != 1 {
		t.Errorf("%d webhook attempts, want 1: a failure the store survives is retried within the request", n)
	}
}

func TestWebhookRefusesAWrongSecret(t *testing.T) {
	h := newHarness(t)
	rec := coretest.NewHandler(nil)
	_, srv := webhookBot(t, h, rec)
	body := `{"update_id":5,"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"D"},"text":"hi"}}`
	for _, tc := range []struct {
		name, header string
		want         int
	}{
		{"missing", "", http.StatusUnauthorized},
		{"wrong", "nope", http.StatusUnauthorized},
		{"prefix", secret[:5], http.StatusUnauthorized},
		{"longer", secret + "x", http.StatusUnauthorized},
		{"right", secret, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/hooks/telegram", strings.NewReader(body))
			if tc.header != "" {
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", tc.header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
	if got := rec.Got(); len(got) != 1 || got[0].EventID != "5" {
		t.Errorf("core saw %+v; only the request with the right secret may reach it", got)
	}
}

func TestWebhookModeNeedsSecretAndURL(t *testing.T) {
	texts := coretest.Texts(t)
	for _, o := range []Options{
		{Token: "1:a", Mode: ModeWebhook, WebhookURL: "https://example.com/hooks/telegram", Texts: texts},
		{Token: "1:a", Mode: ModeWebhook, WebhookSecret: "bad secret!", WebhookURL: "https://example.com/hooks/telegram", Texts: texts},
		{Token: "1:a", Mode: ModeWebhook, WebhookSecret: secret, Texts: texts},
		{Token: "1:a", Mode: "push", Texts: texts},
		{Mode: ModePolling, Texts: texts},
		{Token: "1:a", Mode: ModePolling}, // no texts
	} {
		if _, err := New(o, coretest.NewHandler(nil), nil); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
	}
}

func TestInviteLinkAndCommands(t *testing.T) {
	h := newHarness(t)
	b := h.bot(t, coretest.NewHandler(nil), func(o *Options) { o.TeamChat = chatRef(team) })
	link, err := b.InviteLink(context.Background(), "Ab_3-x")
	if err != nil || link != "https://t.me/earshot_test_bot?start=Ab_3-x" {
		t.Fatalf("InviteLink = %q, %v", link, err)
	}
	if _, err := b.InviteLink(context.Background(), "has space"); err == nil {
		t.Error("a token Telegram cannot carry was accepted")
	}
	configured := h.bot(t, coretest.NewHandler(nil), func(o *Options) { o.Username = "@named_bot" })
	if link, _ := configured.InviteLink(context.Background(), "t"); link != "https://t.me/named_bot?start=t" {
		t.Errorf("with a configured username: %q", link)
	}

	run(t, b)
	coretest.WaitFor(t, "commands", func() bool { return len(h.fake.Commands("chat:"+strconv.FormatInt(team, 10))) > 0 })
	names := func(scope string) string {
		var out []string
		for _, c := range h.fake.Commands(scope) {
			out = append(out, c.Command)
		}
		return strings.Join(out, " ")
	}
	if got := names("all_private_chats"); got != "start complain status stop resume forget help language digest scores dashboard" {
		t.Errorf("private commands: %s", got)
	}
	if got := names("all_group_chats"); got != "complaints ack reply wait resolve help" {
		t.Errorf("group commands: %s", got)
	}
}

// A refused token is retried with backoff, and reported: when Telegram takes it again (the
// operator fixed the bot), the adapter recovers without a restart.
func TestARefusedTokenIsRetriedAndReported(t *testing.T) {
	h := newHarness(t)
	h.fake.FailNext("getMe", 3, 401)
	b := h.bot(t, coretest.NewHandler(nil), nil)
	if st := b.Status(); st.State != core.AdapterStarting {
		t.Errorf("before Run: %+v", st)
	}
	run(t, b)
	coretest.WaitFor(t, "refused reported", func() bool { return b.Status().State == core.AdapterRefused })
	if strings.Contains(b.Status().Reason, h.fake.Token) {
		t.Errorf("the status shows the token: %q", b.Status().Reason)
	}
	coretest.WaitFor(t, "connected after the token is taken again", func() bool {
		return b.Status().State == core.AdapterConnected && len(h.fake.Calls("getUpdates")) > 0
	})
}

func TestTokenNeverLogged(t *testing.T) {
	h := newHarness(t)
	b := h.bot(t, coretest.NewHandler(nil), nil)
	stop := run(t, b)
	coretest.WaitFor(t, "the first poll", func() bool { return len(h.fake.Calls("getUpdates")) > 0 })
	h.fake.Close() // every call now fails with a network error naming the URL
	coretest.WaitFor(t, "a logged poll failure", func() bool { return strings.Contains(h.logs.String(), "get updates failed") })
	stop()
	if !strings.Contains(h.logs.String(), "<token>") {
		t.Errorf("expected the URL in the log with the token hidden:\n%s", h.logs.String())
	}
	// newHarness's cleanup fails the test if the token itself appears.
}
