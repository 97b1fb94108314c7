package core

import (
	"context"
	"sync"
	"time"
)

// idleCheck bounds how long a loop sleeps with nothing due: a safety net only, since new
// work wakes the loops at once.
const idleCheck = time.Minute

// Run runs the due-work loop and the outbox deliverer until ctx is done. Each sleeps until
// its next due time and wakes at once when new work is committed. Work that fell due while
// the service was down is done at start.
func (s *Service) Run(ctx context.Context) error {
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
		s.loop(ctx, "outbox", s.wakeOutbox, func() (time.Time, bool, error) {
			if _, err := s.DeliverDue(ctx); err != nil {
				return time.Time{}, false, err
			}
			var t time.Time
			var ok bool
			err := s.store.View(ctx, func(tx Tx) error {
				var err error
				t, ok, err = tx.NextOutboxAt()
				return err
			})
			return t, ok, err
		})
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
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
	}
}
