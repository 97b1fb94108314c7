package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
)

// statusAdapter is an adapter whose connection state the test sets.
type statusAdapter struct {
	refusing
	p  core.Platform
	st core.AdapterStatus
}

func (s *statusAdapter) Platform() core.Platform    { return s.p }
func (s *statusAdapter) Run(context.Context) error  { return nil }
func (s *statusAdapter) Status() core.AdapterStatus { return s.st }

const twoPlatforms = testYAML + "telegram: {token: \"${TG}\"}\nslack: {bot_token: \"${SL}\", app_token: \"${SLA}\"}\n"

var twoEnv = map[string]string{"EARSHOT_API_TOKEN": testAPIToken, "TG": "123456:fake-telegram-token",
	"SL": "xoxb-fake-slack-token", "SLA": "xapp-fake-app-token"}

func healthOf(t *testing.T, s *testServer) (int, healthReport, string) {
	t.Helper()
	code, body := s.call("GET", "/healthz", "")
	var rep healthReport
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatalf("healthz body %q: %v", body, err)
	}
	return code, rep, body
}

// Health reports each adapter's own state; reconnecting is not fatal, every platform
// refusing our credentials is.
func TestHealthzReportsEachAdaptersState(t *testing.T) {
	s := startTestServer(t, twoPlatforms, twoEnv, nil)
	since := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)
	tg := &statusAdapter{p: core.Telegram, st: core.AdapterStatus{State: core.AdapterConnected, Since: since}}
	sl := &statusAdapter{p: core.Slack, st: core.AdapterStatus{State: core.AdapterReconnecting, Since: since,
		Reason: "dial tcp: connection refused"}}
	s.a.adapters = []adapter{tg, sl}

	code, rep, body := healthOf(t, s)
	if code != http.StatusOK || rep.Platforms["telegram"] != "ok" ||
		rep.Platforms["slack"] != "reconnecting since 2026-12-07T01:00:00Z: dial tcp: connection refused" {
		t.Errorf("one platform reconnecting = %d %s", code, body)
	}
	if a := rep.Adapters["slack"]; a.State != core.AdapterReconnecting || !a.Since.Equal(since) {
		t.Errorf("adapters = %+v", rep.Adapters)
	}
	if rep.Store.Write != "ok" {
		t.Errorf("store = %+v", rep.Store)
	}

	tg.st = core.AdapterStatus{State: core.AdapterRefused, Since: since, Reason: "401 Unauthorized for 123456:fake-telegram-token"}
	code, rep, body = healthOf(t, s)
	if code != http.StatusOK || !strings.HasPrefix(rep.Platforms["telegram"], "credentials refused: ") {
		t.Errorf("one of two refused = %d %s; the other still works", code, body)
	}
	if strings.Contains(body, "fake-telegram-token") {
		t.Errorf("the health answer shows a secret: %s", body)
	}
	sl.st = core.AdapterStatus{State: core.AdapterRefused, Since: since, Reason: "invalid_auth"}
	if code, rep, body = healthOf(t, s); code != http.StatusServiceUnavailable || rep.Status != "unavailable" {
		t.Errorf("every platform refused = %d %s, want 503", code, body)
	}
}

// Health makes a real write: when writes fail (a full disk, a read-only file) it answers 503
// and says since when, and recovers when they go through again.
func TestHealthzReportsFailingWrites(t *testing.T) {
	s := startTestServer(t, testYAML, apiEnv, nil)
	failing := coretest.NewFailingStore(s.a.db)
	s.web.writes = failing
	if code, rep, body := healthOf(t, s); code != 200 || rep.Store.Write != "ok" {
		t.Fatalf("before = %d %s", code, body)
	}
	failing.SetFailing(true)
	code, rep, body := healthOf(t, s)
	if code != http.StatusServiceUnavailable || rep.Store.Write != "failing" || rep.Store.FailingSince.IsZero() ||
		rep.Store.Error != "the disk is full" || rep.Database != "ok" {
		t.Errorf("writes failing = %d %s", code, body)
	}
	first := rep.Store.FailingSince
	if _, rep, _ := healthOf(t, s); !rep.Store.FailingSince.Equal(first) {
		t.Errorf("failing_since moved: %v, then %v", first, rep.Store.FailingSince)
	}
	failing.SetFailing(false)
	if code, rep, body := healthOf(t, s); code != 200 || rep.Store.Write != "ok" || !rep.Store.FailingSince.IsZero() {
		t.Errorf("after recovery = %d %s", code, body)
	}
}
