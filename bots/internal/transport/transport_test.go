package transport

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// countingServer counts the TCP connections its clients open.
func countingServer(t *testing.T, tls bool) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.Proto)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	if tls {
		srv.EnableHTTP2 = true
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, &conns
}

// call makes rounds of concurrent GETs and returns the protocols answered.
func call(t *testing.T, c *http.Client, url string, concurrent, rounds int) map[string]int {
	t.Helper()
	var mu sync.Mutex
	protos := map[string]int{}
	for range rounds {
		var wg sync.WaitGroup
		for range concurrent {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := c.Get(url)
				if err != nil {
					t.Error(err)
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				mu.Lock()
				protos[string(b)]++
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	return protos
}

// TestConnectionsReused: 32 calls at a time, 20 times over, open at most 32 connections —
// each reused for the later rounds — where Go's default transport keeps only 2 per host
// and opens new ones round after round.
func TestConnectionsReused(t *testing.T) {
	const concurrent, rounds = 32, 20
	srv, conns := countingServer(t, false)
	call(t, &http.Client{Transport: New(Options{Concurrency: concurrent})}, srv.URL, concurrent, rounds)
	if n := conns.Load(); n > concurrent {
		t.Fatalf("%d connections for %d calls, %d at a time; want at most %d", n, concurrent*rounds, concurrent, concurrent)
	}

	def, defConns := countingServer(t, false)
	call(t, &http.Client{Transport: &http.Transport{}}, def.URL, concurrent, rounds)
	if n := defConns.Load(); n <= 2*concurrent {
		t.Fatalf("the default transport opened only %d connections: the comparison shows nothing", n)
	}
}

// TestHTTP2WhereOffered: against a server offering HTTP/2 over TLS, every call speaks it,
// over the one connection the first call opened.
func TestHTTP2WhereOffered(t *testing.T) {
	srv, conns := countingServer(t, true)
	tr := New(Options{})
	tr.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	c := &http.Client{Transport: tr}
	call(t, c, srv.URL, 1, 1)
	protos := call(t, c, srv.URL, 16, 5)
	if protos["HTTP/2.0"] != 80 {
		t.Fatalf("protocols = %v; want HTTP/2.0 for all 80 calls", protos)
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("%d connections; want 1 carrying every call", n)
	}
}

func TestDefaults(t *testing.T) {
	tr := New(Options{Concurrency: 100})
	if tr.MaxIdleConnsPerHost != 100 || tr.IdleConnTimeout == 0 || tr.TLSHandshakeTimeout == 0 || !tr.ForceAttemptHTTP2 {
		t.Fatalf("transport = %+v", tr)
	}
	if New(Options{}).MaxIdleConnsPerHost != MinIdle {
		t.Fatal("fewer idle connections than MinIdle")
	}
}
