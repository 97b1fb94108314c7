package core

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Delivery policy. Backoff is exponential with full jitter.
const (
	backoffBase   = time.Second
	backoffCap    = 5 * time.Minute
	authFailLimit = 3               // consecutive unauthorized sends that open a platform's circuit
	circuitPause  = 5 * time.Minute // how long an open circuit holds before one more try
)

// DeliverDue claims the outbox messages that may go now and delivers them, in parallel
// across chats and in order within one, waiting for the pacing where it must. It returns
// how many were handled. serve uses the dispatcher in Run instead, which never waits for a
// whole batch.
func (s *Service) DeliverDue(ctx context.Context) (int, error) {
	handled := 0
	for {
		batch, err := s.claim(ctx, 64)
		if err != nil {
			return handled, err
		}
		if len(batch) == 0 {
			return handled, nil
		}
		var wg sync.WaitGroup
		sem := make(chan struct{}, s.workers)
		for _, m := range batch {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				s.deliverPaced(ctx, ctx, m)
			}()
		}
		wg.Wait()
		handled += len(batch)
		if err := ctx.Err(); err != nil {
			return handled, err
		}
	}
}

// claim leases up to limit due messages.
func (s *Service) claim(ctx context.Context, limit int) ([]OutboxMessage, error) {
	now := s.clock.Now()
	var batch []OutboxMessage
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		batch, err = tx.ClaimOutbox(now, now.Add(s.lease), limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("core: claim outbox: %w", err)
	}
	return batch, nil
}

// deliverPaced waits for the message's turn under its platform's and chat's pace, then
// delivers it. Waiting stops with ctx (shutdown); the delivery itself runs under sendCtx,
// which outlives ctx a little so a send in flight can finish. A message not sent is released
// for the next deliverer.
func (s *Service) deliverPaced(ctx, sendCtx context.Context, m OutboxMessage) {
	now := s.clock.Now()
	if at := s.pacer.reserve(m.To, m.DM, now); at.After(now) {
		t := time.NewTimer(at.Sub(now))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			s.release(m)
			return
		}
	}
	if err := s.deliverOne(sendCtx, m); err != nil {
		if sendCtx.Err() != nil {
			s.release(m)
			return
		}
		s.log.Error("outbox: recording a delivery failed", "outbox_id", m.ID, "err", err)
	}
}

// release gives a claimed message back (due now) when delivery was abandoned at shutdown, so
// the next start need not wait for its lease.
func (s *Service) release(m OutboxMessage) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.store.Update(ctx, func(tx Tx) error { return tx.RetryOutbox(m.ID, s.clock.Now(), m.LastError) })
	if err != nil {
		s.log.Warn("outbox: release at shutdown failed; the message goes out after its lease", "outbox_id", m.ID, "err", err)
	}
}

