package core

import (
	"context"
	"fmt"
	"slices"
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

func (s *Service) digestJob(tx Tx, j Job, chart *Image, now time.Time) error {
	w, ok := digestWeek(j)
	if !ok {
		s.log.Warn("digest job with a bad week dropped", "key", j.Key)
		return nil
	}
	_, err := s.sendDigest(tx, w, chart, now)
	return err
}

// digestWeek reads the week from a digest job's key ("digest:2026-W47", "digest:2026-W47#2").
func digestWeek(j Job) (Week, bool) {
	key, _ := strings.CutPrefix(j.Key, "digest:")
	key, _, _ = strings.Cut(key, "#")
	w, err := ParseWeek(key)
	return w, err == nil
}

// SendDigest delivers the digest of week w to every owner now.
func (s *Service) SendDigest(ctx context.Context, w Week) (Digest, error) {
	chart := s.drawDigestChart(ctx, w)
	var d Digest
	err := s.update(ctx, func(tx Tx) error {
		var err error
		d, err = s.sendDigest(tx, w, chart, s.clock.Now())
		return err
	})
	if err != nil {
		return Digest{}, fmt.Errorf("core: send digest %s: %w", w, err)
	}
	return d, nil
}

// sendDigest queues the digest of week w to every owner in their language, with the chart
// drawn beforehand (nil: none) unless the week was empty.
func (s *Service) sendDigest(tx Tx, w Week, chart *Image, now time.Time) (Digest, error) {
	d, err := s.digest(tx, w, now)
	if err != nil {
		return Digest{}, err
	}
	for _, o := range s.set.Team.Owners() { // each in their language
		if err := s.toMember(tx, o, UserRef{}, d.Message(s.texts, s.memberLang(o), true), 0, now); err != nil {
			return d, err
		}
	}
	if err := s.digestEvent(tx, d, now); err != nil {
		return d, err
	}
	if chart == nil || d.Empty() {
		return d, nil
	}
	return d, s.toOwnersIn(tx, func(l Lang) Message { return s.chartMessageIn(l, w, chart) }, 0, now)
}

// jobPrep is what a due job needs that is prepared before its write transaction: drawing
// the digest's chart takes a good part of a second, and holding the single writer that long
// would keep every customer's reply waiting.
type jobPrep struct {
	chart *Image
}

func (s *Service) prepareJob(ctx context.Context, j Job) jobPrep {
	if j.Kind != JobDigest {
		return jobPrep{}
	}
	w, ok := digestWeek(j)
	if !ok {
		return jobPrep{}
	}
	return jobPrep{chart: s.drawDigestChart(ctx, w)}
}

// drawDigestChart draws the TrendWeeks weeks up to w for the digest, reading them in a read
// transaction: nil without a renderer or a value in those weeks, or when reading or drawing fails
// (logged: the digest still goes, as text).
func (s *Service) drawDigestChart(ctx context.Context, w Week) *Image {
	if s.charts == nil {
		return nil
	}
	var t Trend
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		t, err = s.trend(tx, w, TrendWeeks, ReportFilter{})
		return err
	})
	if err != nil {
		s.log.Warn("digest chart not drawn; the digest goes as text", "week", w.String(), "err", err)
		return nil
	}
	if !t.hasValues() {
		return nil // nothing to draw
	}
	img, err := s.charts.TrendImage(t)
	if err != nil {
		s.log.Warn("digest chart not drawn; the digest goes as text", "week", w.String(), "err", err)
		return nil
	}
	return &img
}

// DigestMessage renders the digest in the business's language, as the command line prints it.
func (s *Service) DigestMessage(d Digest) Message { return d.Message(s.texts, s.teamLang(), true) }

// DigestTitles lists the digest's title in each language it may be sent in: the owners'
// and the business's.
func (s *Service) DigestTitles(d Digest) []string {
	titles := []string{d.Title(s.texts, s.teamLang())}
	for _, o := range s.set.Team.Owners() {
		if t := d.Title(s.texts, s.memberLang(o)); !slices.Contains(titles, t) {
			titles = append(titles, t)
		}
	}
	return titles
}
