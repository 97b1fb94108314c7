package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	neturl "net/url"
	"slices"
	"strings"
	"time"
)

// cmdHealth asks a running serve for GET /healthz and succeeds when it answers 200: the
// container's HEALTHCHECK, since the image has no curl.
func cmdHealth(ctx context.Context, e *env, args []string) error {
	fs, path := flags("health", e)
	url := fs.String("url", "", "the service's base `URL` (http://127.0.0.1:8080) or its full /healthz URL (default: http.listen)")
	timeout := fs.Duration("timeout", 5*time.Second, "give up after this long")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *url == "" {
		cfg, err := loadConfig(ctx, *path)
		if err != nil {
			return err
		}
		if cfg.HTTP.Listen == "" {
			return fmt.Errorf("health: http.listen is empty, so serve runs no HTTP server to ask")
		}
		if *url, err = healthURL(cfg.HTTP.Listen); err != nil {
			return err
		}
	}
	target, err := healthTarget(*url)
	if err != nil {
		return err
	}
	*url = target
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s answered %s: %s", *url, resp.Status, healthReason(body))
	}
	fmt.Fprintln(e.stdout, "ok")
	return nil
}

// healthTarget accepts the service's base URL ("http://127.0.0.1:8080", with or without a
// trailing slash or a path prefix from a proxy) or the full /healthz URL, and returns the
// /healthz URL to ask.
func healthTarget(raw string) (string, error) {
	u, err := neturl.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("health: --url %q is not an http(s) URL (like http://127.0.0.1:8080)", raw)
	}
	if !strings.HasSuffix(u.Path, "/healthz") {
		u.Path = strings.TrimRight(u.Path, "/") + "/healthz"
	}
	return u.String(), nil
}

// healthURL turns http.listen into the URL to ask: a wildcard host (":8080",
// "0.0.0.0:8080", "[::]:8080") is asked on the loopback address.
func healthURL(listen string) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("health: http.listen %q: %w", listen, err)
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}

// healthReason shortens an unhealthy /healthz answer to one line.
func healthReason(body []byte) string {
	var rep healthReport
	if json.Unmarshal(body, &rep) == nil && rep.Status != "" {
		parts := []string{"database " + rep.Database}
		for _, p := range slices.Sorted(maps.Keys(rep.Platforms)) {
			if s := rep.Platforms[p]; s != "ok" {
				parts = append(parts, p+" "+s)
			}
		}
		return strings.Join(parts, "; ")
	}
	return strings.TrimSpace(short(string(body), 200))
}
