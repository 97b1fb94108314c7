package core

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Schedule is a recurring time (a parsed cron spec).
type Schedule interface {
	Next(time.Time) time.Time
}

const digestCursor = "digest.cursor"

// CatchUpDigests queues the digest of the last schedule time that passed since the previous
// call — also across downtime, so a digest missed while the service was down goes out when
// it starts, once. The first call ever only starts the cursor. It returns the week queued.
func (s *Service) CatchUpDigests(ctx context.Context, sched Schedule) (queued string, err error) {
	now := s.clock.Now()
	err = s.update(ctx, func(tx Tx) error {
		queued = ""
		raw, err := tx.State(digestCursor)
		if IsNotFound(err) {
			return tx.SetState(digestCursor, now.UTC().Format(time.RFC3339Nano))
		} else if err != nil {
			return err
		}
		cursor, err := time.Parse(time.RFC3339Nano, raw)
		if err != nil {
			return fmt.Errorf("bad digest cursor %q: %w", raw, err)
		}
		var last time.Time
		for t, n := sched.Next(cursor), 0; !t.IsZero() && !t.After(now) && n < 10000; t, n = sched.Next(t), n+1 {
			last = t
		}
		if last.IsZero() {
			return nil
		}
		// Only the latest missed digest is worth sending; older ones are history.
		w := WeekOf(last, s.set.Business.Location).Add(-1)
		if _, err := tx.AddJob(&Job{Kind: JobDigest, Key: "digest:" + w.String(), DueAt: last}); err != nil {
			return err
		}
		queued = w.String()
		return tx.SetState(digestCursor, last.UTC().Format(time.RFC3339Nano))
	})
	if err != nil {
		return "", fmt.Errorf("core: catch up digests: %w", err)
	}
	return queued, nil
}

func (s *Service) digestJob(tx Tx, j Job, now time.Time) error {
	key, _ := strings.CutPrefix(j.Key, "digest:")
	key, _, _ = strings.Cut(key, "#")
	w, err := ParseWeek(key)
	if err != nil {
		s.log.Warn("digest job with a bad week dropped", "key", j.Key)
		return nil
	}
	_, err = s.sendDigest(tx, w, now)
	return err
}

// SendDigest delivers the digest of week w to every owner now.
func (s *Service) SendDigest(ctx context.Context, w Week) (Digest, error) {
	var d Digest
	err := s.update(ctx, func(tx Tx) error {
		var err error
		d, err = s.sendDigest(tx, w, s.clock.Now())
		return err
	})
	if err != nil {
		return Digest{}, fmt.Errorf("core: send digest %s: %w", w, err)
	}
	return d, nil
}

func (s *Service) sendDigest(tx Tx, w Week, now time.Time) (Digest, error) {
	d, err := s.digest(tx, w, now)
	if err != nil {
		return Digest{}, err
	}
	m := d.Message(true)
	if !d.Empty() {
		if m.Image, err = s.digestChart(tx, w); err != nil {
			return Digest{}, err
		}
	}
	return d, s.toOwners(tx, m, 0, now)
}

// digestChart draws the TrendWeeks weeks up to w for the digest: nil without a renderer or
// a dimension, or when drawing fails (logged: the digest still goes, as text).
func (s *Service) digestChart(tx Tx, w Week) (*Image, error) {
	if s.charts == nil {
		return nil, nil
	}
	t, err := s.trend(tx, w, TrendWeeks, ReportFilter{})
	if err != nil {
		return nil, err
	}
	if len(t.Dimensions) == 0 {
		return nil, nil
	}
	img, err := s.charts.TrendImage(t)
	if err != nil {
		s.log.Warn("digest chart not drawn; the digest goes as text", "week", w.String(), "err", err)
		return nil, nil
	}
	return &img, nil
}
