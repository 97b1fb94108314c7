package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"earshot/core"
	"earshot/storage/pgtest"
	"earshot/storage/postgres"
)

// cutLeaser is a real PostgreSQL store's leases behind a switch: once cut, every request
// fails, as when a replica loses the database (or hangs) and can no longer renew.
type cutLeaser struct {
	core.Leaser
	cut atomic.Bool
}

func (c *cutLeaser) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if c.cut.Load() {
		return false, errors.New("cut off from the database")
	}
	return c.Leaser.AcquireLease(ctx, name, holder, ttl)
}

func (c *cutLeaser) ReleaseLease(ctx context.Context, name, holder string) error {
	if c.cut.Load() {
		return errors.New("cut off from the database")
	}
	return c.Leaser.ReleaseLease(ctx, name, holder)
}

// exclusive counts the runs in progress across holders and remembers the most at once.
type exclusive struct {
	mu        sync.Mutex
	now, most int
	by        []string // holders, in the order they started running
}

func (e *exclusive) run(holder string) func(context.Context) error {
	return func(ctx context.Context) error {
		e.mu.Lock()
		e.now++
		e.most = max(e.most, e.now)
		e.by = append(e.by, holder)
		e.mu.Unlock()
		<-ctx.Done()
		e.mu.Lock()
		e.now--
		e.mu.Unlock()
		return nil
	}
}

func (e *exclusive) snapshot() (now, most int, by []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now, e.most, append([]string(nil), e.by...)
}

// TestSingletonLeaseRace races two holders for one lease on a real PostgreSQL (timing
// shortened a hundredfold from serve's): one runs, the other stands by; when the holder is
// cut off from the database it stops before its lease ends and the other takes over; a clean
// stop releases the lease so the other takes it at its next ask. Never two run at once.
func TestSingletonLeaseRace(t *testing.T) {
	db, err := postgres.Open(context.Background(), pgtest.Database(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	timing := leaseTiming{ttl: 600 * time.Millisecond, renew: 100 * time.Millisecond, margin: 200 * time.Millisecond}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var ex exclusive
	leasers := map[string]*cutLeaser{"a": {Leaser: db}, "b": {Leaser: db}, "c": {Leaser: db}}
	sgs := map[string]*singleton{}
	for h, l := range leasers {
		sgs[h] = &singleton{name: "adapter:telegram", holder: h, leaser: l, run: ex.run(h), timing: timing, log: log}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	stops := map[string]context.CancelFunc{}
	for _, h := range []string{"a", "b"} {
		hctx, stop := context.WithCancel(ctx)
		stops[h] = stop
		wg.Go(func() {
			if err := sgs[h].Run(hctx); err != nil {
				t.Errorf("%s: %v", h, err)
			}
		})
	}
	waitUntil(t, 10*time.Second, "a first holder", func() bool { n, _, _ := ex.snapshot(); return n == 1 })
	_, _, by := ex.snapshot()
	first, second := by[0], map[string]string{"a": "b", "b": "a"}[by[0]]
	if !sgs[first].Held() || sgs[second].Held() {
		t.Fatalf("held: %s %v, %s %v", first, sgs[first].Held(), second, sgs[second].Held())
	}

	// The holder loses the database: it stops running, and the other takes over once the
	// lease has ended.
	leasers[first].cut.Store(true)
	waitUntil(t, 10*time.Second, second+" takes over", func() bool { _, _, by := ex.snapshot(); return len(by) == 2 })
	if _, _, by := ex.snapshot(); by[1] != second {
		t.Fatalf("runs started by %v, want %s then %s", by, first, second)
	}
	// The first, back on the database, finds the lease taken and stands by.
	leasers[first].cut.Store(false)
	time.Sleep(3 * timing.ttl)
	if now, _, by := ex.snapshot(); now != 1 || len(by) != 2 || sgs[first].Held() {
		t.Fatalf("after the first came back: %d running, runs by %v, first holds: %v", now, by, sgs[first].Held())
	}

	// A clean stop releases the lease: a third holder, asking, takes it.
	wg.Go(func() {
		if err := sgs["c"].Run(ctx); err != nil {
			t.Errorf("c: %v", err)
		}
	})
	stops[first]()
	stops[second]()
	waitUntil(t, 10*time.Second, "c takes over after the clean stop", func() bool { _, _, by := ex.snapshot(); return len(by) == 3 })
	cancel()
	wg.Wait()
	if _, most, by := ex.snapshot(); most != 1 || by[2] != "c" {
		t.Fatalf("most at once %d (want 1), runs by %v", most, by)
	}
}

// TestSingletonWithoutLeaser runs the adapter at once when the store has no leases (SQLite:
// one process), and reports it held while it runs.
func TestSingletonWithoutLeaser(t *testing.T) {
	var held []bool
	var mu sync.Mutex
	ran := make(chan struct{})
	s := &singleton{name: "adapter:telegram", holder: "x", timing: defaultLeaseTiming,
		log:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		run:    func(ctx context.Context) error { close(ran); <-ctx.Done(); return nil },
		report: func(_ string, h bool) { mu.Lock(); held = append(held, h); mu.Unlock() }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	<-ran
	if !s.Held() {
		t.Fatal("not held while running without a leaser")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(held) < 2 || !held[len(held)-2] || held[len(held)-1] {
		t.Fatalf("reported %v, want …true, false", held)
	}
}
