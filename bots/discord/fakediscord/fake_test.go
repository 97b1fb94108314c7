package fakediscord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func do(t *testing.T, s *Server, method, path, body string, auth bool) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+"/api/v10"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth {
		req.Header.Set("Authorization", "Bot "+s.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp, m
}

func TestREST(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	team := "/channels/" + s.TeamChannelID + "/messages"
	tests := []struct {
		name       string
		method     string
		path, body string
		auth       bool
		status     int
		code       float64
	}{
		{"no token", "POST", team, `{"content":"hi"}`, false, 401, 0},
		{"too long", "POST", team, `{"content":"` + strings.Repeat("a", 2001) + `"}`, true, 400, 50035},
		{"long embed", "POST", team, `{"embeds":[{"description":"` + strings.Repeat("a", 4097) + `"}]}`, true, 400, 50035},
		{"empty", "POST", team, `{"content":""}`, true, 400, 50006},
		{"unknown channel", "POST", "/channels/1/messages", `{"content":"hi"}`, true, 404, 10003},
		{"six buttons in a row", "POST", team, `{"components":[{"type":1,"components":[` +
			strings.TrimSuffix(strings.Repeat(`{"type":2,"custom_id":"x","label":"x","style":1},`, 6), ",") + `]}]}`, true, 400, 50035},
		{"ok", "POST", team, `{"content":"hi"}`, true, 200, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, m := do(t, s, tt.method, tt.path, tt.body, tt.auth)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d (%v)", resp.StatusCode, tt.status, m)
			}
			if tt.status >= 400 && (m["code"] != tt.code || m["message"] == "") {
				t.Errorf("body %v, want Discord's error with code %v", m, tt.code)
			}
		})
	}
}

func TestNonceDedupAndRateLimit(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	team := "/channels/" + s.TeamChannelID + "/messages"
	_, a := do(t, s, "POST", team, `{"content":"a","nonce":"7","enforce_nonce":true}`, true)
	_, b := do(t, s, "POST", team, `{"content":"a","nonce":"7","enforce_nonce":true}`, true)
	_, c := do(t, s, "POST", team, `{"content":"a","nonce":"7"}`, true)
	if a["id"] != b["id"] || a["id"] == c["id"] || len(s.Messages(s.TeamChannelID)) != 2 {
		t.Errorf("ids %v %v %v, messages %d: want the enforced nonce deduplicated only", a["id"], b["id"], c["id"], len(s.Messages(s.TeamChannelID)))
	}
	s.Fail(Failure{Path: "/messages", Status: 429, RetryAfter: 1.5, Global: true})
	resp, m := do(t, s, "POST", team, `{"content":"x"}`, true)
	h := resp.Header
	if resp.StatusCode != 429 || m["retry_after"] != 1.5 || m["global"] != true || h.Get("X-RateLimit-Global") != "true" ||
		h.Get("X-RateLimit-Remaining") != "0" || h.Get("Retry-After") != "2" || h.Get("X-RateLimit-Reset-After") != "1.500" {
		t.Errorf("429 = %d %v %v", resp.StatusCode, m, h)
	}
	if resp, _ := do(t, s, "POST", team, `{"content":"x"}`, true); resp.StatusCode != 200 {
		t.Errorf("after the injected failure: %d", resp.StatusCode)
	}
}

func TestGatewayHandshake(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	ws, _, err := websocket.DefaultDialer.Dial(s.GatewayURL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	var f frame
	if err := ws.ReadJSON(&f); err != nil || f.Op != 10 || !bytes.Contains(f.D, []byte("heartbeat_interval")) {
		t.Fatalf("hello = %+v, %v", f, err)
	}
	_ = ws.WriteJSON(map[string]any{"op": 2, "d": map[string]any{"token": s.Token, "intents": 37376}})
	if err := ws.ReadJSON(&f); err != nil || f.T != "READY" || *f.S != 1 || !bytes.Contains(f.D, []byte("resume_gateway_url")) {
		t.Fatalf("ready = %+v, %v", f, err)
	}
	_ = ws.WriteJSON(map[string]any{"op": 1, "d": 1})
	if err := ws.ReadJSON(&f); err != nil || f.Op != 11 {
		t.Fatalf("ack = %+v, %v", f, err)
	}
	s.PushDM("42", "hello")
	if err := ws.ReadJSON(&f); err != nil || f.T != "MESSAGE_CREATE" || *f.S != 2 {
		t.Fatalf("dispatch = %+v, %v", f, err)
	}
	if ids := s.Identifies(); len(ids) != 1 || ids[0].Intents != 37376 {
		t.Errorf("identifies = %+v", ids)
	}
}

func TestSigning(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	key, err := hex.DecodeString(s.PublicKey())
	if err != nil || len(key) != ed25519.PublicKeySize {
		t.Fatalf("public key %q", s.PublicKey())
	}
	body := []byte(`{"type":1}`)
	sig, ts := s.Sign(body, time.Now())
	raw, _ := hex.DecodeString(sig)
	if !ed25519.Verify(key, append([]byte(ts), body...), raw) {
		t.Error("signature does not verify")
	}
	if y := s.ConfigYAML(); !strings.Contains(y, "public_key: \""+s.PublicKey()+"\"") || !strings.Contains(y, s.URL()) {
		t.Errorf("config:\n%s", y)
	}
}

func TestFailNext(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	s.FailNext("/users/@me", 1, 502)
	for i, want := range []int{502, 200} {
		req, _ := http.NewRequest(http.MethodGet, s.URL()+"/api/v10/users/@me", nil)
		req.Header.Set("Authorization", "Bot "+s.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("call %d: %d, want %d", i+1, resp.StatusCode, want)
		}
	}
}

// The fake refuses application commands as Discord does: localizations only for Discord's
// locales, every description 1-100 characters.
func TestCommandsAreChecked(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	path := "/applications/" + s.ApplicationID + "/commands"
	cmd := func(desc, locs string) string {
		return `[{"name":"help","description":` + strconv.Quote(desc) + `,"description_localizations":` + locs +
			`,"options":[{"type":3,"name":"topic","description":"what about","description_localizations":{"de":"worüber"}}]}]`
	}
	for _, tt := range []struct {
		name, body string
		status     int
	}{
		{"German and British English", cmd("what I can do", `{"de":"was ich kann","en-GB":"what I can do"}`), 200},
		{"de-DE is no Discord locale", cmd("what I can do", `{"de-DE":"was ich kann"}`), 400},
		{"pt is no Discord locale", cmd("what I can do", `{"pt":"o que eu sei fazer"}`), 400},
		{"a localization over 100", cmd("what I can do", `{"de":"`+strings.Repeat("ä", 101)+`"}`), 400},
		{"an empty localization", cmd("what I can do", `{"fr":""}`), 400},
		{"a description over 100", cmd(strings.Repeat("a", 101), `{}`), 400},
		{"an option's bad locale", `[{"name":"help","description":"x","options":[{"type":3,"name":"t","description":"x","description_localizations":{"xx":"x"}}]}]`, 400},
		{"an upper-case name", `[{"name":"Help","description":"x"}]`, 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, m := do(t, s, "PUT", path, tt.body, true)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d (%v)", resp.StatusCode, tt.status, m)
			}
		})
	}
	if !strings.Contains(string(s.Commands("global")), "was ich kann") {
		t.Errorf("the accepted commands were not kept: %s", s.Commands("global"))
	}
}
