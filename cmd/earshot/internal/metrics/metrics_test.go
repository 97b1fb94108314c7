package metrics

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

type fakeSource struct {
	pending int
	oldest  time.Duration
	err     error
	open    map[core.Platform]string
}

func (f *fakeSource) OutboxStats(context.Context) (int, time.Duration, error) {
	return f.pending, f.oldest, f.err
}
func (f *fakeSource) Health() map[core.Platform]string { return f.open }

// scrape returns the metrics text the handler serves.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /metrics = %d", rec.Code)
	}
	body, _ := io.ReadAll(rec.Body)
	return string(body)
}

// expect checks that every line of want appears in got, and none of dontWant.
func expect(t *testing.T, got string, want, dontWant []string) {
	t.Helper()
	lines := map[string]bool{}
	for _, l := range strings.Split(got, "\n") {
		lines[l] = true
	}
	for _, w := range want {
		if !lines[w] {
			t.Errorf("metrics lack the line %q", w)
		}
	}
	for _, w := range dontWant {
		if strings.Contains(got, w) {
			t.Errorf("metrics contain %q", w)
		}
	}
}

func TestObserverCounts(t *testing.T) {
	m := New()
	m.Inbound(core.Telegram, false, false, 3*time.Millisecond)
	m.Inbound(core.Telegram, true, false, time.Millisecond)
	m.Inbound(core.Telegram, true, true, time.Millisecond) // failed wins over duplicate
	m.Inbound(core.Slack, false, false, time.Millisecond)
	m.Delivery(core.Discord, "sent", 20*time.Millisecond)
	m.Delivery(core.Discord, "held", 0)
	m.JobDone(core.JobSurveySend, 1500*time.Millisecond)
	m.JobDone(core.JobDigest, -time.Second)

	expect(t, scrape(t, m), []string{
		`earshot_inbound_events_total{outcome="handled",platform="telegram"} 1`,
		`earshot_inbound_events_total{outcome="duplicate",platform="telegram"} 1`,
		`earshot_inbound_events_total{outcome="failed",platform="telegram"} 1`,
		`earshot_inbound_events_total{outcome="handled",platform="slack"} 1`,
		`earshot_inbound_duration_seconds_count{platform="telegram"} 3`,
		`earshot_deliveries_total{outcome="sent",platform="discord"} 1`,
		`earshot_deliveries_total{outcome="held",platform="discord"} 1`,
		// A held attempt made no call, so only the sent one is timed.
		`earshot_delivery_duration_seconds_count{platform="discord"} 1`,
		`earshot_due_work_lag_seconds_bucket{kind="survey_send",le="1"} 0`,
		`earshot_due_work_lag_seconds_bucket{kind="survey_send",le="2"} 1`,
		// Early work counts as on time.
		`earshot_due_work_lag_seconds_bucket{kind="digest",le="0.01"} 1`,
		`earshot_due_work_lag_seconds_sum{kind="digest"} 0`,
	}, nil)
}

func TestSourceGauges(t *testing.T) {
	src := &fakeSource{pending: 3, oldest: 90 * time.Second,
		open: map[core.Platform]string{core.Slack: "credentials refused: invalid_auth"}}
	m := New()
	if err := m.Watch(src, []core.Platform{core.Telegram, core.Slack}); err != nil {
		t.Fatal(err)
	}
	expect(t, scrape(t, m), []string{
		"earshot_outbox_pending 3",
		"earshot_outbox_oldest_seconds 90",
		`earshot_platform_circuit_open{platform="slack"} 1`,
		`earshot_platform_circuit_open{platform="telegram"} 0`,
		"earshot_outbox_scrape_error 0",
	}, nil)

	// A failing outbox read drops the outbox gauges and says so, instead of reporting 0; a
	// circuit that closed again reads 0.
	src.err = errors.New("database is closed")
	src.open = nil
	expect(t, scrape(t, m), []string{
		"earshot_outbox_scrape_error 1",
		`earshot_platform_circuit_open{platform="slack"} 0`,
	}, []string{"earshot_outbox_pending "})
}

func TestHandlerServesRuntimeMetrics(t *testing.T) {
	got := scrape(t, New())
	for _, s := range []string{"go_goroutines", "process_"} {
		if !strings.Contains(got, s) {
			t.Errorf("metrics output lacks %q", s)
		}
	}
}

// TestSeriesExistFromTheStart: after Init every counter of an enabled platform and every
// kind of due work is there at 0, with earshot_build_info, before anything happened.
func TestSeriesExistFromTheStart(t *testing.T) {
	m := New()
	m.Init([]core.Platform{core.Telegram}, "1.2.3", "abc123", "go1.26")
	expect(t, scrape(t, m), []string{
		`earshot_build_info{goversion="go1.26",revision="abc123",version="1.2.3"} 1`,
		`earshot_inbound_events_total{outcome="handled",platform="telegram"} 0`,
		`earshot_inbound_events_total{outcome="failed",platform="telegram"} 0`,
		`earshot_deliveries_total{outcome="dead",platform="telegram"} 0`,
		`earshot_deliveries_total{outcome="rate_limited",platform="telegram"} 0`,
		`earshot_inbound_duration_seconds_count{platform="telegram"} 0`,
		`earshot_delivery_duration_seconds_count{platform="telegram"} 0`,
		`earshot_due_work_lag_seconds_count{kind="digest"} 0`,
		`earshot_due_work_lag_seconds_count{kind="survey_send"} 0`,
	}, []string{`platform="slack"`, "result="})
}
