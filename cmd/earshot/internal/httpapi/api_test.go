package httpapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

func TestAuth(t *testing.T) {
	e := newEnv(t, Options{APIToken: token})
	for _, tc := range []struct {
		name, auth string
		want       int
	}{
		{"no header", "", http.StatusUnauthorized},
		{"wrong token", "Bearer nope", http.StatusUnauthorized},
		{"token prefix", "Bearer " + token[:5], http.StatusUnauthorized},
		{"token plus more", "Bearer " + token + "x", http.StatusUnauthorized},
		{"basic scheme", "Basic " + token, http.StatusUnauthorized},
		{"no scheme", token, http.StatusUnauthorized},
		{"right token", "Bearer " + token, http.StatusOK},
		{"scheme in lower case", "bearer " + token, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.do("GET", "/api/v1/complaints", "", "Authorization", tc.auth)
			if rec.Code != tc.want {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			if tc.want == http.StatusUnauthorized {
				errorOf(t, rec)
				if got := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
					t.Errorf("WWW-Authenticate = %q", got)
				}
			}
		})
	}
}

func TestDisabledWithoutToken(t *testing.T) {
	e := newEnv(t, Options{})
	for _, path := range []string{"/api/v1/complaints", "/api/v1/digest", "/api/v1/nothing"} {
		rec := e.do("GET", path, "")
		if rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("%s: status = %d, want 503", path, rec.Code)
		}
		if msg := errorOf(t, rec); !strings.Contains(msg, "http.api_token") {
			t.Errorf("%s: error = %q, want it to name http.api_token", path, msg)
		}
	}
	// An empty bearer token must not match the empty configured one.
	rec := e.do("POST", "/api/v1/touchpoints", `{"customer":"console:x","stage":"delivery"}`, "Authorization", "Bearer ")
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 503", rec.Code)
	}
}

func TestRoutingErrors(t *testing.T) {
	e := newEnv(t, Options{APIToken: token})
	for _, tc := range []struct {
		method, path string
		want         int
		allow        string
	}{
		{"GET", "/api/v1/touchpoints", http.StatusMethodNotAllowed, "POST"},
		{"DELETE", "/api/v1/complaints", http.StatusMethodNotAllowed, "GET"},
		{"PUT", "/api/v1/invites", http.StatusMethodNotAllowed, "POST"},
		{"POST", "/api/v1/digest", http.StatusMethodNotAllowed, "GET"},
		{"GET", "/api/v1/customers", http.StatusNotFound, ""},
		{"GET", "/api/v2/complaints", http.StatusNotFound, ""},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			rec := e.do(tc.method, tc.path, "")
			if rec.Code != tc.want {
				t.Fatalf("status = %d, want %d", rec.Code, tc.want)
			}
			errorOf(t, rec)
			if got := rec.Header().Get("Allow"); got != tc.allow {
				t.Errorf("Allow = %q, want %q", got, tc.allow)
			}
		})
	}
}

