package fakeslack_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"earshot/bots/slack/fakeslack"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

func setup(t *testing.T) (*fakeslack.Server, *slack.Client) {
	t.Helper()
	fs := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fs.Close)
	fs.AddChannel(fakeslack.Channel{ID: "C1", Name: "team", BotMember: true})
	fs.AddUser(fakeslack.User{ID: "U1", Name: "dana", TZ: "Europe/Berlin", Locale: "de-DE"})
	o := fs.Options()
	return fs, slack.New(o.BotToken, slack.OptionAPIURL(fs.APIURL()), slack.OptionAppLevelToken(o.AppToken))
}

func section(text string) slack.Block {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)
}

func button(id, value string) slack.Block {
	return slack.NewActionBlock("", slack.NewButtonBlockElement(id, value, slack.NewTextBlockObject(slack.PlainTextType, "b", false, false)))
}

func TestLimits(t *testing.T) {
	fs, api := setup(t)
	many := make([]slack.Block, 51)
	for i := range many {
		many[i] = section("x")
	}
	cases := []struct {
		name string
		opts []slack.MsgOption
		want string
	}{
		{"ok", []slack.MsgOption{slack.MsgOptionText("hi", false), slack.MsgOptionBlocks(section(strings.Repeat("x", 3000)))}, ""},
		{"51 blocks", []slack.MsgOption{slack.MsgOptionBlocks(many...)}, "invalid_blocks"},
		{"section 3001", []slack.MsgOption{slack.MsgOptionBlocks(section(strings.Repeat("é", 3001)))}, "invalid_blocks"},
		{"text 40001", []slack.MsgOption{slack.MsgOptionText(strings.Repeat("x", 40001), false)}, "msg_too_long"},
		{"action_id 256", []slack.MsgOption{slack.MsgOptionBlocks(button(strings.Repeat("a", 256), "v"))}, "invalid_blocks"},
		{"value 2001", []slack.MsgOption{slack.MsgOptionBlocks(button("a", strings.Repeat("v", 2001)))}, "invalid_blocks"},
		{"no text", []slack.MsgOption{slack.MsgOptionText(" ", false)}, "no_text"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := api.PostMessage("C1", tc.opts...)
			var se slack.SlackErrorResponse
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("err = %v, want ok", err)
			case tc.want != "" && (!errors.As(err, &se) || se.Err != tc.want):
				t.Errorf("err = %v, want %s", err, tc.want)
			}
		})
	}
	if n := len(fs.Messages("C1")); n != 1 {
		t.Errorf("%d messages stored, want only the valid one", n)
	}
}

func TestFaultsAndCalls(t *testing.T) {
	fs, api := setup(t)
	fs.Fail("chat.postMessage", fakeslack.Fault{Status: 429, RetryAfter: 3}, fakeslack.Fault{Status: 502}, fakeslack.Fault{Error: "is_archived"})
	_, _, err := api.PostMessage("C1", slack.MsgOptionText("a", false))
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); !ok || rl.RetryAfter != 3*time.Second {
		t.Errorf("first: %v, want a 3 s rate limit", err)
	}
	_, _, err = api.PostMessage("C1", slack.MsgOptionText("a", false))
	if sc, ok := errors.AsType[slack.StatusCodeError](err); !ok || sc.Code != 502 {
		t.Errorf("second: %v, want 502", err)
	}
	_, _, err = api.PostMessage("C1", slack.MsgOptionText("a", false))
	if se, ok := errors.AsType[slack.SlackErrorResponse](err); !ok || se.Err != "is_archived" {
		t.Errorf("third: %v, want is_archived", err)
	}
	ch, ts, err := api.PostMessage("C1", slack.MsgOptionText("a", false))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := api.UpdateMessage(ch, ts, slack.MsgOptionText("b", false)); err != nil {
		t.Fatal(err)
	}
	if m, _ := fs.Message(ch, ts); m.Text != "b" || m.Edits != 1 {
		t.Errorf("after update: %+v", m)
	}
	calls := fs.Calls("chat.postMessage")
	if len(calls) != 4 || calls[0].Status != 429 || calls[2].Error != "is_archived" || calls[3].Params.Has("token") {
		t.Errorf("calls = %+v", calls)
	}
	bad := slack.New("xoxb-wrong", slack.OptionAPIURL(fs.APIURL()))
	if _, err := bad.AuthTest(); err == nil || err.Error() != "invalid_auth" {
		t.Errorf("wrong token: %v", err)
	}
	u, err := api.GetUserInfo("U1")
	if err != nil || u.TZ != "Europe/Berlin" || u.Locale != "de-DE" {
		t.Errorf("users.info: %+v %v", u, err)
	}
}

func TestSocketMode(t *testing.T) {
	fs, api := setup(t)
	queued := fs.Send(fs.DM("U1", "before connecting"))
	sm := socketmode.New(api)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = sm.RunContext(ctx) }()
	seen := 0
	for seen < 2 {
		select {
		case evt := <-sm.Events:
			switch evt.Type {
			case socketmode.EventTypeHello:
				seen++
			case socketmode.EventTypeEventsAPI:
				if evt.Request.EnvelopeID != queued {
					t.Errorf("envelope %s, want %s", evt.Request.EnvelopeID, queued)
				}
				_ = sm.Ack(*evt.Request)
				seen++
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no hello and envelope")
		}
	}
	if a, ok := fs.WaitAck(queued, 5*time.Second); !ok || a.Latency <= 0 {
		t.Errorf("ack %+v ok %v", a, ok)
	}
}

func TestSignedPost(t *testing.T) {
	fs, _ := setup(t)
	var verified bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		sv, err := slack.NewSecretsVerifier(r.Header, fs.Options().SigningSecret)
		if err == nil {
			_, _ = sv.Write(body)
			verified = sv.Ensure() == nil
		}
	}))
	defer srv.Close()
	if _, _, err := fs.Post(srv.URL, fs.Slash("U1", "C1", "/earshot", "help")); err != nil || !verified {
		t.Errorf("post: %v, verified %v", err, verified)
	}
}

func TestConfigYAML(t *testing.T) {
	fs, _ := setup(t)
	got := fs.ConfigYAML(true)
	for _, want := range []string{`bot_token: "xoxb-fake"`, `app_token: "xapp-fake"`, `api_url: "` + fs.APIURL() + `"`} {
		if !strings.Contains(got, want) {
			t.Errorf("ConfigYAML lacks %s:\n%s", want, got)
		}
	}
	if !strings.Contains(fs.ConfigYAML(false), `app_token: ""`) {
		t.Errorf("HTTP mode config has an app token:\n%s", fs.ConfigYAML(false))
	}
}

func TestFailNext(t *testing.T) {
	fs := fakeslack.New(fakeslack.Options{})
	defer fs.Close()
	fs.FailNext("auth.test", 2, 503)
	for i, want := range []int{503, 503, 200} {
		resp, err := http.Post(fs.APIURL()+"auth.test", "application/x-www-form-urlencoded", strings.NewReader("token="+fs.Options().BotToken))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("call %d: %d, want %d", i+1, resp.StatusCode, want)
		}
	}
	if !strings.HasPrefix(fs.APIURL(), fs.URL()) {
		t.Errorf("APIURL %q is not under URL %q", fs.APIURL(), fs.URL())
	}
}
