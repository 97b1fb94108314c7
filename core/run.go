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

// Run runs the due-work loop and the outbox deliverer until ctx is done. Each sleeps until
// its next due time and wakes at once when new work is committed. Work that fell due while
// the service was down is done at start.
func (s *Service) Run(ctx context.Context) error {
	if err := s.schedulePrune(ctx); err != nil {
		return err
	}
	if _, err := s.ApplyStandardClock(ctx); err != nil {
		// The deadlines keep their old times; the loops must run all the same.
		s.log.Error("moving running deadlines to the standards clock failed", "err", err)
	}
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
	go func() {
		defer wg.Done()
		s.dispatch(ctx)
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
		timer.Reset(wait) // since Go 1.23 a Reset timer never delivers a stale tick
	}
}

// shutdownGrace is how long deliveries in flight may take to finish after shutdown starts.
const shutdownGrace = 10 * time.Second

// dispatch delivers the outbox until ctx is done: it keeps up to Workers deliveries in
// flight, each waiting for its own pacing, and claims more as soon as one finishes, when new
// work is committed, or when the next message falls due. A chat that is slow or limited
// holds one slot at most, never the others.
func (s *Service) dispatch(ctx context.Context) {
	sendCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(shutdownGrace, cancel) })
	defer stop()

	done := make(chan struct{}, s.workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	inflight := 0
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-s.wakeOutbox:
		case <-done:
			inflight--
		}
		for drained := false; !drained; { // count every delivery that finished meanwhile
			select {
			case <-done:
				inflight--
			default:
				drained = true
			}
		}
		wait := idleCheck
		if free := s.workers - inflight; free > 0 {
			batch, err := s.claim(ctx, free)
			if err != nil && ctx.Err() == nil {
				s.log.Error("outbox: claim failed; trying again shortly", "err", err)
				wait = time.Second
			}
			for _, m := range batch {
				inflight++
				wg.Add(1)
				go func() {
					defer wg.Done()
					s.deliverPaced(ctx, sendCtx, m)
					done <- struct{}{}
				}()
			}
		}
		if next, ok, err := s.nextOutboxAt(ctx); err == nil && ok {
			wait = min(max(next.Sub(s.clock.Now()), 0), wait)
		}
		if wait == 0 && inflight >= s.workers {
			wait = idleCheck // every slot busy: a finishing delivery wakes us
		}
		timer.Reset(wait)
	}
}

func (s *Service) nextOutboxAt(ctx context.Context) (t time.Time, ok bool, err error) {
	err = s.store.View(ctx, func(tx Tx) error {
		t, ok, err = tx.NextOutboxAt()
		return err
	})
	return t, ok, err
}
