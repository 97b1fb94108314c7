package discord

import (
	"earshot/core/coretest"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/bots/internal/kittest"
)

// 300 concurrent forged interactions of 1 MiB each, with a fresh timestamp and a signature
// of the right size, cost a bounded amount of memory: the gate reads at most maxUnverified
// bodies of at most maxInteractionBody at once.
func TestForgedInteractionFloodIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a flood of 300 requests")
	}
	rec := coretest.NewHandler(nil)
	_, b := newBot(t, rec)
	srv := httptest.NewServer(b.InteractionsHandler())
	t.Cleanup(srv.Close)
	res := kittest.Flood(srv.URL, 300, 1<<20, func(h http.Header) {
		h.Set("X-Signature-Timestamp", strconv.FormatInt(time.Now().Unix(), 10))
		h.Set("X-Signature-Ed25519", strings.Repeat("ab", 64))
	})
	t.Logf("peak heap growth %.1f MiB, answers %v", float64(res.PeakHeapGrowth)/(1<<20), res.Statuses)
	if res.PeakHeapGrowth > 64<<20 {
		t.Errorf("peak heap grew by %d MiB during the flood, want under 64", res.PeakHeapGrowth>>20)
	}
	if res.Statuses[http.StatusOK] != 0 || len(rec.Got()) != 0 {
		t.Errorf("a forged request got through: %v", res.Statuses)
	}
}
