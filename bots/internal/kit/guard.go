package kit

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"earshot/core"
)

// Guard hands inbound events to the core. One per adapter; safe for concurrent use.
//
// The core commits an event's effect before Handle returns nil, so an adapter confirms an
// event to its platform only once the guard says so (Outcome.Confirm). A coded error (a
// refusal for the person) is a handled event. An internal error — or a panic, which the
// guard turns into one — is retried in place, and what happens next depends on the store:
//
//   - Outage: the Handler is a core.Prober and its Probe fails: everything would fail. The
//     event is held, not counted, not confirmed; the guard waits with backoff (the adapter's
//     loop is blocked, so it stops polling or acknowledging) and probes until the store
//     answers, then retries the event. Nothing is skipped during an outage, however long.
//   - Poison: the store answers but this event keeps failing. After MaxAttempts attempts
//     (counted across redeliveries of the same event id) it is logged and skipped:
//     Outcome.Confirm with Skipped, so one bad event cannot block everything behind it.
//
// A Handler that cannot Probe gets the poison bound alone.
//
// When ctx ends first (shutdown, a webhook's deadline), Confirm is false: the adapter leaves
// the event unconfirmed for its platform to deliver again.
type Guard struct {
	h           core.Handler
	probe       core.Prober
	log         *slog.Logger
	backoff     Backoff
	maxAttempts int

	attempts *Cache[string, int] // failed attempts per event id, for the poison bound

	mu          sync.Mutex
	outageSince time.Time
}

// GuardOptions configure a Guard.
type GuardOptions struct {
	// MaxAttempts bounds the attempts at one event while the store answers; default 5.
	MaxAttempts int
	// Backoff paces the retries; default 200ms doubling to 30s.
	Backoff Backoff
}

// NewGuard returns a guard for h that logs to log.
func NewGuard(h core.Handler, log *slog.Logger, o GuardOptions) *Guard {
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 5
	}
	if o.Backoff.Base <= 0 {
		o.Backoff.Base = 200 * time.Millisecond
	}
	if o.Backoff.Max <= 0 {
		o.Backoff.Max = 30 * time.Second
	}
	g := &Guard{h: h, log: log, backoff: o.Backoff, maxAttempts: o.MaxAttempts, attempts: NewCache[string, int](4096)}
	g.probe, _ = h.(core.Prober)
	return g
}

// Outcome is what became of one event.
type Outcome struct {
	Resp core.Response
	// Err is Handle's last error: nil, a coded refusal, or the internal error of a skipped
	// (or, when not Confirm, unfinished) event.
	Err error
	// Confirm says the event may be confirmed to the platform: its effect is committed, it
	// was refused, or it was skipped as poison.
	Confirm bool
	// Skipped says the event was given up as poison.
	Skipped bool
}

// Reply is what to tell the person, in lang for the adapter's own words (see Refusal):
// nothing for success, the refusal's own words for a coded error, one polite line for an
// internal one.
func (o Outcome) Reply(t core.Texts, lang core.Lang) string { return Refusal(t, lang, o.Err) }

// Handle hands in to the core as described on Guard and returns when the event is handled,
// skipped, or ctx ends.
func (g *Guard) Handle(ctx context.Context, in core.Incoming) Outcome {
	for {
		resp, err := g.call(ctx, in)
		if err == nil || core.ErrorCode(err) != core.EINTERNAL {
			g.attempts.Delete(in.EventID)
			g.recovered()
			if err != nil {
				g.log.Info("request refused", "event", in.EventID, "code", core.ErrorCode(err), "err", err)
			}
			return Outcome{Resp: resp, Err: err, Confirm: true}
		}
		if ctx.Err() != nil {
			return Outcome{Resp: resp, Err: err}
		}
		if g.storeDown(ctx, err) {
			if !g.waitForStore(ctx) {
				return Outcome{Resp: resp, Err: err}
			}
			continue
		}
		n, _ := g.attempts.Get(in.EventID)
		n++
		g.attempts.Put(in.EventID, n)
		if n >= g.maxAttempts {
			g.attempts.Delete(in.EventID)
			g.log.Error("event skipped after repeated failures while the store answers (a poison event)",
				"event", in.EventID, "attempts", n, "err", err)
			return Outcome{Resp: resp, Err: err, Confirm: true, Skipped: true}
		}
		wait := g.backoff.Wait(n - 1)
		g.log.Warn("handling an event failed; retrying", "event", in.EventID, "attempt", n, "retry_in", wait, "err", err)
		if !Sleep(ctx, wait) {
			return Outcome{Resp: resp, Err: err}
		}
	}
}

// call is Handle with a panic turned into an internal error.
func (g *Guard) call(ctx context.Context, in core.Incoming) (resp core.Response, err error) {
	defer func() {
		if r := recover(); r != nil {
			g.log.Error("the handler panicked", "event", in.EventID, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("kit: handler panicked: %v", r)
		}
	}()
	return g.h.Handle(ctx, in)
}

// storeDown reports whether the store does not answer: the start or continuation of an
// outage. Without a Prober it cannot tell and says no.
func (g *Guard) storeDown(ctx context.Context, cause error) bool {
	if g.probe == nil {
		return false
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	perr := g.probe.Probe(pctx)
	if perr == nil {
		return false
	}
	g.mu.Lock()
	first := g.outageSince.IsZero()
	if first {
		g.outageSince = time.Now()
	}
	g.mu.Unlock()
	if first {
		g.log.Error("the store does not answer: holding events, confirming nothing, until it does",
			"err", cause, "probe", perr)
	}
	return true
}

// waitForStore backs off and probes until the store answers (true) or ctx ends (false).
func (g *Guard) waitForStore(ctx context.Context) bool {
	for attempt := 0; ; attempt++ {
		if !Sleep(ctx, g.backoff.Wait(attempt)) {
			return false
		}
		pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := g.probe.Probe(pctx)
		cancel()
		if err == nil {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
	}
}

// recovered ends an outage, if there was one.
func (g *Guard) recovered() {
	g.mu.Lock()
	since := g.outageSince
	g.outageSince = time.Time{}
	g.mu.Unlock()
	if !since.IsZero() {
		g.log.Info("the store answers again: events flow", "outage", time.Since(since).Round(time.Second).String())
	}
}

// Outage reports since when the store has not answered, if it has not.
func (g *Guard) Outage() (since time.Time, down bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.outageSince, !g.outageSince.IsZero()
}
