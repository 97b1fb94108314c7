package core

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Delivery policy: backoff is exponential with full jitter.
const (
	backoffBase   = time.Second
	backoffCap    = 5 * time.Minute
	authFailLimit = 3               // consecutive unauthorized sends that open a platform's circuit
	circuitPause  = 5 * time.Minute // how long an open circuit holds before one more try
)

// DeliverDue delivers the outbox messages that may go now — in parallel across chats, in
// order within one, paced and by class as serve does, waiting for the pacing where it must —
// and returns how many were handled once nothing more is due. Claims left by processes that
// are gone are taken over first when the store can tell (see OutboxStore).
func (s *Service) DeliverDue(ctx context.Context) (int, error) {
	s.delivery.reclaim(ctx, false)
	stop := s.delivery.keepAlive(ctx)
	n := s.delivery.run(ctx, true)
	stop()
	return n, ctx.Err()
}

// aliveEvery is how often a delivering instance calls ReclaimOutbox after the first time: on
// a database shared by several processes that is how it shows it is alive (PostgreSQL takes
// over the claims of an instance not heard from for 10 s), and how it takes over the claims
// of one that stopped.
const aliveEvery = 3 * time.Second

// keepAlive calls reclaim every aliveEvery until the returned stop is called — not when ctx
// ends, since sends in flight may finish after that — and waits for it to finish.
func (d *deliverer) keepAlive(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(aliveEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				d.reclaim(ctx, false)
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// reclaim takes over the claims of instances that are gone. loud says whether a store that
// cannot tell is worth a log line (serve) or not (a one-off command).
func (d *deliverer) reclaim(ctx context.Context, loud bool) {
	var n int
	err := d.store.Update(ctx, func(tx Tx) error {
		var err error
		n, err = tx.ReclaimOutbox(d.instance)
		return err
	})
	switch {
	case ErrorCode(err) == ECONFLICT:
		if loud {
			d.log.Info("outbox: claims of earlier processes are left alone: " + ErrorMessage(err))
		}
	case err != nil && ctx.Err() != nil:
	case err != nil:
		d.log.Error("outbox: taking over the claims of a stopped process failed", "err", err)
	case n > 0:
		d.log.Info("outbox: took over the messages a stopped process had claimed", "messages", n)
	}
}

// claim claims up to limit due messages for this instance, most urgent first, and prepares
// them: in the same transaction it looks up what they need before they can go (the platform
// ids of the messages they edit or thread under) and settles those that cannot go — no
// messenger for the platform, a recipient known to be unreachable, a reference never
// delivered. It returns the rest and how many it settled. When bulk is wanted (none is
// waiting), one place goes to the most urgent of bulk and cosmetic, so that replies coming
// all the time never keep bulk out of the engine.
func (d *deliverer) claim(ctx context.Context, now time.Time, limit int, wantBulk bool) ([]*item, int, error) {
	var items []*item
	var dead []OutboxMessage
	err := d.store.Update(ctx, func(tx Tx) error {
		items, dead = nil, nil // fn may run again (a store may retry a transaction)
		var batch []OutboxMessage
		rest := limit
		if wantBulk {
			bulk, err := tx.ClaimOutbox(now, d.instance, ClassBulk, 1)
			if err != nil {
				return err
			}
			batch, rest = bulk, rest-len(bulk)
		}
		if rest > 0 {
			more, err := tx.ClaimOutbox(now, d.instance, ClassReply, rest)
			if err != nil {
				return err
			}
			batch = append(batch, more...)
		}
		for _, m := range batch {
			it := &item{m: m, d: Delivery{ID: m.ID, To: m.To, DM: m.DM, Message: m.Message}}
			why, err := d.check(tx, it)
			if err != nil {
				return err
			}
			if why == "" {
				items = append(items, it)
				continue
			}
			if err := tx.MarkDead(m.ID, why, now); err != nil {
				return err
			}
			dead = append(dead, m)
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("core: claim outbox: %w", err)
	}
	for _, m := range dead {
		d.obs.Delivery(m.To.Platform, "dead", 0)
	}
	return items, len(dead), nil
}

// check says why the item cannot go, if it cannot, and fills in its references.
func (d *deliverer) check(tx Tx, it *item) (string, error) {
	m := it.m
	if _, ok := d.messengers[m.To.Platform]; !ok {
		return string(m.To.Platform) + " is not enabled", nil
	}
	if m.DM && m.ContactID != 0 {
		// Don't knock again where the platform already said no: it only annoys it.
		if ct, err := tx.Contact(m.ContactID); err == nil && ct.Unreachable != "" {
			return "recipient unreachable: " + ct.Unreachable, nil
		}
	}
	for _, ref := range []struct {
		id  int64
		out *string
	}{{m.EditOf, &it.d.EditID}, {m.ThreadOf, &it.d.ThreadID}} {
		if ref.id == 0 {
			continue
		}
		orig, err := tx.OutboxMessage(ref.id)
		if err != nil {
			return "", err
		}
		if orig.State != OutboxSent || orig.SentID == "" {
			return "the message it refers to was never delivered", nil
		}
		*ref.out = orig.SentID
	}
	return "", nil
}

// giveBack ends this instance's claim on a message it will not send now; it is due again at
// due.
func (d *deliverer) giveBack(it *item, due time.Time, why string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if why == "held" {
		d.obs.Delivery(it.m.To.Platform, "held", 0)
		why = it.m.LastError
	}
	err := d.store.Update(ctx, func(tx Tx) error { return tx.RetryOutbox(it.m.ID, due, why) })
	if err != nil {
		d.log.Warn("outbox: giving a claimed message back failed; the next start sends it", "outbox_id", it.m.ID, "err", err)
	}
}

// releaseAll gives back, due now, the messages still waiting at shutdown, so that the next
// start sends them at once.
func (d *deliverer) releaseAll(items []*item) {
	for _, it := range items {
		d.giveBack(it, d.clock.Now(), it.m.LastError)
	}
}

// send delivers one message, handed over at the instant its pacing allowed, and records the
// outcome. A send cut short by shutdown is given back for the next start.
func (d *deliverer) send(ctx context.Context, it *item) {
	m := it.m
	msgr := d.messengers[m.To.Platform]
	d.pacer.started(m.To, m.DM, d.clock.Now())
	start := time.Now() // real time, for the metric: the clock may be simulated
	sentID, err := sendTo(ctx, msgr, it.d)
	took := time.Since(start)
	now := d.clock.Now()
	if err == nil {
		d.obs.Delivery(m.To.Platform, "sent", took)
		d.authOK(m.To.Platform)
		err = d.store.Update(ctx, func(tx Tx) error { return tx.MarkSent(m.ID, sentID, now) })
	} else if ctx.Err() == nil {
		var de *DeliveryError
		if !errors.As(err, &de) {
			de = &DeliveryError{Kind: DeliveryTemporary, Err: err}
		}
		d.obs.Delivery(m.To.Platform, outcome(de.Kind), took)
		d.log.Warn("outbox: delivery failed", "outbox_id", m.ID, "platform", m.To.Platform, "kind", de.Kind,
			"attempt", m.Attempts+1, "err", de.Error())
		err = d.store.Update(ctx, func(tx Tx) error { return d.deliveryFailed(tx, m, de, now) })
	}
	if err != nil {
		if ctx.Err() != nil { // shutting down: sent again next time
			d.giveBack(it, d.clock.Now(), m.LastError)
			return
		}
		d.log.Error("outbox: recording a delivery failed", "outbox_id", m.ID, "err", err)
	}
}

// deliveryFailed records a failed delivery according to its kind.
func (d *deliverer) deliveryFailed(tx Tx, m OutboxMessage, de *DeliveryError, now time.Time) error {
	switch de.Kind {
	case DeliveryRateLimited:
		until := now.Add(max(de.RetryAfter, time.Second))
		if de.Global {
			d.hold(m.To.Platform, until)
		}
		return tx.RetryOutbox(m.ID, until, de.Error())
	case DeliveryPermanent:
		if err := tx.MarkDead(m.ID, de.Error(), now); err != nil {
			return err
		}
		if de.Unreachable && m.ContactID != 0 && m.DM {
			return d.unreachable(tx, m.ContactID, de.Reason, now)
		}
		return nil
	case DeliveryMoved:
		if de.MovedTo.IsZero() {
			return tx.MarkDead(m.ID, de.Error(), now)
		}
		if err := tx.RetargetOutbox(m.To, de.MovedTo); err != nil {
			return err
		}
		if err := tx.SetState("chat_moved:"+m.To.String(), de.MovedTo.String()); err != nil {
			return err
		}
		return tx.RetryOutbox(m.ID, now, de.Error())
	case DeliveryUnauthorized:
		if d.authFailed(m.To.Platform, de.Error(), now) {
			d.log.Error("outbox: sends stopped — the platform refuses our credentials; fix the token and restart",
				"platform", m.To.Platform, "err", de.Error())
		}
		return tx.RetryOutbox(m.ID, now.Add(d.backoff(m.Attempts)), de.Error())
	default:
		return tx.RetryOutbox(m.ID, now.Add(d.backoff(m.Attempts)), de.Error())
	}
}

// markUnreachable records that the platform refuses messages to the contact, and ends their
// surveys: nothing more can reach them until they write again.
func (s *Service) markUnreachable(tx Tx, contactID int64, reason string, now time.Time) error {
	ct, err := tx.Contact(contactID)
	if err != nil {
		return err
	}
	if reason == "" {
		reason = "the platform refuses messages to them"
	}
	ct.Unreachable = reason
	if err := tx.UpdateContact(ct); err != nil {
		return err
	}
	return s.endSurveys(tx, ct.ID, "unreachable: "+reason, now)
}

// backoff returns the wait before attempt n+1: full jitter over base·2ⁿ, capped.
func (d *deliverer) backoff(attempts int) time.Duration {
	ceil := backoffCap
	if attempts < 20 {
		ceil = min(backoffCap, backoffBase<<attempts)
	}
	return time.Duration(d.random(int64(ceil))) + time.Millisecond
}

func (d *deliverer) hold(p Platform, until time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if until.After(d.holds[p]) {
		d.holds[p] = until
	}
}

func (d *deliverer) holdUntil(p Platform) time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.holds[p]
}

func (d *deliverer) authOK(p Platform) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.authFails[p] = 0
	delete(d.circuit, p)
}

// authFailed counts an unauthorized send; it reports true when this one opened the circuit.
func (d *deliverer) authFailed(p Platform, why string, now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.authFails[p]++
	if d.authFails[p] < authFailLimit {
		return false
	}
	_, wasOpen := d.circuit[p]
	d.circuit[p] = why
	if until := now.Add(circuitPause); until.After(d.holds[p]) {
		d.holds[p] = until
	}
	return !wasOpen
}

// Health reports, per platform, why sends are stopped; empty when all is well.
func (s *Service) Health() map[Platform]string { return s.delivery.health() }

func (d *deliverer) health() map[Platform]string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[Platform]string{}
	for p, why := range d.circuit {
		out[p] = "credentials refused: " + why
	}
	return out
}

func outcome(k DeliveryErrorKind) string {
	switch k {
	case DeliveryRateLimited:
		return "rate_limited"
	case DeliveryPermanent:
		return "dead"
	}
	return "retry"
}
