package core

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// The delivery engine: one scheduler goroutine and a pool of senders.
//
// The scheduler alone holds the waiting messages: those claimed from the store and not yet
// handed to a sender. Each time round it claims more while fewer than window are waiting or
// in flight (the store hands out a chat's oldest message only, most urgent class first), then
// hands messages to idle senders: of the waiting messages that their platform's and their
// chat's limits allow now, the most urgent class, oldest first — except that after
// starveAfter such choices passed a less urgent one over, the oldest of those goes, so bulk
// always gets a share. The pacer records the instant of each hand-over in both limits. When
// nothing may go, the scheduler sleeps until the first instant something may, until new
// work is committed (wake), or until a sender finishes. A handed-over message counts
// against the limits as sent now until its sender notes the instant it really starts.
//
// Senders only send: they take a message, call the platform, record the outcome in the
// store and report back. A message waiting for its turn holds no sender, so a chat that
// must wait never slows the others, and the instant the limiter recorded is the instant the
// platform sees (give or take a goroutine's start).
//
// Order within a chat needs no locking here: the store hands out a chat's next message only
// after the outcome of the one before is recorded, so at most one message per chat is
// waiting or in flight.
//
// The engine's other state — holds (a platform-wide 429, an open circuit) and counts of
// refused credentials — is read by the senders and the scheduler, and guarded by mu.
type deliverer struct {
	store      Store
	clock      Clock
	log        *slog.Logger
	obs        Observer
	messengers map[Platform]Messenger
	random     func(int64) int64
	instance   string // names this process's claims
	senders    int
	pacer      *pacer
	wake       chan struct{}
	// unreachable is the rules' answer to a platform refusing a customer for good.
	unreachable func(tx Tx, contactID int64, reason string, now time.Time) error

	mu        sync.Mutex
	holds     map[Platform]time.Time // platform-wide rate limits and open circuits
	authFails map[Platform]int
	circuit   map[Platform]string // why sends to a platform are stopped
}

// starveAfter is how many sends in a row a less urgent waiting message may be passed over
// before it goes: bulk keeps at least 1/(starveAfter+1) of a busy platform's budget.
const starveAfter = 4

// item is a claimed message with what its delivery needs.
type item struct {
	m OutboxMessage
	d Delivery
}

// window is how many messages may be waiting or in flight at once.
func (d *deliverer) window() int { return max(2*d.senders, 8) }

// run delivers until ctx is done or, when drain is set, until nothing claimable is left; it
// returns how many messages it handled. Waiting stops with ctx; a send in flight gets
// shutdownGrace more to finish. Messages claimed and not sent are released.
func (d *deliverer) run(ctx context.Context, drain bool) int {
	sendCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(shutdownGrace, cancel) })
	defer stop()

	work := make(chan *item)
	done := make(chan struct{}, d.senders)
	var wg sync.WaitGroup
	for range d.senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				d.send(sendCtx, it)
				done <- struct{}{}
			}
		}()
	}
	s := &scheduler{d: d, passed: map[Platform]int{}}
	defer func() {
		close(work)
		wg.Wait()
		d.releaseAll(s.waiting)
	}()

	idle, handled := d.senders, 0
	timer := time.NewTimer(0)
	defer timer.Stop()
	var paceAt time.Time // the instant the timer was set for, when pacing set it
	for {
		fired := false
		select {
		case <-ctx.Done():
			return handled
		case <-timer.C:
			fired = true
		case <-d.wake:
		case <-done:
			idle++
			handled++
		}
		for more := true; more; { // count every send that finished meanwhile
			select {
			case <-done:
				idle++
				handled++
			default:
				more = false
			}
		}
		clock := d.clock.Now()
		now := clock
		if fired { // its instant has come, also on a clock that tests move by hand
			now = later(now, paceAt)
		}
		wait := idleCheck
		claimed, failed := false, false
		if room := d.window() - len(s.waiting) - (d.senders - idle); room > 0 {
			ready, finished, err := d.claim(ctx, clock, room, !s.hasBulk())
			if err != nil && ctx.Err() == nil {
				d.log.Error("outbox: claim failed; trying again shortly", "err", err)
				wait, failed = time.Second, true
			}
			s.waiting = append(s.waiting, ready...)
			handled += finished
			claimed = len(ready)+finished > 0
		}
		// Claiming took a while: decide, and record, at the instant of each hand-over.
		for idle > 0 {
			now = later(d.clock.Now(), now)
			it, ok := s.next(now)
			if !ok {
				break
			}
			idle--
			work <- it
		}
		if drain && !claimed && len(s.waiting) == 0 && idle == d.senders {
			return handled
		}
		paceAt = time.Time{}
		// A waiting message sets the timer to its instant even past idleCheck (a Telegram
		// chat's window is 2 s and a margin): on a clock that tests move by hand the
		// instant comes only when the timer fires for it.
		if at, ok := s.first(now); ok {
			wait, paceAt = max(at.Sub(now), 0), at
		}
		if !failed && len(s.waiting)+d.senders-idle < d.window() {
			if due, ok, _ := d.nextOutboxAt(ctx); ok {
				if w := max(due.Sub(clock), 0); w < wait {
					wait, paceAt = w, time.Time{}
				}
			}
		}
		if wait == 0 && idle == 0 {
			wait = idleCheck // every sender busy: a finishing one wakes us
		}
		timer.Reset(wait)
	}
}

