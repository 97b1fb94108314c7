package httpapi

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

// TestIdempotencyKeyWithAnotherBody: a key reused with any field different is 409, and
// nothing new is recorded.
func TestIdempotencyKeyWithAnotherBody(t *testing.T) {
	e := newEnv(t, Options{APIToken: token})
	first := `{"customer":"console:k","stage":"delivery","ref":"A-1","occurred_at":"2026-11-20T10:00:00Z"}`
	if rec := e.do("POST", "/api/v1/touchpoints", first, "Idempotency-Key", "k1"); rec.Code != http.StatusCreated {
		t.Fatalf("first: %d %s", rec.Code, rec.Body)
	}
	for name, body := range map[string]string{
		"customer":       `{"customer":"console:other","stage":"delivery","ref":"A-1","occurred_at":"2026-11-20T10:00:00Z"}`,
		"stage":          `{"customer":"console:k","stage":"purchase","ref":"A-1","occurred_at":"2026-11-20T10:00:00Z"}`,
		"ref":            `{"customer":"console:k","stage":"delivery","ref":"A-2","occurred_at":"2026-11-20T10:00:00Z"}`,
		"occurred_at":    `{"customer":"console:k","stage":"delivery","ref":"A-1","occurred_at":"2026-11-21T10:00:00Z"}`,
		"no occurred_at": `{"customer":"console:k","stage":"delivery","ref":"A-1"}`,
	} {
		t.Run(name, func(t *testing.T) {
			rec := e.do("POST", "/api/v1/touchpoints", body, "Idempotency-Key", "k1")
			if rec.Code != http.StatusConflict {
				t.Fatalf("status %d, want 409: %s", rec.Code, rec.Body)
			}
		})
	}
	// The same instant written in another zone is the same body.
	same := `{"customer":"console:k","stage":"delivery","ref":"A-1","occurred_at":"2026-11-20T11:00:00+01:00"}`
	if rec := e.do("POST", "/api/v1/touchpoints", same, "Idempotency-Key", "k1"); rec.Code != http.StatusCreated ||
		rec.Header().Get("Idempotent-Replayed") != "true" {
		t.Fatalf("the same instant: %d %s", rec.Code, rec.Body)
	}
	if n := e.runs("console:k"); n != 1 {
		t.Errorf("runs = %d, want 1", n)
	}
}

// TestTouchpointInputIsChecked: times far off and customers that cannot be refused.
func TestTouchpointInputIsChecked(t *testing.T) {
	e := newEnv(t, Options{APIToken: token, Platforms: []core.Platform{core.Telegram, core.Console},
		Now: func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) }})
	for _, tt := range []struct{ name, customer, at, want string }{
		{"two days ahead", "console:x", "2026-11-27T10:00:01Z", "more than a day in the future"},
		{"year 9999", "console:x", "9999-01-01T00:00:00Z", "more than a day in the future"},
		{"year 1", "console:x", "0001-01-01T00:00:00Z", "before the year 2000"},
		{"disabled platform", "slack:U01", "", "slack is not enabled here (enabled: telegram, console)"},
		{"unknown platform", "matrix:x", "", "unknown platform"},
		{"telegram text id", "telegram:abc", "", "a Telegram user id is a positive number"},
		{"telegram negative person", "telegram:-1", "", "a Telegram user id is a positive number"},
		{"path", "console:../../etc/passwd", "", "a console name"},
		{"bidi", "console:ma\u202eria", "", "a console name"},
		{"NUL", "telegram:1\u00002", "", "positive number"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"customer":"` + strings.ReplaceAll(tt.customer, "\u0000", `\u0000`) + `","stage":"delivery"`
			if tt.at != "" {
				body += `,"occurred_at":"` + tt.at + `"`
			}
			rec := e.do("POST", "/api/v1/touchpoints", body+"}")
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), tt.want) {
				t.Fatalf("%d %s, want 400 %q", rec.Code, rec.Body, tt.want)
			}
		})
	}
	// A day ahead is still fine (a clock a little off, a time zone mistaken by hours).
	if rec := e.do("POST", "/api/v1/touchpoints", `{"customer":"telegram:5","stage":"delivery","occurred_at":"2026-11-26T09:00:00Z"}`); rec.Code != http.StatusCreated {
		t.Fatalf("a day ahead: %d %s", rec.Code, rec.Body)
	}
}
