package webhook

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"earshot/core"
)

var testSecret = "whsec_" + base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))

// receiver is a local endpoint that verifies every delivery with the specification's own
// library and answers with the statuses it is given, in order (200 once they run out).
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	got      []delivery
}

type delivery struct {
	id, ts, sig string
	body        []byte
	verifyErr   error
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	r := &receiver{statuses: statuses}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		d := delivery{
			id:   req.Header.Get("webhook-id"),
			ts:   req.Header.Get("webhook-timestamp"),
			sig:  req.Header.Get("webhook-signature"),
			body: body,
		}
		d.verifyErr = wh.Verify(body, req.Header)
		r.mu.Lock()
		r.got = append(r.got, d)
		status := http.StatusOK
		if len(r.statuses) > 0 {
			status, r.statuses = r.statuses[0], r.statuses[1:]
		}
		r.mu.Unlock()
		w.WriteHeader(status)
		_, _ = io.WriteString(w, http.StatusText(status))
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

func newSender(t *testing.T, e Endpoint, now func() time.Time) *Sender {
	t.Helper()
	if e.Name == "" {
		e.Name = "crm"
	}
	if e.Secret == "" {
		e.Secret = testSecret
	}
	s, err := New(Options{Endpoints: []Endpoint{e}, Now: now, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func event(at time.Time) core.Message {
	return core.Message{Event: &core.Event{
		Type: core.EventComplaintOpened, Timestamp: at,
		Data: json.RawMessage(`{"ref":"C-1042","customer":"telegram:42","text":"the bike came scratched"}`),
	}}
}

func kind(err error) core.DeliveryErrorKind {
	var de *core.DeliveryError
	if errors.As(err, &de) {
		return de.Kind
	}
	return ""
}

func TestDeliverSignsPerStandardWebhooks(t *testing.T) {
	r := newReceiver(t)
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	s := newSender(t, Endpoint{URL: r.URL, AllowPrivate: true}, time.Now)
	id, err := s.Deliver(context.Background(), core.Delivery{ID: 77, To: core.ChatRef{Platform: core.Webhook, ID: "crm"}, Message: event(now)})
	if err != nil {
		t.Fatal(err)
	}
	got := r.deliveries()
	if len(got) != 1 {
		t.Fatalf("receiver got %d deliveries, want 1", len(got))
	}
	d := got[0]
	if d.verifyErr != nil {
		t.Fatalf("the library refuses the signature: %v", d.verifyErr)
	}
	if id != "msg_77" || d.id != id {
		t.Errorf("webhook-id %q, sent id %q; want msg_77 for both", d.id, id)
	}
	if !strings.HasPrefix(d.sig, "v1,") {
		t.Errorf("signature %q does not start with v1,", d.sig)
	}
	var body struct {
		Type      string          `json:"type"`
		Timestamp time.Time       `json:"timestamp"`
		Data      json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(d.body, &body); err != nil {
		t.Fatalf("body %s: %v", d.body, err)
	}
	if body.Type != "complaint.opened" || !body.Timestamp.Equal(now) || !strings.Contains(string(body.Data), "C-1042") {
		t.Errorf("body = %s", d.body)
	}

	// A body changed on the way fails the receiver's check.
	wh, _ := standardwebhooks.NewWebhook(testSecret)
	h := http.Header{}
	h.Set("webhook-id", d.id)
	h.Set("webhook-timestamp", d.ts)
	h.Set("webhook-signature", d.sig)
	tampered := []byte(strings.Replace(string(d.body), "C-1042", "C-1043", 1))
	if err := wh.Verify(tampered, h); err == nil {
		t.Error("a tampered body verified")
	}
}

func TestRetryKeepsTheWebhookID(t *testing.T) {
	r := newReceiver(t, http.StatusInternalServerError, http.StatusOK)
	s := newSender(t, Endpoint{URL: r.URL, AllowPrivate: true}, time.Now)
	d := core.Delivery{ID: 9, To: core.ChatRef{Platform: core.Webhook, ID: "crm"}, Message: event(time.Now())}
	if _, err := s.Deliver(context.Background(), d); kind(err) != core.DeliveryTemporary {
		t.Fatalf("500: err = %v, want temporary", err)
	}
	if _, err := s.Deliver(context.Background(), d); err != nil {
		t.Fatalf("retry: %v", err)
	}
	got := r.deliveries()
	if len(got) != 2 || got[0].id != got[1].id || got[0].id != "msg_9" {
		t.Fatalf("ids = %v, want msg_9 twice", []string{got[0].id, got[len(got)-1].id})
	}
	for _, g := range got {
		if g.verifyErr != nil {
			t.Errorf("attempt %s: %v", g.id, g.verifyErr)
		}
	}
}

func TestStatusesAreClassified(t *testing.T) {
	for _, tc := range []struct {
		status int
		want   core.DeliveryErrorKind
	}{
		{http.StatusBadGateway, core.DeliveryTemporary},
		{http.StatusServiceUnavailable, core.DeliveryTemporary},
		{http.StatusRequestTimeout, core.DeliveryTemporary},
		{http.StatusTooManyRequests, core.DeliveryRateLimited},
		{http.StatusBadRequest, core.DeliveryPermanent},
		{http.StatusUnauthorized, core.DeliveryPermanent},
		{http.StatusMovedPermanently, core.DeliveryPermanent},
		{http.StatusNoContent, ""},
		{http.StatusAccepted, ""},
	} {
		r := newReceiver(t, tc.status)
		s := newSender(t, Endpoint{URL: r.URL, AllowPrivate: true}, time.Now)
		_, err := s.Deliver(context.Background(), core.Delivery{ID: 1, To: core.ChatRef{Platform: core.Webhook, ID: "crm"}, Message: event(time.Now())})
		if got := kind(err); got != tc.want {
			t.Errorf("status %d: kind %q (%v), want %q", tc.status, got, err, tc.want)
		}
	}
}

func TestGoneDisablesTheEndpoint(t *testing.T) {
	r := newReceiver(t, http.StatusGone)
	s := newSender(t, Endpoint{URL: r.URL, AllowPrivate: true}, time.Now)
	d := core.Delivery{ID: 1, To: core.ChatRef{Platform: core.Webhook, ID: "crm"}, Message: event(time.Now())}
	if _, err := s.Deliver(context.Background(), d); kind(err) != core.DeliveryPermanent {
		t.Fatalf("410: %v, want permanent", err)
	}
	d.ID = 2
	_, err := s.Deliver(context.Background(), d)
	if kind(err) != core.DeliveryPermanent || !strings.Contains(err.Error(), "410") {
		t.Fatalf("after 410: %v, want a permanent error naming the 410", err)
	}
	if n := len(r.deliveries()); n != 1 {
		t.Errorf("receiver got %d requests; a disabled endpoint must get none after the 410", n)
	}
}

func TestGivesUpAfterThreeDays(t *testing.T) {
	r := newReceiver(t, http.StatusInternalServerError)
	now := time.Now()
	s := newSender(t, Endpoint{URL: r.URL, AllowPrivate: true}, func() time.Time { return now })
	_, err := s.Deliver(context.Background(), core.Delivery{ID: 3, To: core.ChatRef{Platform: core.Webhook, ID: "crm"},
		Message: event(now.Add(-GiveUpAfter - time.Minute))})
	if kind(err) != core.DeliveryPermanent || !strings.Contains(err.Error(), "3 days") || !strings.Contains(err.Error(), "500") {
		t.Fatalf("err = %v, want a permanent error saying it gave up and why", err)
	}
}

func TestTimeoutIsTemporary(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	defer srv.Close()
	defer close(release)
	s, err := New(Options{Endpoints: []Endpoint{{Name: "crm", URL: srv.URL, Secret: testSecret, AllowPrivate: true}},
		Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Deliver(context.Background(), core.Delivery{ID: 1, To: core.ChatRef{Platform: core.Webhook, ID: "crm"}, Message: event(time.Now())})
	if kind(err) != core.DeliveryTemporary {
		t.Fatalf("a hung receiver: %v, want temporary", err)
	}
}

func TestPrivateAddressesRefused(t *testing.T) {
	r := newReceiver(t)
	for _, u := range []string{r.URL, strings.Replace(r.URL, "127.0.0.1", "localhost", 1)} {
		s := newSender(t, Endpoint{URL: u}, time.Now)
		_, err := s.Deliver(context.Background(), core.Delivery{ID: 1, To: core.ChatRef{Platform: core.Webhook, ID: "crm"}, Message: event(time.Now())})
		if kind(err) != core.DeliveryPermanent || !strings.Contains(err.Error(), "allow_private") {
			t.Errorf("%s: %v, want a permanent refusal that names allow_private", u, err)
		}
	}
	if n := len(r.deliveries()); n != 0 {
		t.Errorf("a private receiver got %d requests without allow_private", n)
	}
}

func TestPublic(t *testing.T) {
	for _, tc := range []struct {
		ip   string
		want bool
	}{
		{"8.8.8.8", true}, {"2606:4700:4700::1111", true},
		{"127.0.0.1", false}, {"::1", false}, {"10.1.2.3", false}, {"172.16.0.1", false},
		{"192.168.1.1", false}, {"169.254.169.254", false}, {"fe80::1", false}, {"fc00::1", false},
		{"0.0.0.0", false}, {"::", false}, {"100.64.0.1", false}, {"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false}, {"224.0.0.1", false}, {"255.255.255.255", false},
		{"64:ff9b::7f00:1", false}, {"198.18.0.1", false},
	} {
		if got := Public(net.ParseIP(tc.ip)); got != tc.want {
			t.Errorf("Public(%s) = %v, want %v", tc.ip, got, tc.want)
		}
	}
}

func TestCheckSecretAndURL(t *testing.T) {
	for _, bad := range []string{"", "secret", "whsec_", "whsec_not base64!", "whsec_" + base64.StdEncoding.EncodeToString([]byte("short"))} {
		if err := CheckSecret(bad); err == nil {
			t.Errorf("CheckSecret(%q) = nil", bad)
		} else if len(bad) > 8 && strings.Contains(err.Error(), bad) {
			t.Errorf("CheckSecret repeats the secret: %v", err)
		}
	}
	if err := CheckSecret(testSecret); err != nil {
		t.Errorf("CheckSecret(good) = %v", err)
	}
	for _, bad := range []string{"ftp://x.example", "//x.example/h", "https://user:pw@x.example/", "https:///path", "https://x.example/#f", "::"} {
		if err := CheckURL(bad); err == nil {
			t.Errorf("CheckURL(%q) = nil", bad)
		}
	}
	if err := CheckURL("https://crm.example.com/hooks/earshot"); err != nil {
		t.Errorf("CheckURL(good) = %v", err)
	}
}