func TestBodyErrors(t *testing.T) {
	e := newEnv(t, Options{APIToken: token})
	valid := `{"customer":"console:x","stage":"delivery","ref":"A-1"}`
	for _, tc := range []struct {
		name, path, body, ctype string
		want                    int
		msg                     string
	}{
		{"malformed JSON", "/api/v1/touchpoints", `{"customer":`, "application/json", 400, "malformed JSON"},
		{"syntax error", "/api/v1/touchpoints", `{"customer" "x"}`, "application/json", 400, "malformed JSON"},
		{"not an object", "/api/v1/touchpoints", `["console:x"]`, "application/json", 400, "JSON object"},
		{"wrong field type", "/api/v1/touchpoints", `{"customer":42,"stage":"delivery"}`, "application/json", 400, "customer"},
		{"unknown field", "/api/v1/touchpoints", `{"customer":"console:x","stage":"delivery","colour":"red"}`, "application/json", 400, `unknown field "colour"`},
		{"trailing garbage", "/api/v1/touchpoints", valid + `xyz`, "application/json", 400, "nothing after"},
		{"two objects", "/api/v1/invites", `{"stage":"delivery"}{"stage":"delivery"}`, "application/json", 400, "nothing after"},
		{"empty body", "/api/v1/touchpoints", ``, "application/json", 400, "empty"},
		{"over the limit", "/api/v1/touchpoints", `{"customer":"console:x","stage":"delivery","ref":"` + strings.Repeat("a", 70<<10) + `"}`, "application/json", 413, "larger than 65536"},
		{"over the limit in trailing data", "/api/v1/touchpoints", valid + strings.Repeat(" ", 70<<10), "application/json", 413, "larger than"},
		{"wrong content type", "/api/v1/touchpoints", valid, "text/plain", 415, "application/json"},
		{"form content type", "/api/v1/invites", `{"stage":"delivery"}`, "application/x-www-form-urlencoded", 415, "application/json"},
		{"no content type", "/api/v1/touchpoints", valid, "", 415, "application/json"},
		{"missing customer", "/api/v1/touchpoints", `{"stage":"delivery"}`, "application/json", 400, "customer is required"},
		{"bad customer format", "/api/v1/touchpoints", `{"customer":"maria","stage":"delivery"}`, "application/json", 400, "PLATFORM:ID"},
		{"unknown platform", "/api/v1/touchpoints", `{"customer":"icq:123","stage":"delivery"}`, "application/json", 400, "unknown platform"},
		{"missing stage", "/api/v1/touchpoints", `{"customer":"console:x"}`, "application/json", 400, "stage is required"},
		{"unknown stage", "/api/v1/touchpoints", `{"customer":"console:x","stage":"teleport"}`, "application/json", 400, `unknown stage "teleport"`},
		{"bad occurred_at", "/api/v1/touchpoints", `{"customer":"console:x","stage":"delivery","occurred_at":"yesterday"}`, "application/json", 400, "RFC 3339"},
		{"ref too long", "/api/v1/touchpoints", `{"customer":"console:x","stage":"delivery","ref":"` + strings.Repeat("r", 300) + `"}`, "application/json", 400, "200 characters"},
		{"invite unknown stage", "/api/v1/invites", `{"stage":"teleport"}`, "application/json", 400, "unknown stage"},
		{"invite unknown field", "/api/v1/invites", `{"stage":"delivery","token":"mine"}`, "application/json", 400, `unknown field "token"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.do("POST", tc.path, tc.body, "Content-Type", tc.ctype)
			if tc.body == "" {
				req := httptest.NewRequest("POST", tc.path, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", tc.ctype)
				rec = httptest.NewRecorder()
				e.h.ServeHTTP(rec, req)
			}
			if rec.Code != tc.want {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			if msg := errorOf(t, rec); !strings.Contains(msg, tc.msg) {
				t.Errorf("error = %q, want it to contain %q", msg, tc.msg)
			}
		})
	}
	// None of the refused requests recorded anything.
	rec := e.do("POST", "/api/v1/touchpoints", valid)
	if rec.Code != http.StatusCreated {
		t.Fatalf("the first valid touchpoint = %d, want 201: %s", rec.Code, rec.Body)
	}
	if got := decodeBody[touchResponse](t, rec).Touchpoint.ID; got != 1 {
		t.Errorf("touchpoint id = %d, want 1: a refused request left a touchpoint", got)
	}
}

func TestQueryErrors(t *testing.T) {
	e := newEnv(t, Options{APIToken: token})
	for _, tc := range []struct{ path, msg string }{
		{"/api/v1/complaints?status=pending", `unknown status "pending"`},
		{"/api/v1/digest?week=2026-47", "ISO week"},
		{"/api/v1/digest?week=2026-W54", "ISO week"},
		{"/api/v1/digest?week=2025-W53", "no week 53"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			rec := e.do("GET", tc.path, "")
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400: %s", rec.Code, rec.Body)
			}
			if msg := errorOf(t, rec); !strings.Contains(msg, tc.msg) {
				t.Errorf("error = %q, want %q", msg, tc.msg)
			}
		})
	}
}

// failing is a Service whose every call fails with err.
type failing struct{ err error }

func (f failing) Touch(context.Context, core.TouchRequest) (core.TouchResult, error) {
	return core.TouchResult{}, f.err
}
func (f failing) CreateInvite(context.Context, core.InviteRequest) (core.Invite, error) {
	return core.Invite{}, f.err
}
func (f failing) Complaints(context.Context, string) ([]core.ComplaintView, error) { return nil, f.err }
func (f failing) Digest(context.Context, core.Week) (core.Digest, error)           { return core.Digest{}, f.err }
func (f failing) LastFullWeek() core.Week                                          { return core.Week{Year: 2026, Num: 47} }
func (f failing) ParseRange(string, string) (time.Time, time.Time, error) {
	return time.Time{}, time.Time{}, f.err
}
func (f failing) ExportAnswers(context.Context, time.Time, time.Time, string, io.Writer) (int, error) {
	return 0, f.err
}
func (f failing) ParseCustomer(s string) (core.CustomerRef, error) {
	return core.ParseCustomerRef(s, nil)
}
func (f failing) Invite(context.Context, string) (core.Invite, error) { return core.Invite{}, f.err }
func (f failing) Customer(context.Context, core.CustomerRef) (core.CustomerView, error) {
	return core.CustomerView{}, f.err
}
func (f failing) EraseCustomer(context.Context, core.CustomerRef) (int, error) { return 0, f.err }

func TestErrorCodes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
		msg  string
	}{
		{core.Errorf(core.EINVALID, "bad thing"), 400, "bad thing"},
		{core.Errorf(core.ENOTFOUND, "no such thing"), 404, "no such thing"},
		{core.Errorf(core.ECONFLICT, "already done"), 409, "already done"},
		{core.Errorf(core.EFORBIDDEN, "not yours"), 403, "not yours"},
		{errors.New("storage: disk I/O error at /var/lib/secret/path"), 500, "internal error"},
		{core.Errorf(core.EINTERNAL, "sql: table outbox is locked"), 500, "internal error"},
	} {
		t.Run(tc.msg, func(t *testing.T) {
			e := newEnv(t, Options{APIToken: token})
			e.h = New(failing{tc.err}, Options{APIToken: token, Log: e.h.(*api).opts.Log})
			for _, req := range [][2]string{{"GET", "/api/v1/complaints"}, {"GET", "/api/v1/digest"}, {"GET", "/api/v1/answers?from=2026-11-01"},
				{"POST", "/api/v1/invites"}, {"POST", "/api/v1/touchpoints"}, {"GET", "/api/v1/customers/console:x"},
				{"DELETE", "/api/v1/customers/console:x"}, {"GET", "/api/v1/invites/TOKEN/qr.png"}} {
				body := ""
				if req[0] == "POST" {
					body = `{"customer":"console:x","stage":"delivery"}`
					if strings.HasSuffix(req[1], "invites") {
						body = `{"stage":"delivery"}`
					}
				}
				rec := e.do(req[0], req[1], body)
				if rec.Code != tc.want {
					t.Fatalf("%s: status = %d, want %d", req[1], rec.Code, tc.want)
				}
				msg := errorOf(t, rec)
				if msg != tc.msg && !strings.HasPrefix(msg, tc.msg) {
					t.Errorf("%s: error = %q, want %q", req[1], msg, tc.msg)
				}
			}
			if tc.want == 500 {
				if strings.Contains(e.log.String(), tc.err.Error()) == false {
					t.Errorf("the log lacks the internal detail: %s", e.log)
				}
			} else if e.log.Len() > 0 {
				t.Errorf("a client error was logged as internal: %s", e.log)
			}
		})
	}
}
