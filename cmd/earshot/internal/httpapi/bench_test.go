package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
	"earshot/storage/sqlite"
)

// benchAPI is the API on a real SQLite file, as serve runs it.
func benchAPI(b *testing.B) http.Handler {
	b.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(b), Settings: settings(), Store: db, Clock: core.SystemClock{}})
	if err != nil {
		b.Fatal(err)
	}
	return New(svc, Options{APIToken: token})
}

func post(h http.Handler, path, body, key string) int {
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// BenchmarkTouchpoint records a new touchpoint per request (contact, touchpoint, survey run
// and its due job in one transaction).
//
//	go test -run '^$' -bench Touchpoint -benchtime 2000x ./cmd/earshot/internal/httpapi
func BenchmarkTouchpoint(b *testing.B) {
	h := benchAPI(b)
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		body := fmt.Sprintf(`{"customer":"console:c%d","stage":"delivery","ref":"A-%d"}`, i, i)
		if code := post(h, "/api/v1/touchpoints", body, ""); code != http.StatusCreated {
			b.Fatalf("status %d", code)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "touchpoints/s")
}

// BenchmarkTouchpointReplay repeats one Idempotency-Key: the retry path.
func BenchmarkTouchpointReplay(b *testing.B) {
	h := benchAPI(b)
	body := `{"customer":"console:c","stage":"delivery"}`
	post(h, "/api/v1/touchpoints", body, "k")
	for b.Loop() {
		if code := post(h, "/api/v1/touchpoints", body, "k"); code != http.StatusOK {
			b.Fatalf("status %d", code)
		}
	}
}

// BenchmarkRefused measures a request refused before the core: wrong token.
func BenchmarkRefused(b *testing.B) {
	h := New(nil, Options{APIToken: token})
	for b.Loop() {
		req := httptest.NewRequest("GET", "/api/v1/complaints", nil)
		req.Header.Set("Authorization", "Bearer wrong")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
