// Package httpapi owns earshot's HTTP API for the business's own systems: the /api/v1
// routes (touchpoints, invites and their QR codes, customers, complaints, digest, answers),
// bearer-token authentication, JSON
// decoding with limits, and the one table that maps core's error codes to HTTP statuses.
// It knows nothing of the server it runs in; cmd/earshot mounts it at /api/.
package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"earshot/core"
)

// Service is the part of the core the API calls; *core.Service satisfies it.
type Service interface {
	Touch(ctx context.Context, r core.TouchRequest) (core.TouchResult, error)
	CreateInvite(ctx context.Context, r core.InviteRequest) (core.Invite, error)
	Complaints(ctx context.Context, status string) ([]core.ComplaintView, error)
	Digest(ctx context.Context, w core.Week) (core.Digest, error)
	LastFullWeek() core.Week
	ParseRange(from, to string) (time.Time, time.Time, error)
	ExportAnswers(ctx context.Context, from, to time.Time, format string, w io.Writer) (int, error)
	ParseCustomer(s string) (core.CustomerRef, error)
	Invite(ctx context.Context, token string) (core.Invite, error)
	Customer(ctx context.Context, c core.CustomerRef) (core.CustomerView, error)
	EraseCustomer(ctx context.Context, c core.CustomerRef) (int, error)
}

var _ Service = (*core.Service)(nil)

// DefaultMaxBody is the largest request body accepted when Options.MaxBody is zero.
const DefaultMaxBody = 64 << 10

// Options configure the API.
type Options struct {
	// APIToken is the bearer token every request must carry. Empty: the API is disabled and
	// answers 503.
	APIToken string
	// Links returns, per enabled platform, how a customer opens an invite. Optional.
	Links func(ctx context.Context, token string) map[string]string
	// Notes says, per platform, what a customer needs before an invite can work there
	// ("must be a member of the Slack workspace"); shown with the links. Optional.
	Notes map[string]string
	// Card is the printable counter card's heading and line (GET …/card.svg); the
	// heading defaults to "earshot", the line to "Scan to tell us how we did".
	CardBusiness, CardLine string
	// Log gets internal errors with their detail; never request bodies or tokens.
	Log *slog.Logger
	// MaxBody limits request bodies; 0 means DefaultMaxBody.
	MaxBody int64
	// Platforms are those a customer may be on; a touchpoint for anyone else is refused.
	// Nil: every platform core knows.
	Platforms []core.Platform
	// Now is the clock for checking times in requests; nil: time.Now.
	Now func() time.Time
}

// api is the handler New returns.
type api struct {
	svc    Service
	opts   Options
	digest [sha256.Size]byte // of the token, so comparing takes the same time for any length
	mux    *http.ServeMux
}

// route is one API path and the handler of each method it takes.
type route struct {
	pattern string // a ServeMux path pattern, with {name} for path values
	methods map[string]http.HandlerFunc
}

// New returns the API handler. It expects the full request path (/api/v1/…).
func New(svc Service, opts Options) http.Handler {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Links == nil {
		opts.Links = func(context.Context, string) map[string]string { return map[string]string{} }
	}
	a := &api{svc: svc, opts: opts, digest: sha256.Sum256([]byte(opts.APIToken))}
	a.mux = http.NewServeMux()
	for _, rt := range []route{
		{"/api/v1/touchpoints", map[string]http.HandlerFunc{http.MethodPost: a.touch}},
		{"/api/v1/invites", map[string]http.HandlerFunc{http.MethodPost: a.invite}},
		{"/api/v1/invites/{token}/qr.png", map[string]http.HandlerFunc{http.MethodGet: a.inviteQR}},
		{"/api/v1/invites/{token}/card.svg", map[string]http.HandlerFunc{http.MethodGet: a.inviteCard}},
		{"/api/v1/customers/{ref}", map[string]http.HandlerFunc{http.MethodGet: a.customer, http.MethodDelete: a.eraseCustomer}},
		{"/api/v1/complaints", map[string]http.HandlerFunc{http.MethodGet: a.complaints}},
		{"/api/v1/digest", map[string]http.HandlerFunc{http.MethodGet: a.digestWeek}},
		{"/api/v1/answers", map[string]http.HandlerFunc{http.MethodGet: a.answers}},
	} {
		a.handle(rt)
	}
	a.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API route: "+r.URL.Path)
	})
	return a
}

// handle registers a route: "METHOD pattern" for each method (GET also answers HEAD), and
// the bare pattern, less specific, for any other method: 405 with Allow.
func (a *api) handle(rt route) {
	allow := make([]string, 0, len(rt.methods))
	for m, h := range rt.methods {
		a.mux.HandleFunc(m+" "+rt.pattern, h)
		allow = append(allow, m)
	}
	slices.Sort(allow)
	a.mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed; use "+strings.Join(allow, ", "))
	})
}

// ServeHTTP authenticates, then routes by path and method.
func (a *api) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if a.opts.APIToken == "" {
		writeError(w, http.StatusServiceUnavailable, "the API is disabled: set http.api_token")
		return
	}
	if !a.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="earshot"`)
		writeError(w, http.StatusUnauthorized, "missing or wrong bearer token (Authorization: Bearer <http.api_token>)")
		return
	}
	if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") { // /api/v1/touchpoints/ is the same route
		r = r.Clone(r.Context())
		r.URL.Path = strings.TrimSuffix(p, "/")
		r.URL.RawPath = ""
	}
	a.mux.ServeHTTP(w, r)
}

// authorized compares the bearer token with the configured one in constant time.
func (a *api) authorized(r *http.Request) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return subtle.ConstantTimeCompare(got[:], a.digest[:]) == 1
}

// fail answers a core error with the status its code maps to. Internal errors are logged
// with their detail and reach the client as one generic line.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := core.ErrorCode(err)
	status, ok := statusFor[code]
	if !ok || code == core.EINTERNAL {
		if r.Context().Err() == nil {
			a.opts.Log.Error("api: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		writeError(w, http.StatusInternalServerError, "internal error; the details are in the server log")
		return
	}
	writeError(w, status, core.ErrorMessage(err))
}

// statusFor maps core's error codes to HTTP statuses.
var statusFor = map[string]int{
	core.EINVALID:   http.StatusBadRequest,
	core.ENOTFOUND:  http.StatusNotFound,
	core.ECONFLICT:  http.StatusConflict,
	core.EFORBIDDEN: http.StatusForbidden,
	core.EINTERNAL:  http.StatusInternalServerError,
}
