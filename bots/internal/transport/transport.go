// Package transport builds the HTTP transport each platform adapter calls its API through:
// one per platform, tuned so that calls reuse connections instead of paying a TCP and TLS
// handshake each. Go's default keeps 2 idle connections per host, so 32 concurrent sends
// open a new connection for most calls; this one keeps at least as many idle connections
// as calls run at once, speaks HTTP/2 where the platform offers it (one connection then
// carries every call), and bounds each phase of a call that can hang.
package transport

import (
	"net"
	"net/http"
	"time"
)

// MinIdle is the fewest idle connections kept per host: above the delivery engine's 32
// concurrent sends, with room for the adapter's own calls (typing, answers to buttons).
const MinIdle = 64

// Options tune a transport; zero fields take the defaults.
type Options struct {
	// Concurrency is how many calls may run at once; the transport keeps at least that many
	// idle connections (and never fewer than MinIdle).
	Concurrency int
	// DialTimeout bounds connecting (default 10 s); TLSHandshakeTimeout the handshake
	// (default 10 s).
	DialTimeout         time.Duration
	TLSHandshakeTimeout time.Duration
	// IdleTimeout is how long an unused connection is kept (default 90 s).
	IdleTimeout time.Duration
}

// New returns a transport for one platform. Use one per platform for the life of the
// process, shared by every client of that platform. It sets no limit on a whole call: long
// polls (Telegram's getUpdates) wait on purpose; callers bound calls with their context or
// http.Client.Timeout.
func New(o Options) *http.Transport {
	idle := max(o.Concurrency, MinIdle)
	if o.DialTimeout <= 0 {
		o.DialTimeout = 10 * time.Second
	}
	if o.TLSHandshakeTimeout <= 0 {
		o.TLSHandshakeTimeout = 10 * time.Second
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 90 * time.Second
	}
	dialer := &net.Dialer{Timeout: o.DialTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true, // a custom dialer turns HTTP/2 off unless asked for
		MaxIdleConns:          2 * idle,
		MaxIdleConnsPerHost:   idle,
		IdleConnTimeout:       o.IdleTimeout,
		TLSHandshakeTimeout:   o.TLSHandshakeTimeout,
		ExpectContinueTimeout: time.Second,
	}
}
