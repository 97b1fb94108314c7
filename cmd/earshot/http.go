package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"earshot/cmd/earshot/internal/config"
	"earshot/cmd/earshot/internal/dashboard"
	"earshot/cmd/earshot/internal/httpapi"
	"earshot/cmd/earshot/internal/metrics"
	"earshot/core"
)

// Server limits. Webhooks and API bodies are small; a slow or stuck client is cut off.
const (
	httpReadHeaderTimeout = 5 * time.Second
	httpReadTimeout       = 15 * time.Second
	httpWriteTimeout      = 30 * time.Second
	httpIdleTimeout       = 2 * time.Minute
	httpMaxHeaderBytes    = 64 << 10
	healthTimeout         = 3 * time.Second
)

// httpServer is serve's HTTP side on http.listen:
//
//	/api/v1/…    the API (bearer token; see internal/httpapi)
//	GET /healthz the database (answers, takes writes), each adapter and delivery circuit; no auth, for load balancers and
//	             the container's HEALTHCHECK (earshot health)
//	GET /metrics Prometheus text, no auth, like most exporters. With http.metrics_listen
//	             set it is served only there, so the port webhooks need public does not
//	             expose it; otherwise it is here and the port must be kept private
//	POST /hooks/… the platforms' webhooks; each adapter verifies its own requests
//	/dashboard   the owners' page (a session from a one-time link; see internal/dashboard)
type httpServer struct {
	cfg     *config.Config
	metrics *metrics.Metrics
	srv     *http.Server
	addr    net.Addr
	// msrv serves /metrics alone on http.metrics_listen, when set.
	msrv  *http.Server
	maddr net.Addr
	// writes is what /healthz tries its write on; nil: the app's database. Tests put a
	// coretest.FailingStore around the real one.
	writes core.Store
}

func newHTTP(cfg *config.Config) (*httpServer, error) {
	return &httpServer{cfg: cfg, metrics: metrics.New()}, nil
}

// Observer returns the metrics observer the service reports to.
func (h *httpServer) Observer() core.Observer { return h.metrics }

// Start listens on http.listen and serves until Shutdown. With an empty http.listen there is
// no HTTP server.
func (h *httpServer) Start(a *app, hooks []core.WebhookRoute) error {
	b := versionInfo()
	h.metrics.Init(enabledPlatforms(h.cfg), b.Version, b.Revision, b.GoVersion)
	if err := h.metrics.Watch(a.svc, enabledPlatforms(h.cfg)); err != nil {
		return fmt.Errorf("http: metrics: %w", err)
	}
	if err := watchPool(h.metrics, a.db); err != nil {
		return fmt.Errorf("http: metrics: %w", err)
	}
	if err := h.startMetrics(a); err != nil {
		return err
	}
	if h.cfg.HTTP.Listen == "" {
		a.log.Info("http.listen is empty: no HTTP API, health or webhooks")
		return nil
	}
	handler, err := h.handler(a, hooks)
	if err != nil {
		return err
	}
	if h.srv, h.addr, err = serveOn(a.log, h.cfg.HTTP.Listen, handler); err != nil {
		return err
	}
	warnLoopbackInContainer(a.log, h.cfg.HTTP.Listen)
	api := "enabled"
	if h.cfg.HTTP.APIToken == "" {
		api = "disabled (set http.api_token)"
	}
	a.log.Info("http listening", "addr", h.addr.String(), "api", api, "webhooks", len(hooks))
	return nil
}

// handler builds the routes; Start serves them, tests call it directly.
func (h *httpServer) handler(a *app, hooks []core.WebhookRoute) (http.Handler, error) {
	mux := http.NewServeMux()
	mux.Handle("/api/", httpapi.New(a.svc, httpapi.Options{
		APIToken:     h.cfg.HTTP.APIToken,
		Log:          a.log,
		Platforms:    customerPlatforms(h.cfg),
		Notes:        inviteNotes(a),
		CardBusiness: a.set.Business.Name,
		CardLine:     cardLine(h.cfg),
		Links: func(ctx context.Context, token string) map[string]string {
			out := map[string]string{}
			for _, l := range inviteLinks(ctx, a, token) {
				out[l.platform] = l.link
			}
			return out
		},
	}))
	dash, err := dashboard.New(a.svc, dashboard.Options{Secure: strings.HasPrefix(h.cfg.HTTP.PublicURL, "https://"), Log: a.log})
	if err != nil {
		return nil, err
	}
	mux.Handle(dashboard.Prefix, dash)
	mux.Handle(dashboard.Prefix+"/", dash)
	mux.Handle("/healthz", httpapi.Only(h.health(a), http.MethodGet))
	if h.cfg.HTTP.MetricsListen == "" {
		mux.Handle("/metrics", httpapi.Only(h.metrics.Handler(), http.MethodGet))
	}
	for _, hk := range hooks {
		if !strings.HasPrefix(hk.Path, "/hooks/") {
			return nil, fmt.Errorf("http: webhook path %q must start with /hooks/", hk.Path)
		}
		mux.Handle(hk.Path, httpapi.Only(hk.Handler, http.MethodPost))
	}
	mux.Handle("/", httpapi.NotFound("not found: the routes are /api/v1/…, /healthz, /metrics and /hooks/…"))
	return httpapi.LogRequests(a.log, httpapi.Recover(a.log, mux)), nil
}