// deliverOne sends one claimed message and records the outcome.
func (s *Service) deliverOne(ctx context.Context, m OutboxMessage) error {
	now := s.clock.Now()
	if hold := s.holdUntil(m.To.Platform); hold.After(now) {
		s.obs.Delivery(m.To.Platform, "held", 0)
		return s.store.Update(ctx, func(tx Tx) error { return tx.RetryOutbox(m.ID, hold, m.LastError) })
	}
	msgr, ok := s.messengers[m.To.Platform]
	if !ok {
		s.obs.Delivery(m.To.Platform, "dead", 0)
		return s.store.Update(ctx, func(tx Tx) error {
			return tx.MarkDead(m.ID, string(m.To.Platform)+" is not enabled", now)
		})
	}
	d := Delivery{ID: m.ID, To: m.To, DM: m.DM, Message: m.Message}
	var skip string
	if err := s.store.View(ctx, func(tx Tx) error {
		if m.DM && m.ContactID != 0 {
			// Don't knock again where the platform already said no: it only annoys it.
			if ct, err := tx.Contact(m.ContactID); err == nil && ct.Unreachable != "" {
				skip = "recipient unreachable: " + ct.Unreachable
				return nil
			}
		}
		for _, ref := range []struct {
			id  int64
			out *string
		}{{m.EditOf, &d.EditID}, {m.ThreadOf, &d.ThreadID}} {
			if ref.id == 0 {
				continue
			}
			orig, err := tx.OutboxMessage(ref.id)
			if err != nil {
				return err
			}
			if orig.State != OutboxSent || orig.SentID == "" {
				skip = "the message it refers to was never delivered"
			}
			*ref.out = orig.SentID
		}
		return nil
	}); err != nil {
		return err
	}
	if skip != "" {
		s.obs.Delivery(m.To.Platform, "dead", 0)
		return s.store.Update(ctx, func(tx Tx) error { return tx.MarkDead(m.ID, skip, now) })
	}

	start := time.Now()
	sentID, err := s.send(ctx, msgr, d)
	took := time.Since(start)
	now = s.clock.Now()
	if err == nil {
		s.obs.Delivery(m.To.Platform, "sent", took)
		s.authOK(m.To.Platform)
		return s.store.Update(ctx, func(tx Tx) error { return tx.MarkSent(m.ID, sentID, now) })
	}
	if ctx.Err() != nil {
		return ctx.Err() // shutting down: released by the caller, sent again next time
	}
	var de *DeliveryError
	if !errors.As(err, &de) {
		de = &DeliveryError{Kind: DeliveryTemporary, Err: err}
	}
	s.obs.Delivery(m.To.Platform, outcome(de.Kind), took)
	s.log.Warn("outbox: delivery failed", "outbox_id", m.ID, "platform", m.To.Platform, "kind", de.Kind,
		"attempt", m.Attempts+1, "err", de.Error())
	return s.store.Update(ctx, func(tx Tx) error { return s.deliveryFailed(tx, m, de, now) })
}

// deliveryFailed records a failed delivery according to its kind.
func (s *Service) deliveryFailed(tx Tx, m OutboxMessage, de *DeliveryError, now time.Time) error {
	switch de.Kind {
	case DeliveryRateLimited:
		until := now.Add(max(de.RetryAfter, time.Second))
		if de.Global {
			s.hold(m.To.Platform, until)
		}
		return tx.RetryOutbox(m.ID, until, de.Error())
	case DeliveryPermanent:
		if err := tx.MarkDead(m.ID, de.Error(), now); err != nil {
			return err
		}
		if de.Unreachable && m.ContactID != 0 && m.DM {
			return s.markUnreachable(tx, m.ContactID, de.Reason, now)
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
		if s.authFailed(m.To.Platform, de.Error(), now) {
			s.log.Error("outbox: sends stopped — the platform refuses our credentials; fix the token and restart",
				"platform", m.To.Platform, "err", de.Error())
		}
		return tx.RetryOutbox(m.ID, now.Add(s.backoff(m.Attempts)), de.Error())
	default:
		return tx.RetryOutbox(m.ID, now.Add(s.backoff(m.Attempts)), de.Error())
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
func (s *Service) backoff(attempts int) time.Duration {
	ceil := backoffCap
	if attempts < 20 {
		ceil = min(backoffCap, backoffBase<<attempts)
	}
	return time.Duration(s.random(int64(ceil))) + time.Millisecond
}

func (s *Service) hold(p Platform, until time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if until.After(s.holds[p]) {
		s.holds[p] = until
	}
}

func (s *Service) holdUntil(p Platform) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.holds[p]
}

func (s *Service) authOK(p Platform) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authFails[p] = 0
	delete(s.circuit, p)
}

// authFailed counts an unauthorized send; it reports true when this one opened the circuit.
func (s *Service) authFailed(p Platform, why string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authFails[p]++
	if s.authFails[p] < authFailLimit {
		return false
	}
	_, wasOpen := s.circuit[p]
	s.circuit[p] = why
	if until := now.Add(circuitPause); until.After(s.holds[p]) {
		s.holds[p] = until
	}
	return !wasOpen
}

// Health reports, per platform, why sends are stopped; empty when all is well.
func (s *Service) Health() map[Platform]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[Platform]string{}
	for p, why := range s.circuit {
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
