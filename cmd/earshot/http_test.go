package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/cmd/earshot/internal/config"
	"earshot/core"
	"earshot/core/coretest"
)

const testAPIToken = "api-token-for-tests-0123456789"

// testYAML is a configuration with the team on the console platform and a survey sent at once.
const testYAML = `
business: {name: Acme Bikes, timezone: UTC}
http: {listen: "127.0.0.1:0", api_token: "${EARSHOT_API_TOKEN}"}
log: {level: debug}
team:
  channel: console:team
  members:
    - {name: Sam, role: owner, accounts: [console:sam]}
surveys:
  - name: after-delivery
    trigger: delivery
    delay: 0s
    questions:
      - {key: courtesy, text: "How courteous were we?", type: scale, min: 1, max: 10}
throttle: 0s
`

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer = coretest.LogBuffer

// testServer is serve's HTTP side on a real database, listening on a loopback port.
type testServer struct {
	t    *testing.T
	a    *app
	web  *httpServer
	base string
	log  *syncBuffer
}

func startTestServer(t *testing.T, yaml string, env map[string]string, hooks []core.WebhookRoute, msgrs ...core.Messenger) *testServer {
	t.Helper()
	cfg, err := config.Parse([]byte(yaml), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	return startTestServerWith(t, cfg, hooks, msgrs...)
}

func startTestServerWith(t *testing.T, cfg *config.Config, hooks []core.WebhookRoute, msgrs ...core.Messenger) *testServer {
	t.Helper()
	web, err := newHTTP(cfg)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	a, err := openWith(context.Background(), cfg, wiring{db: filepath.Join(t.TempDir(), "earshot.db"),
		log: cfg.NewLogger(logs), messengers: msgrs, observer: web.Observer()})
	if err != nil {
		t.Fatal(err)
	}
	if err := web.Start(a, hooks); err != nil {
		a.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := web.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		a.Close()
	})
	return &testServer{t: t, a: a, web: web, base: "http://" + web.addr.String(), log: logs}
}