// scheduler chooses among the waiting messages; only the run loop's goroutine uses it.
type scheduler struct {
	d       *deliverer
	waiting []*item
	passed  map[Platform]int // sends in a row that passed a less urgent message over
}

// next removes and returns the message to send now, recording the instant, if any may go.
func (s *scheduler) next(now time.Time) (*item, bool) {
	// Per platform (each has its own budget): the best ready message, and the oldest ready
	// one less urgent than it.
	type choice struct{ best, low int }
	byPlatform := map[Platform]*choice{}
	for i, it := range s.waiting {
		if !s.ready(it, now) {
			continue
		}
		c := byPlatform[it.m.To.Platform]
		if c == nil {
			byPlatform[it.m.To.Platform] = &choice{best: i, low: -1}
		} else if s.before(i, c.best) {
			c.best = i
		}
	}
	pick, pickLow := -1, false
	for p, c := range byPlatform {
		best := s.waiting[c.best].m.Class.orTeam()
		for i, it := range s.waiting {
			if it.m.To.Platform == p && it.m.Class.orTeam() > best &&
				(c.low < 0 || it.m.ID < s.waiting[c.low].m.ID) && s.ready(it, now) {
				c.low = i
			}
		}
		chosen, low := c.best, false
		if c.low >= 0 && s.passed[p] >= starveAfter {
			chosen, low = c.low, true
		}
		if pick < 0 || s.before(chosen, pick) {
			pick, pickLow = chosen, low
		}
	}
	if pick < 0 {
		return nil, false
	}
	it := s.waiting[pick]
	p := it.m.To.Platform
	switch {
	case byPlatform[p].low < 0 || pickLow:
		s.passed[p] = 0
	default:
		s.passed[p]++
	}
	s.waiting = append(s.waiting[:pick], s.waiting[pick+1:]...)
	s.d.pacer.record(it.m.To, it.m.DM, now)
	return it, true
}

// hasBulk reports whether a bulk or cosmetic message is waiting.
func (s *scheduler) hasBulk() bool {
	for _, it := range s.waiting {
		if it.m.Class.orTeam() >= ClassBulk {
			return true
		}
	}
	return false
}

func (s *scheduler) ready(it *item, now time.Time) bool {
	return !s.d.holdUntil(it.m.To.Platform).After(now) &&
		!s.d.pacer.earliest(it.m.To, it.m.DM, it.m.Class, now).After(now)
}

// before orders waiting messages: the more urgent class first, then the older.
func (s *scheduler) before(i, j int) bool {
	a, b := s.waiting[i].m, s.waiting[j].m
	if a.Class.orTeam() != b.Class.orTeam() {
		return a.Class.orTeam() < b.Class.orTeam()
	}
	return a.ID < b.ID
}

// first returns the first instant at which a waiting message may go. Messages of a held
// platform are given back to the store until the hold ends, so they take no room.
func (s *scheduler) first(now time.Time) (time.Time, bool) {
	var at time.Time
	keep := s.waiting[:0]
	var held []*item
	for _, it := range s.waiting {
		if h := s.d.holdUntil(it.m.To.Platform); h.After(now) {
			held = append(held, it)
			continue
		}
		keep = append(keep, it)
		if t := s.d.pacer.earliest(it.m.To, it.m.DM, it.m.Class, now); at.IsZero() || t.Before(at) {
			at = t
		}
	}
	s.waiting = keep
	for _, it := range held {
		s.d.giveBack(it, s.d.holdUntil(it.m.To.Platform), "held")
	}
	return at, !at.IsZero()
}

func (d *deliverer) nextOutboxAt(ctx context.Context) (t time.Time, ok bool, err error) {
	err = d.store.View(ctx, func(tx Tx) error {
		t, ok, err = tx.NextOutboxAt()
		return err
	})
	return t, ok, err
}

// Wake tells the engine to look at the outbox again now.
func (d *deliverer) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}
