package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"earshot/bots/telegram/faketelegram"
)

// hookReceiver is the business's endpoint: it verifies every delivery with the Standard
// Webhooks library and can hold requests (so serve is killed with one in flight).
type hookReceiver struct {
	*httptest.Server
	mu      sync.Mutex
	hold    chan struct{} // non-nil: requests wait on it
	arrived chan string   // the webhook-id of each request as it arrives
	got     []hookDelivery
}

type hookDelivery struct {
	id, typ string
	ref     string
	err     error
}

func newHookReceiver(t *testing.T, secret string) *hookReceiver {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	r := &hookReceiver{arrived: make(chan string, 100)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		id := req.Header.Get("webhook-id")
		r.arrived <- id
		r.mu.Lock()
		hold := r.hold
		r.mu.Unlock()
		if hold != nil {
			select {
			case <-hold:
			case <-req.Context().Done():
				return // the sender died: this attempt never counted
			}
		}
		var ev struct {
			Type string `json:"type"`
			Data struct {
				Complaint struct{ Ref string } `json:"complaint"`
			} `json:"data"`
		}
		_ = json.Unmarshal(body, &ev)
		r.mu.Lock()
		r.got = append(r.got, hookDelivery{id: id, typ: ev.Type, ref: ev.Data.Complaint.Ref, err: wh.Verify(body, req.Header)})
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *hookReceiver) deliveries() []hookDelivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hookDelivery(nil), r.got...)
}

// TestWebhookSurvivesKill9 files complaints on the fake Telegram while the business's
// endpoint holds the first delivery, kills serve with SIGKILL, restarts it, and checks that
// every complaint.opened event arrives, signed, with one webhook-id each however often it
// was attempted.
func TestWebhookSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("runs earshot serve as a child process")
	}
	bin := earshotBinary(t)
	secret := "whsec_" + base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	recv := newHookReceiver(t, secret)
	fake := faketelegram.New(faketelegram.Options{})
	defer fake.Close()
	fake.AddGroup(-100, "Team")

	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	err := os.WriteFile(cfg, []byte(fmt.Sprintf(`business: {name: Hook Bikes, timezone: Europe/Berlin}
storage: {path: e.db}
http: {listen: ""}
telegram: {token: "123456:TEST-token", api_url: %q}
team:
  channel: "telegram:-100"
  members: [{name: Ana, role: owner, accounts: ["telegram:42"]}]
webhooks:
  - {name: crm, url: %q, secret: %q, events: [complaint.opened], allow_private: true}
`, fake.URL(), recv.URL, secret)), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "serve.log")
	t.Cleanup(func() {
		if t.Failed() {
			out, _ := os.ReadFile(logPath)
			t.Logf("serve log:\n%s", out)
		}
	})

	recv.mu.Lock()
	recv.hold = make(chan struct{})
	recv.mu.Unlock()
	c := startServe(t, bin, cfg, logPath)
	customers := []faketelegram.User{{ID: 3001, FirstName: "Kim"}, {ID: 3002, FirstName: "Jo"}, {ID: 3003, FirstName: "Sam"}}
	for _, u := range customers {
		fake.Send(faketelegram.Post{From: u, Text: "/complain the bell is broken"})
	}
	var heldID string
	select {
	case heldID = <-recv.arrived: // a delivery is in flight, held by the receiver
	case <-time.After(30 * time.Second):
		t.Fatal("no webhook delivery arrived")
	}
	c.kill9()
	recv.mu.Lock()
	close(recv.hold)
	recv.hold = nil
	recv.mu.Unlock()

	c = startServe(t, bin, cfg, logPath)
	defer c.kill9()
	waitUntil(t, 30*time.Second, "an event for each complaint", func() bool {
		refs := map[string]bool{}
		for _, d := range recv.deliveries() {
			refs[d.ref] = true
		}
		return len(refs) == len(customers)
	})
	ids := map[string]string{} // webhook-id → complaint
	for _, d := range recv.deliveries() {
		if d.err != nil {
			t.Errorf("delivery %s does not verify: %v", d.id, d.err)
		}
		if d.typ != "complaint.opened" || !strings.HasPrefix(d.ref, "C-") {
			t.Errorf("delivery %s: type %q ref %q", d.id, d.typ, d.ref)
		}
		if prev, ok := ids[d.id]; ok && prev != d.ref {
			t.Errorf("webhook-id %s carried %s and %s", d.id, prev, d.ref)
		}
		ids[d.id] = d.ref
	}
	if _, ok := ids[heldID]; !ok {
		t.Errorf("the event in flight at the kill (%s) never arrived again with its id: %v", heldID, ids)
	}
	if len(ids) != len(customers) {
		t.Errorf("%d distinct webhook-ids for %d complaints: %v", len(ids), len(customers), ids)
	}
}
