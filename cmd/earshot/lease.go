package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"earshot/core"
)

// Lease timing for singleton adapters (core.Singleton). A holder renews every leaseRenew;
// a standby asks as often. When the holder dies, its lease ends at most leaseTTL after its
// last renewal and a standby takes it at its next ask: takeover within leaseTTL+leaseRenew
// (13 s). A holder that cannot renew stops its adapter leaseMargin before the lease could
// end, measured from before the renewal it last got, so two replicas never run it at once
// (the database's clock decides expiry; only the two clocks' rates need to agree).
const (
	leaseTTL    = 10 * time.Second
	leaseRenew  = 3 * time.Second
	leaseMargin = 2 * time.Second
)

// leaseTiming is a singleton's lease timing; tests shorten it.
type leaseTiming struct{ ttl, renew, margin time.Duration }

var defaultLeaseTiming = leaseTiming{ttl: leaseTTL, renew: leaseRenew, margin: leaseMargin}

// singleton runs one function (an adapter's Run) only while this process holds a named
// lease. With no Leaser (SQLite: one process) the lease is trivially held.
type singleton struct {
	name   string
	holder string
	leaser core.Leaser // nil: always held
	run    func(context.Context) error
	timing leaseTiming
	log    *slog.Logger
	// report, when set, hears every change of ownership (the earshot_lease_held gauge).
	report func(name string, held bool)
	held   atomic.Bool
}

// Held reports whether this process holds the lease now.
func (s *singleton) Held() bool { return s.held.Load() }

func (s *singleton) setHeld(v bool) {
	s.held.Store(v)
	if s.report != nil {
		s.report(s.name, v)
	}
}

// Run takes the lease when it can and runs s.run while it holds it, until ctx ends; then it
// stops s.run, waits for it and releases the lease, so another replica takes it at once.
// When a renewal is refused, or none succeeds in time, it stops s.run and asks again.
func (s *singleton) Run(ctx context.Context) error {
	s.setHeld(false)
	if s.leaser == nil {
		s.setHeld(true)
		defer s.setHeld(false)
		return s.run(ctx)
	}
	announced := false
	for {
		asked := time.Now()
		ok, err := s.leaser.AcquireLease(ctx, s.name, s.holder, s.timing.ttl)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			s.log.Warn("lease: cannot ask for it", "lease", s.name, "err", err)
		case ok:
			announced = false
			if err := s.hold(ctx, asked); err != nil {
				return err
			}
			if ctx.Err() != nil {
				return nil
			}
		case !announced:
			announced = true
			s.log.Info("lease: held by another replica; standing by", "lease", s.name)
		}
		if !sleepCtx(ctx, s.timing.renew) {
			return nil
		}
	}
}

// hold runs s.run under the lease just taken (asked is when that request left) and renews
// it until ctx ends or the lease is lost; it returns once s.run has returned.
func (s *singleton) hold(ctx context.Context, asked time.Time) error {
	s.log.Info("lease: taken; running", "lease", s.name, "holder", s.holder)
	s.setHeld(true)
	defer s.setHeld(false)
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- s.run(runCtx) }()
	deadline := asked.Add(s.timing.ttl - s.timing.margin)
	tick := time.NewTicker(s.timing.renew)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			// Run gave up on its own (it cannot run with its options): nothing to hold for.
			s.release()
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			return nil
		case <-ctx.Done():
			stop()
			<-done
			s.release()
			return nil
		case <-tick.C:
		case <-time.After(time.Until(deadline)):
		}
		if !time.Now().Before(deadline) {
			s.log.Error("lease: not renewed in time; stopping until it is taken again", "lease", s.name)
			stop()
			<-done
			return nil
		}
		// A renewal that hangs (the database unreachable) must not outlast the deadline.
		asked := time.Now()
		rctx, cancel := context.WithDeadline(ctx, deadline)
		ok, err := s.leaser.AcquireLease(rctx, s.name, s.holder, s.timing.ttl)
		cancel()
		switch {
		case ctx.Err() != nil:
			// Stopping: the case above ends the run and releases.
		case err != nil:
			s.log.Warn("lease: renewal failed; retrying", "lease", s.name, "err", err)
		case !ok:
			s.log.Error("lease: lost to another replica; stopping", "lease", s.name)
			stop()
			<-done
			return nil
		default:
			deadline = asked.Add(s.timing.ttl - s.timing.margin)
		}
	}
}

// release gives the lease up on a clean stop, with its own short deadline since ctx is over.
func (s *singleton) release() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.leaser.ReleaseLease(ctx, s.name, s.holder); err != nil {
		s.log.Warn("lease: release", "lease", s.name, "err", err)
	}
}

// sleepCtx waits d or until ctx ends, and reports whether ctx is still going.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// leaseHolder names this process among the replicas: host, pid and a random part, so a
// restarted process with a reused pid is another holder.
func leaseHolder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// adapterLeaseName is the lease a singleton adapter runs under.
func adapterLeaseName(p core.Platform) string { return "adapter:" + string(p) }

// runnerFor returns what serve runs for ad: its Run, or, for a singleton adapter, a
// singleton over it under the store's lease (trivially held when the store has none).
func runnerFor(ad adapter, db core.Store, holder string, log *slog.Logger, report func(string, bool)) (func(context.Context) error, *singleton) {
	if sg, ok := ad.(core.Singleton); !ok || !sg.Singleton() {
		return ad.Run, nil
	}
	leaser, _ := db.(core.Leaser)
	s := &singleton{name: adapterLeaseName(ad.Platform()), holder: holder, leaser: leaser, run: ad.Run,
		timing: defaultLeaseTiming, log: log, report: report}
	return s.Run, s
}

// standby reports whether p's adapter is a singleton another replica runs now.
func standby(a *app, p core.Platform) bool {
	for _, s := range a.leases {
		if s.name == adapterLeaseName(p) {
			return !s.Held()
		}
	}
	return false
}
