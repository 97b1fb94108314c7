package discord

import (
	"bytes"
	"crypto/ed25519"
	"earshot/core/coretest"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

func signedRequest(body []byte, ts time.Time, key ed25519.PrivateKey) *http.Request {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	sig := ed25519.Sign(key, append([]byte(stamp), body...))
	r := httptest.NewRequest(http.MethodPost, "/hooks/discord/interactions", bytes.NewReader(body))
	r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	r.Header.Set("X-Signature-Timestamp", stamp)
	return r
}

func TestInteractionsEndpoint(t *testing.T) {
	_, forger, _ := ed25519.GenerateKey(nil)
	now := time.Now()
	tests := []struct {
		name       string
		req        func(body []byte) *http.Request
		wantStatus int
		handled    bool
	}{
		{"valid", func(b []byte) *http.Request { return signedRequest(b, now, testPrivate) }, 200, true},
		{"forged signature", func(b []byte) *http.Request { return signedRequest(b, now, forger) }, 401, false},
		{"stale timestamp", func(b []byte) *http.Request { return signedRequest(b, now.Add(-6*time.Minute), testPrivate) }, 401, false},
		{"future timestamp", func(b []byte) *http.Request { return signedRequest(b, now.Add(6*time.Minute), testPrivate) }, 401, false},
		{"body changed after signing", func(b []byte) *http.Request {
			r := signedRequest(b, now, testPrivate)
			changed := bytes.Replace(b, []byte("s:7:q1:7"), []byte("s:7:q1:1"), 1)
			r.Body = httptest.NewRequest("POST", "/", bytes.NewReader(changed)).Body
			return r
		}, 401, false},
		{"no signature", func(b []byte) *http.Request {
			return httptest.NewRequest(http.MethodPost, "/hooks/discord/interactions", bytes.NewReader(b))
		}, 401, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := coretest.NewHandler(nil)
			fake, b := newBot(t, rec)
			fake.PushDM("42", "hi") // opens the DM channel
			ch, _ := fake.DMChannel("42")
			id, body := fake.ButtonInteraction("42", ch, "", "s:7:q1:7")
			w := httptest.NewRecorder()
			b.InteractionsHandler().ServeHTTP(w, tt.req(body))
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d (%s)", w.Code, tt.wantStatus, w.Body)
			}
			got := rec.Got()
			if handled := len(got) == 1 && got[0].EventID == id && got[0].Action == "s:7:q1:7"; handled != tt.handled {
				t.Fatalf("handled = %v (%+v), want %v", handled, got, tt.handled)
			}
			if tt.handled {
				var resp struct{ Type int }
				if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || resp.Type != 6 {
					t.Errorf("response %s, want type 6", w.Body)
				}
			}
		})
	}
}

func TestInteractionsPing(t *testing.T) {
	fake, b := newBot(t, nil)
	w := httptest.NewRecorder()
	b.InteractionsHandler().ServeHTTP(w, signedRequest(fake.PingInteraction(), time.Now(), testPrivate))
	if w.Code != 200 || strings.TrimSpace(w.Body.String()) != `{"type":1}` {
		t.Errorf("PING answered %d %s, want 200 {\"type\":1}", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	b.InteractionsHandler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/hooks/discord/interactions", nil))
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET answered %d, want 405", w.Code)
	}
}

func TestInteractionsWithoutPublicKey(t *testing.T) {
	fake, _ := newBot(t, nil)
	b, err := New(Options{Token: fake.Token, ApplicationID: fake.ApplicationID, APIURL: fake.URL(), Texts: coretest.Texts(t)}, coretest.NewHandler(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	b.InteractionsHandler().ServeHTTP(w, signedRequest(fake.PingInteraction(), time.Now(), testPrivate))
	if w.Code != 401 {
		t.Errorf("status %d, want 401 when no public key is configured", w.Code)
	}
}

func TestNewValidates(t *testing.T) {
	h := coretest.NewHandler(nil)
	texts := coretest.Texts(t)
	tests := []struct {
		name string
		opts Options
	}{
		{"no token", Options{ApplicationID: "1", Texts: texts}},
		{"no application", Options{Token: "t", Texts: texts}},
		{"bad key", Options{Token: "t", ApplicationID: "1", PublicKey: "zz", Texts: texts}},
		{"bad api url", Options{Token: "t", ApplicationID: "1", APIURL: "ftp://x", Texts: texts}},
		{"no texts", Options{Token: "t", ApplicationID: "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.opts, h, nil); err == nil {
				t.Error("New accepted it")
			}
		})
	}
	if _, err := New(Options{Token: "t", ApplicationID: "1", Texts: texts}, nil, nil); err == nil {
		t.Error("New accepted a nil handler")
	}
	var _ core.Messenger = (*Bot)(nil)
}