// healthReport is the body of /healthz. Status, Database and Platforms are the first
// version's shape; Adapters and Store were added after it.
type healthReport struct {
	Status    string            `json:"status"` // ok or unavailable
	Database  string            `json:"database"`
	Platforms map[string]string `json:"platforms"` // enabled platform → ok, or what is wrong
	// Adapters is each running adapter's own account of its connection.
	Adapters map[string]adapterHealth `json:"adapters,omitempty"`
	Store    storeHealth              `json:"store"`
}

type adapterHealth struct {
	State  core.AdapterState `json:"state"`
	Since  time.Time         `json:"since"`
	Reason string            `json:"reason,omitempty"`
}

// storeHealth is the result of the last write /healthz made (a one-row state update).
type storeHealth struct {
	Write        string    `json:"write"` // ok or failing
	Error        string    `json:"error,omitempty"`
	FailingSince time.Time `json:"failing_since,omitzero"`
}

// health answers 200 when the service can do its job, 503 when it cannot: the database
// does not answer or takes no writes, an enabled platform's delivery circuit is open, or
// every enabled platform refused our credentials. Reconnecting is reported, not fatal.
func (h *httpServer) health(a *app) http.Handler {
	mask := strings.NewReplacer(secretPairs(h.cfg)...)
	var mu sync.Mutex
	var failingSince time.Time
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
		defer cancel()
		rep := healthReport{Status: "ok", Database: "ok", Platforms: map[string]string{}, Store: storeHealth{Write: "ok"}}
		if err := a.db.Ping(ctx); err != nil {
			a.log.Warn("healthz: database does not answer", "err", err)
			rep.Status, rep.Database = "unavailable", "not answering"
		}
		if rep.Database == "ok" {
			var store core.Store = a.db
			if h.writes != nil {
				store = h.writes
			}
			err := writeProbe(ctx, store)
			mu.Lock()
			if err != nil {
				if failingSince.IsZero() {
					failingSince = time.Now().UTC()
				}
				a.log.Warn("healthz: the database takes no writes", "err", err)
				rep.Status, rep.Store = "unavailable", storeHealth{Write: "failing", Error: storeError(err), FailingSince: failingSince}
			} else {
				failingSince = time.Time{}
			}
			mu.Unlock()
		}
		enabled := enabledPlatforms(h.cfg)
		for _, p := range enabled {
			rep.Platforms[string(p)] = "ok"
		}
		refused := 0
		for _, ad := range a.adapters {
			sr, ok := ad.(core.StatusReporter)
			if !ok {
				continue
			}
			st := sr.Status()
			if rep.Adapters == nil {
				rep.Adapters = map[string]adapterHealth{}
			}
			p := string(ad.Platform())
			rep.Adapters[p] = adapterHealth{State: st.State, Since: st.Since.UTC(), Reason: mask.Replace(st.Reason)}
			switch st.State {
			case core.AdapterRefused:
				refused++
				rep.Platforms[p] = "credentials refused: " + mask.Replace(st.Reason)
			case core.AdapterReconnecting:
				rep.Platforms[p] = "reconnecting since " + st.Since.UTC().Format(time.RFC3339) + ": " + mask.Replace(st.Reason)
			case core.AdapterStarting:
				rep.Platforms[p] = "starting"
			}
			if standby(a, ad.Platform()) {
				rep.Platforms[p] = "standby: another replica holds " + adapterLeaseName(ad.Platform())
			}
		}
		if len(enabled) > 0 && refused == len(enabled) {
			rep.Status = "unavailable"
		}
		for p, why := range a.svc.Health() {
			rep.Status = "unavailable"
			rep.Platforms[string(p)] = "circuit open: " + mask.Replace(why)
		}
		status := http.StatusOK
		if rep.Status != "ok" {
			status = http.StatusServiceUnavailable
		}
		w.Header().Set("Cache-Control", "no-store")
		httpapi.WriteJSON(w, status, rep)
	})
}

// storeError says why a write failed in words fit for a health answer: no paths, no SQL.
func storeError(err error) string {
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "readonly") || strings.Contains(msg, "read-only") || strings.Contains(msg, "read only"):
		return "the database file is read-only"
	case strings.Contains(msg, "full"):
		return "the disk is full"
	case strings.Contains(msg, "locked") || strings.Contains(msg, "busy"):
		return "the database is locked"
	case errors.Is(err, context.DeadlineExceeded):
		return "a write did not finish in time"
	}
	return "writes fail"
}

// secretPairs returns old/new pairs that mask every configured secret, for text that leaves
// the process outside the logger (which masks on its own).
func secretPairs(cfg *config.Config) []string {
	var pairs []string
	for _, s := range cfg.Secrets() {
		if s != "" {
			pairs = append(pairs, s, config.Redacted)
		}
	}
	return pairs
}

// Shutdown stops taking requests and waits for those in flight.
func (h *httpServer) Shutdown(ctx context.Context) error {
	var errs []error
	for _, srv := range []*http.Server{h.srv, h.msrv} {
		if srv == nil {
			continue
		}
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("http: shutdown: %w", err))
		}
	}
	return errors.Join(errs...)
}
