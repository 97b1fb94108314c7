package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"

	"earshot/cmd/earshot/internal/httpapi"
)

// serveOn listens on addr and serves handler until the server is shut down, with serve's
// limits on slow or large requests.
func serveOn(log *slog.Logger, addr string, handler http.Handler) (*http.Server, net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("http: listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: httpReadHeaderTimeout, ReadTimeout: httpReadTimeout,
		WriteTimeout: httpWriteTimeout, IdleTimeout: httpIdleTimeout, MaxHeaderBytes: httpMaxHeaderBytes,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server stopped", "addr", addr, "err", err)
		}
	}()
	return srv, ln.Addr(), nil
}

// startMetrics serves /metrics alone on http.metrics_listen, when it is set.
func (h *httpServer) startMetrics(a *app) error {
	addr := h.cfg.HTTP.MetricsListen
	if addr == "" {
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", httpapi.Only(h.metrics.Handler(), http.MethodGet))
	mux.Handle("/", httpapi.NotFound("not found: this address serves only /metrics"))
	var err error
	if h.msrv, h.maddr, err = serveOn(a.log, addr, mux); err != nil {
		return err
	}
	a.log.Info("metrics listening", "addr", h.maddr.String())
	return nil
}

// inContainer reports whether this process seems to run in a container: Docker's
// /.dockerenv, Podman's /run/.containerenv, or a container runtime in its cgroup.
func inContainer() bool {
	for _, f := range []string{"/.dockerenv", "/run/.containerenv"} {
		if _, err := os.Stat(f); err == nil {
			return true
		}
	}
	cg, err := os.ReadFile("/proc/1/cgroup")
	if err != nil {
		return false
	}
	s := string(cg)
	return strings.Contains(s, "docker") || strings.Contains(s, "containerd") || strings.Contains(s, "kubepods") ||
		strings.Contains(s, "libpod")
}

// containerCheck is inContainer, replaceable in tests.
var containerCheck = inContainer

// warnLoopbackInContainer warns, loudly, when a container listens only on loopback:
// nothing outside it, not even `docker run -p`, can reach the port, yet its own health
// check (run inside) says healthy.
func warnLoopbackInContainer(log *slog.Logger, listen string) {
	host, _, err := net.SplitHostPort(listen)
	if err != nil || !isLoopback(host) || !containerCheck() {
		return
	}
	log.Warn("RUNNING IN A CONTAINER BUT LISTENING ON LOOPBACK ONLY: nothing outside the container can reach "+
		"the API or webhooks (docker run -p does not help); set http.listen to 0.0.0.0:8080", "http.listen", listen)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
