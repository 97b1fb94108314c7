package kittest

import (
	"io"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// FloodResult is what a forged-webhook flood cost the process it ran in.
type FloodResult struct {
	PeakHeapGrowth uint64      // the highest HeapAlloc seen, minus HeapAlloc before
	Statuses       map[int]int // answers by status code; 0 counts requests that failed outright
}

// Flood sends n concurrent POSTs of bodySize bytes each to url, with the headers hdr sets,
// and samples the heap meanwhile. The bodies are streamed without a Content-Length, so a
// server learns their size only by reading them. It is for tests and benchmarks of webhook
// endpoints.
func Flood(url string, n int, bodySize int64, hdr func(http.Header)) FloodResult {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: n, MaxIdleConnsPerHost: n}}
	var mu sync.Mutex
	res := FloodResult{Statuses: map[int]int{}}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, url, io.NopCloser(io.LimitReader(zeros{}, bodySize)))
			hdr(req.Header)
			code := 0
			if resp, err := client.Do(req); err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				code = resp.StatusCode
			}
			mu.Lock()
			res.Statuses[code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	close(stop)
	<-sampled
	client.CloseIdleConnections()
	if p := peak.Load(); p > before.HeapAlloc {
		res.PeakHeapGrowth = p - before.HeapAlloc
	}
	return res
}

// zeros reads as an endless run of 'a'.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}
