package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
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

const token = "s3cret-api-token"

// env is an API on a real SQLite database and core service.
type env struct {
	t   *testing.T
	db  *sqlite.DB
	svc *core.Service
	h   http.Handler
	log *bytes.Buffer
}

func settings() core.Settings {
	return core.Settings{Business: core.Business{Name: "Acme", Location: time.UTC},
		Team: core.Team{Channel: core.ChatRef{Platform: core.Console, ID: "team"},
			Members: []core.Member{{Name: "Dana", Role: core.RoleOwner, Accounts: []core.UserRef{{Platform: core.Console, ID: "dana"}}}}},
		Surveys: []core.SurveyPlan{{Name: "after-delivery", Trigger: "delivery", LowScoreThreshold: 4,
			Questions: []core.Question{{Key: "courtesy", Text: "How courteous were we?", Type: core.Scale, Min: 1, Max: 10}}},
			{Name: "after-purchase", Trigger: "purchase",
				Questions: []core.Question{{Key: "choice", Text: "Did you find what you wanted?", Type: core.Scale, Min: 1, Max: 10}}}},
		Complaints: core.Standards{AcknowledgeWithin: 12 * time.Hour, ResolveWithin: 48 * time.Hour, AutoCloseAfter: 72 * time.Hour},
		Namespaces: []string{"shop"}}
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(t), Settings: settings(), Store: db,
		Clock: core.NewManualClock(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, svc: svc, log: &bytes.Buffer{}}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(e.log, nil))
	}
	e.h = New(svc, opts)
	return e
}

// do sends a request with the API token and a JSON content type (when body is set).
func (e *env) do(method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

// errorOf returns the {"error":…} of a response, failing when the body is not exactly that.
func errorOf(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, rec.Body)
	}
	msg, ok := body["error"].(string)
	if !ok || msg == "" || len(body) != 1 {
		t.Fatalf("error body = %s, want exactly {\"error\": \"…\"}", rec.Body)
	}
	return msg
}

func decodeBody[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %s: %v", rec.Body, err)
	}
	return v
}
