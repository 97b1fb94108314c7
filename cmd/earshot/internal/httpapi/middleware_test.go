package httpapi

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRecoverAndLog(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := LogRequests(log, Recover(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("boom at /secret/place")
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/x", nil))
	if rec.Code != 500 {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	if msg := errorOf(t, rec); strings.Contains(msg, "boom") {
		t.Errorf("the panic leaked to the client: %q", msg)
	}
	for _, want := range []string{"handler panicked", "boom at /secret/place", "level=WARN msg=\"http request\" method=GET path=/api/v1/x status=500"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

func TestOnly(t *testing.T) {
	h := Only(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }), http.MethodGet)
	for _, tc := range []struct {
		method string
		want   int
	}{{"GET", 204}, {"HEAD", 204}, {"POST", 405}, {"DELETE", 405}} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tc.method, "/healthz", nil))
		if rec.Code != tc.want {
			t.Errorf("%s = %d, want %d", tc.method, rec.Code, tc.want)
		}
		if tc.want == 405 {
			errorOf(t, rec)
			if rec.Header().Get("Allow") != "GET" {
				t.Errorf("Allow = %q", rec.Header().Get("Allow"))
			}
		}
	}
}

func TestHealthAndMetricsLogAtDebug(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil)) // info and up
	h := LogRequests(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for _, p := range []string{"/healthz", "/metrics"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	if logs.Len() != 0 {
		t.Errorf("polling logged at info: %s", logs.String())
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/v1/digest", nil))
	if !strings.Contains(logs.String(), "status=200") {
		t.Errorf("an API request was not logged: %s", logs.String())
	}
}
