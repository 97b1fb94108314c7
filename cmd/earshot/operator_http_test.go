package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

// TestMetricsOnlyOnMetricsListen: with http.metrics_listen set, /metrics is served there
// and not on http.listen, and every counter is there at 0 from the start with
// earshot_build_info.
func TestMetricsOnlyOnMetricsListen(t *testing.T) {
	yaml := strings.Replace(testYAML, `http: {listen: "127.0.0.1:0",`, `http: {listen: "127.0.0.1:0", metrics_listen: "127.0.0.1:0",`, 1) +
		"telegram: {token: \"1:tg\", api_url: \"http://127.0.0.1:1\"}\n"
	s := startTestServer(t, yaml, apiEnv, nil)
	if code, _ := s.call("GET", "/metrics", ""); code != http.StatusNotFound {
		t.Errorf("/metrics on http.listen = %d, want 404", code)
	}
	if s.web.maddr == nil {
		t.Fatal("no metrics listener")
	}
	resp, err := http.Get("http://" + s.web.maddr.String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("/metrics on metrics_listen = %d", resp.StatusCode)
	}
	for _, want := range []string{
		`earshot_build_info{goversion="go1.`,
		`earshot_inbound_events_total{outcome="handled",platform="telegram"} 0`,
		`earshot_deliveries_total{outcome="dead",platform="telegram"} 0`,
		`earshot_due_work_lag_seconds_count{kind="survey_send"} 0`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if resp, err := http.Get("http://" + s.web.maddr.String() + "/api/v1/complaints"); err != nil || resp.StatusCode != 404 {
		t.Errorf("the metrics address serves more than /metrics: %v", err)
	} else {
		resp.Body.Close()
	}
}

// TestBackdatedTouchpointIsNotSchedulerLag: a touchpoint that happened a day ago makes a
// survey due at once; the due-work lag reports the scheduler's delay, not the day.
func TestBackdatedTouchpointIsNotSchedulerLag(t *testing.T) {
	s := startTestServer(t, testYAML, apiEnv, nil)
	ctx := context.Background()
	at := time.Now().Add(-24 * time.Hour)
	if _, err := s.a.svc.Handle(ctx, core.Incoming{Platform: core.Console, EventID: "e1", From: core.UserRef{Platform: core.Console, ID: "old"},
		Chat: core.ChatRef{Platform: core.Console, ID: "old"}, Direct: true, Text: "/start"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.a.svc.Touch(ctx, core.TouchRequest{Customer: core.UserRef{Platform: core.Console, ID: "old"}, Stage: "delivery", OccurredAt: at}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.a.svc.RunDue(ctx); err != nil || n != 1 {
		t.Fatalf("RunDue = %d, %v", n, err)
	}
	_, m := s.call("GET", "/metrics", "")
	if !strings.Contains(m, `earshot_due_work_lag_seconds_bucket{kind="survey_send",le="3600"} 1`) {
		t.Errorf("a day-old touchpoint counted as a day of lag:\n%s", grepLines(m, "survey_send"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestLoopbackInContainerWarns: in a container, listening on loopback is warned about
// loudly; outside one, or on every interface, it is not.
func TestLoopbackInContainerWarns(t *testing.T) {
	defer func(f func() bool) { containerCheck = f }(containerCheck)
	for _, tt := range []struct {
		listen    string
		container bool
		warn      bool
	}{
		{"127.0.0.1:8080", true, true}, {"localhost:8080", true, true}, {"[::1]:8080", true, true},
		{"0.0.0.0:8080", true, false}, {":8080", true, false}, {"127.0.0.1:8080", false, false},
	} {
		containerCheck = func() bool { return tt.container }
		var buf strings.Builder
		warnLoopbackInContainer(slog.New(slog.NewTextHandler(&buf, nil)), tt.listen)
		if got := strings.Contains(buf.String(), "LOOPBACK"); got != tt.warn {
			t.Errorf("%s in a container=%v: warned %v, want %v", tt.listen, tt.container, got, tt.warn)
		}
	}
}

// TestHealthTakesTheBaseURL: health --url takes the base URL as well as the /healthz URL.
func TestHealthTakesTheBaseURL(t *testing.T) {
	s := startTestServer(t, testYAML, apiEnv, nil)
	for _, u := range []string{s.base, s.base + "/", s.base + "/healthz"} {
		if out, _, err := runCLI(t, "health", "--url", u); err != nil || out != "ok\n" {
			t.Errorf("health --url %s = %q, %v", u, out, err)
		}
	}
	if _, _, err := runCLI(t, "health", "--url", "127.0.0.1:8080"); err == nil || !strings.Contains(err.Error(), "not an http(s) URL") {
		t.Errorf("a URL without a scheme: %v", err)
	}
	for raw, want := range map[string]string{
		"http://h:1":              "http://h:1/healthz",
		"https://bot.example/es/": "https://bot.example/es/healthz",
		"http://h:1/healthz":      "http://h:1/healthz",
	} {
		if got, err := healthTarget(raw); err != nil || got != want {
			t.Errorf("healthTarget(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
}
