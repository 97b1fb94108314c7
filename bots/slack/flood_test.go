package slack

import (
	"earshot/core/coretest"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/bots/internal/kittest"
)

// 300 concurrent forged POSTs of 1 MiB each, with headers that pass every check but the
// signature, cost a bounded amount of memory: at most maxUnverified bodies of at most the
// limit are read at once (they took 600 MB before the gate).
func TestForgedWebhookFloodIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a flood of 300 requests")
	}
	fs := newFake(t)
	rec := coretest.NewHandler(nil)
	base := hooks(t, newBot(t, fs, rec, false))
	res := kittest.Flood(base+"events", 300, 1<<20, func(h http.Header) {
		h.Set("X-Slack-Request-Timestamp", strconv.FormatInt(time.Now().Unix(), 10))
		h.Set("X-Slack-Signature", "v0="+strings.Repeat("ab", 32))
	})
	t.Logf("peak heap growth %.1f MiB, answers %v", float64(res.PeakHeapGrowth)/(1<<20), res.Statuses)
	if res.PeakHeapGrowth > 64<<20 {
		t.Errorf("peak heap grew by %d MiB during the flood, want under 64", res.PeakHeapGrowth>>20)
	}
	if res.Statuses[http.StatusOK] != 0 || len(rec.Got()) != 0 {
		t.Errorf("a forged request got through: %v, %d handled", res.Statuses, len(rec.Got()))
	}
}
