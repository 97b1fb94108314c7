package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"earshot/cmd/earshot/internal/config"
	"earshot/core"
)

// httpServer is serve's HTTP side: API, health, metrics and the platforms' webhooks.
type httpServer struct {
	cfg *config.Config
	srv *http.Server
}

func newHTTP(cfg *config.Config) (*httpServer, error) { return &httpServer{cfg: cfg}, nil }

// Observer returns the metrics observer the service reports to.
func (h *httpServer) Observer() core.Observer { return nil }

// Start listens on http.listen and serves until Shutdown.
func (h *httpServer) Start(a *app, hooks []hook) error {
	if h.cfg.HTTP.Listen == "" {
		return nil
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := a.db.Ping(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	for _, hk := range hooks {
		mux.Handle("POST "+hk.path, hk.handler)
	}
	ln, err := net.Listen("tcp", h.cfg.HTTP.Listen)
	if err != nil {
		return err
	}
	h.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := h.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("http server stopped", "err", err)
		}
	}()
	return nil
}

// Shutdown stops taking requests and waits for those in flight.
func (h *httpServer) Shutdown(ctx context.Context) error {
	if h.srv == nil {
		return nil
	}
	return h.srv.Shutdown(ctx)
}
