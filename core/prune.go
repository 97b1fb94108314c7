package core

import (
	"context"
	"time"
)

// What earshot keeps, and for how long. Platforms redeliver an event within a day at most,
// so a week of event ids is plenty to drop duplicates. Delivered messages are kept three
// months (their ids let edits, threads and replies find them); dead letters a year and a
// bit, so every digest of the past year still counts them.
const (
	keepInbound   = 7 * 24 * time.Hour
	keepSent      = 90 * 24 * time.Hour
	keepDead      = 400 * 24 * time.Hour
	pruneBatch    = 5000 // rows per transaction, so pruning never holds the writer long
	pruneInterval = 24 * time.Hour
)

// schedulePrune queues today's prune; its key makes it once a day however often the service
// starts.
func (s *Service) schedulePrune(ctx context.Context) error {
	now := s.clock.Now()
	return s.update(ctx, func(tx Tx) error {
		_, err := tx.AddJob(&Job{Kind: JobPrune, Key: pruneKey(now), DueAt: now})
		return err
	})
}

func pruneKey(t time.Time) string { return "prune:" + t.UTC().Format("2006-01-02") }

// prune forgets old inbound event ids and delivered messages and erases customers past the
// retention period, a batch at a time, and queues the next run: at once when a batch was
// full, else tomorrow.
func (s *Service) prune(tx Tx, now time.Time) error {
	in, err := tx.PruneInbound(now.Add(-keepInbound), pruneBatch)
	if err != nil {
		return err
	}
	out, err := tx.PruneOutbox(now.Add(-keepSent), now.Add(-keepDead), pruneBatch)
	if err != nil {
		return err
	}
	retired, err := s.retire(tx, now)
	if err != nil {
		return err
	}
	next := Job{Kind: JobPrune, Key: pruneKey(now.Add(pruneInterval)), DueAt: now.Add(pruneInterval)}
	if in == pruneBatch || out == pruneBatch || retired {
		next = Job{Kind: JobPrune, DueAt: now.Add(time.Second)}
	}
	_, err = tx.AddJob(&next)
	return err
}
