package core

import (
	"context"
	"sync"
	"time"
)

// idleCheck bounds how long a loop sleeps with nothing due. Work committed by this process
// wakes the loops at once; this catches work another process committed (an operator's
// `earshot touch` while serve runs), cheaply: one indexed query.
const idleCheck = 2 * time.Second

// shutdownGrace is how long deliveries in flight may take to finish after shutdown starts.
const shutdownGrace = 10 * time.Second

// Run runs the due-work loop and the delivery engine until ctx is done. Each sleeps until
// its next due time and wakes at once when new work is committed. Work that fell due while
// the service was down is done at start, and messages claimed by a process that is gone go
// out at once (see OutboxStore); while it runs, ReclaimOutbox is called every aliveEvery, so
// that replicas on a shared database see this one alive and take over a stopped one's claims.
func (s *Service) Run(ctx context.Context) error {
	if err := s.schedulePrune(ctx); err != nil {
		return err
	}
	if _, err := s.ApplyStandardClock(ctx); err != nil {
		// The deadlines keep their old times; the loops must run all the same.
		s.log.Error("moving running deadlines to the standards clock failed", "err", err)
	}
	s.delivery.reclaim(ctx, true)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		s.loop(ctx, "due work", s.wakeJobs, func() (time.Time, bool, error) {
			if _, err := s.RunDue(ctx); err != nil {
				return time.Time{}, false, err
			}
			return s.nextJobAt(ctx)
		})
	}()
	stopAlive := s.delivery.keepAlive(ctx)
	go func() {
		defer wg.Done()
		defer stopAlive()
		s.delivery.run(ctx, false)
	}()
	wg.Wait()
	return nil
}

// loop calls step, then sleeps until the time it returns (or idleCheck), a wake-up, or the
// end of ctx.
func (s *Service) loop(ctx context.Context, name string, wake <-chan struct{}, step func() (time.Time, bool, error)) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-wake:
		}
		next, ok, err := step()
		wait := idleCheck
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			s.log.Error(name+" loop failed; trying again shortly", "err", err)
			wait = time.Second
		case ok:
			wait = min(max(next.Sub(s.clock.Now()), 0), idleCheck)
		}
		timer.Reset(wait)
	}
}