// call makes a real HTTP request and returns the status and body.
func (s *testServer) call(method, path, body string, hdr ...string) (int, string) {
	s.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.base+path, r)
	if err != nil {
		s.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var apiEnv = map[string]string{"EARSHOT_API_TOKEN": testAPIToken}

func TestHTTPRoutes(t *testing.T) {
	var hooked []string
	var mu sync.Mutex
	hk := core.WebhookRoute{Path: "/hooks/fake", Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		hooked = append(hooked, string(b))
		mu.Unlock()
		w.Write([]byte("verified"))
	})}
	s := startTestServer(t, testYAML, apiEnv, []core.WebhookRoute{hk})
	auth := []string{"Authorization", "Bearer " + testAPIToken, "Content-Type", "application/json"}

	for _, tc := range []struct {
		name, method, path, body string
		hdr                      []string
		want                     int
		contains                 string
	}{
		{"healthz", "GET", "/healthz", "", nil, 200, `"status": "ok"`},
		{"healthz needs GET", "POST", "/healthz", "x", nil, 405, `"error"`},
		{"metrics", "GET", "/metrics", "", nil, 200, "earshot_outbox_pending"},
		{"api without token", "GET", "/api/v1/complaints", "", nil, 401, `"error"`},
		{"api with token", "GET", "/api/v1/complaints", "", auth, 200, "[]"},
		{"touchpoint", "POST", "/api/v1/touchpoints", `{"customer":"console:maria","stage":"delivery","ref":"A-1"}`, auth, 201, `"after-delivery"`},
		{"touchpoint again", "POST", "/api/v1/touchpoints", `{"customer":"console:maria","stage":"delivery","ref":"A-1"}`, auth, 200, `"created": false`},
		{"invite", "POST", "/api/v1/invites", `{"stage":"delivery"}`, auth, 201, `"token"`},
		{"digest", "GET", "/api/v1/digest?week=2026-W47", "", auth, 200, `"week": "2026-W47"`},
		{"webhook", "POST", "/hooks/fake", "update-1", nil, 200, "verified"},
		{"webhook needs POST", "GET", "/hooks/fake", "", nil, 405, `"error"`},
		{"unknown webhook", "POST", "/hooks/nothing", "x", nil, 404, `"error"`},
		{"unknown path", "GET", "/admin", "", nil, 404, `"error"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := s.call(tc.method, tc.path, tc.body, tc.hdr...)
			if code != tc.want || !strings.Contains(body, tc.contains) {
				t.Errorf("%s %s = %d %s, want %d containing %s", tc.method, tc.path, code, body, tc.want, tc.contains)
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hooked) != 1 || hooked[0] != "update-1" {
		t.Errorf("the webhook got %q, want only the POST", hooked)
	}
}

func TestHTTPServerLimits(t *testing.T) {
	s := startTestServer(t, testYAML, apiEnv, nil)
	srv := s.web.srv
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 ||
		srv.MaxHeaderBytes <= 0 {
		t.Errorf("server limits unset: %+v", srv)
	}
	// Headers over the limit are refused by the server itself.
	code, _ := s.call("GET", "/healthz", "", "X-Big", strings.Repeat("a", 2*httpMaxHeaderBytes))
	if code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("huge header: status %d, want 431", code)
	}
}

func TestHTTPDisabledAPI(t *testing.T) {
	s := startTestServer(t, testYAML, nil, nil)
	code, body := s.call("POST", "/api/v1/touchpoints", `{"customer":"console:x","stage":"delivery"}`,
		"Content-Type", "application/json", "Authorization", "Bearer ")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "http.api_token") {
		t.Errorf("disabled API = %d %s", code, body)
	}
	if code, _ := s.call("GET", "/healthz", ""); code != 200 {
		t.Errorf("healthz with the API disabled = %d", code)
	}
}

func TestHTTPNoListen(t *testing.T) {
	cfg, err := config.Parse([]byte(strings.Replace(testYAML, `listen: "127.0.0.1:0"`, `listen: ""`, 1)), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	web, _ := newHTTP(cfg)
	a, err := openWith(context.Background(), cfg, wiring{db: filepath.Join(t.TempDir(), "x.db"),
		log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := web.Start(a, nil); err != nil || web.srv != nil {
		t.Errorf("Start without http.listen = %v, server %v; want no server", err, web.srv)
	}
	if err := web.Shutdown(context.Background()); err != nil {
		t.Error(err)
	}
}

func TestHTTPRequestLog(t *testing.T) {
	s := startTestServer(t, testYAML, apiEnv, nil)
	s.call("POST", "/api/v1/touchpoints?secret=query-value", `{"customer":"console:lisa","stage":"delivery","name":"Lisa Body"}`,
		"Authorization", "Bearer "+testAPIToken, "Content-Type", "application/json")
	s.call("GET", "/api/v1/complaints", "", "Authorization", "Bearer wrong-token-value")
	logs := s.log.String()
	for _, want := range []string{"method=POST path=/api/v1/touchpoints status=201", "path=/api/v1/complaints status=401", "duration="} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
	for _, never := range []string{testAPIToken, "wrong-token-value", "Lisa Body", "query-value", "Authorization"} {
		if strings.Contains(logs, never) {
			t.Errorf("the log contains %q:\n%s", never, logs)
		}
	}
}

func TestHealthzDatabaseDown(t *testing.T) {
	s := startTestServer(t, testYAML, apiEnv, nil)
	s.a.db.Close()
	code, body := s.call("GET", "/healthz", "")
	if code != http.StatusServiceUnavailable {
		t.Fatalf("healthz with the database closed = %d %s", code, body)
	}
	var rep healthReport
	if err := json.Unmarshal([]byte(body), &rep); err != nil || rep.Status != "unavailable" || rep.Database != "not answering" {
		t.Errorf("report = %+v (%v)", rep, err)
	}
	if strings.Contains(body, "sql") || strings.Contains(body, ".db") {
		t.Errorf("the health answer leaks internals: %s", body)
	}
	// The metrics still answer and say the outbox could not be read.
	if code, body := s.call("GET", "/metrics", ""); code != 200 || !strings.Contains(body, "earshot_outbox_scrape_error 1") {
		t.Errorf("metrics with the database closed = %d, scrape error missing", code)
	}
}

// refusing is a Telegram messenger whose credentials the platform refuses.
type refusing struct{}

func (refusing) Platform() core.Platform { return core.Telegram }
func (refusing) Deliver(context.Context, core.Delivery) (string, error) {
	return "", &core.DeliveryError{Kind: core.DeliveryUnauthorized, Reason: "Unauthorized", Err: errors.New("401 Unauthorized")}
}

// TestHealthzCircuitAndMetrics drives real traffic through the core (inbound events, due
// work, refused deliveries) and checks what /healthz and /metrics say about it.
func TestHealthzCircuitAndMetrics(t *testing.T) {
	yaml := testYAML + "telegram: {token: \"${TG}\"}\n"
	s := startTestServer(t, yaml, map[string]string{"EARSHOT_API_TOKEN": testAPIToken, "TG": "123456:fake-telegram-token"},
		nil, refusing{})
	ctx := context.Background()
	if code, body := s.call("GET", "/healthz", ""); code != 200 || !strings.Contains(body, `"telegram": "ok"`) {
		t.Fatalf("healthz before = %d %s", code, body)
	}
	for _, id := range []string{"1", "2", "3"} {
		// A Telegram customer must have opened the bot before it may DM them.
		who := core.UserRef{Platform: core.Telegram, ID: id}
		if _, err := s.a.svc.Handle(ctx, core.Incoming{Platform: core.Telegram, EventID: "u" + id, From: who,
			Chat: core.ChatRef(who), Direct: true, Text: "/start"}); err != nil {
			t.Fatal(err)
		}
		code, body := s.call("POST", "/api/v1/touchpoints", `{"customer":"telegram:`+id+`","stage":"delivery"}`,
			"Authorization", "Bearer "+testAPIToken, "Content-Type", "application/json")
		if code != 201 || !strings.Contains(body, `"state": "scheduled"`) {
			t.Fatalf("touchpoint = %d %s", code, body)
		}
	}
	if n, err := s.a.svc.RunDue(ctx); err != nil || n != 3 {
		t.Fatalf("RunDue = %d, %v; want 3 surveys sent", n, err)
	}
	if _, err := s.a.svc.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	code, body := s.call("GET", "/healthz", "")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, `"telegram": "circuit open: credentials refused`) {
		t.Errorf("healthz with the circuit open = %d %s", code, body)
	}
	_, m := s.call("GET", "/metrics", "")
	for _, want := range []string{
		`earshot_platform_circuit_open{platform="telegram"} 1`,
		`earshot_inbound_events_total{outcome="handled",platform="telegram"} 3`,
		`earshot_inbound_duration_seconds_count{platform="telegram"} 3`,
		`earshot_due_work_lag_seconds_count{kind="survey_send"} 3`,
		`earshot_deliveries_total{outcome="retry",platform="telegram"}`,
		`earshot_delivery_duration_seconds_count{platform="telegram"}`,
		"earshot_outbox_pending ",
		"earshot_outbox_oldest_seconds ",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(body+m+s.log.String(), "fake-telegram-token") {
		t.Error("the Telegram token leaked into health, metrics or logs")
	}
}

func TestHealthCommand(t *testing.T) {
	s := startTestServer(t, testYAML, apiEnv, nil)
	ctx := context.Background()
	check := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := cmdHealth(ctx, &env{stdout: &out, stderr: &errOut}, args)
		return out.String(), err
	}
	if out, err := check("--url", s.base+"/healthz"); err != nil || out != "ok\n" {
		t.Fatalf("health --url = %q, %v", out, err)
	}
	// From a configuration file whose http.listen is the wildcard form of the port.
	_, port, _ := strings.Cut(s.web.addr.String(), ":")
	file := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(file, []byte(strings.Replace(testYAML, "127.0.0.1:0", "0.0.0.0:"+port, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := check("--config", file); err != nil {
		t.Fatalf("health --config = %v", err)
	}
	t.Setenv(configEnv, file)
	if _, err := check(); err != nil {
		t.Fatalf("health with %s = %v", configEnv, err)
	}

	s.a.db.Close()
	_, err := check("--url", s.base+"/healthz")
	if err == nil || !strings.Contains(err.Error(), "503") || !strings.Contains(err.Error(), "database not answering") {
		t.Errorf("health with the database down = %v", err)
	}
	if _, err := check("--url", "http://127.0.0.1:1/healthz", "--timeout", "2s"); err == nil {
		t.Error("health against a closed port succeeded")
	}
}

func TestHealthURL(t *testing.T) {
	for _, tc := range []struct{ listen, want string }{
		{"127.0.0.1:8080", "http://127.0.0.1:8080/healthz"},
		{"0.0.0.0:8080", "http://127.0.0.1:8080/healthz"},
		{":9000", "http://127.0.0.1:9000/healthz"},
		{"[::]:8080", "http://[::1]:8080/healthz"},
		{"earshot.internal:80", "http://earshot.internal:80/healthz"},
	} {
		if got, err := healthURL(tc.listen); err != nil || got != tc.want {
			t.Errorf("healthURL(%q) = %q, %v; want %q", tc.listen, got, err, tc.want)
		}
	}
	if _, err := healthURL("8080"); err == nil {
		t.Error("healthURL accepted a listen address without a port")
	}
}
