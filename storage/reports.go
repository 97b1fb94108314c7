package storage

import (
	"fmt"
	"time"

	"earshot/core"
)

// qScoreStats is answered from the covering index answers_scores alone.
const qScoreStats = `SELECT question_key, sum(score), count(score) FROM answers
	WHERE answered_at >= ? AND answered_at < ? AND score IS NOT NULL
	GROUP BY question_key ORDER BY question_key`

// ScoreStats returns, for each scale question key answered in [from, to), the sum and
// count of scores, ordered by key.
func (t *tx) ScoreStats(from, to time.Time) ([]core.ScoreStat, error) {
	rows, err := t.query(qScoreStats, from.UnixMilli(), to.UnixMilli())
	return scanAll(rows, err, "score stats", func(s scanner) (core.ScoreStat, error) {
		var st core.ScoreStat
		return st, s.Scan(&st.Key, &st.Sum, &st.Count)
	})
}

const qSurveyCounts = `SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM answers a WHERE a.run_id = r.id)), 0)
	FROM survey_runs r WHERE r.sent_at >= ? AND r.sent_at < ?`

// SurveyCounts counts runs sent in [from, to) and, of those, the ones with an answer
// (a skipped optional question counts: the customer responded).
func (t *tx) SurveyCounts(from, to time.Time) (sent, answered int, err error) {
	if err := t.queryRow(qSurveyCounts, from.UnixMilli(), to.UnixMilli()).Scan(&sent, &answered); err != nil {
		return 0, 0, fmt.Errorf("storage: survey counts: %w", err)
	}
	return sent, answered, nil
}

// qLowestComments reads the text answers of the range through the partial index
// answers_texts; each run's minimum score is one seek in answers_run. Runs without a score
// come last: they have no score to be low.
const qLowestComments = `SELECT a.run_id, a.question_key, a.text, a.answered_at,
	(SELECT min(s.score) FROM answers s WHERE s.run_id = a.run_id AND s.score IS NOT NULL) AS low
	FROM answers a
	WHERE a.answered_at >= ? AND a.answered_at < ? AND a.text <> ''
	ORDER BY low IS NULL, low, a.answered_at, a.id LIMIT ?`

// LowestComments returns up to limit non-empty text answers given in [from, to), from the
// runs with the lowest minimum score first, then the earliest; MinScore is -1 for a run
// without a score, and those come last.
func (t *tx) LowestComments(from, to time.Time, limit int) ([]core.Comment, error) {
	rows, err := t.query(qLowestComments, from.UnixMilli(), to.UnixMilli(), limit)
	return scanAll(rows, err, "lowest comments", func(s scanner) (core.Comment, error) {
		var c core.Comment
		var low *int
		err := s.Scan(&c.RunID, &c.Key, &c.Text, timeOf(&c.At), intPtrOf(&low))
		c.MinScore = -1
		if low != nil {
			c.MinScore = *low
		}
		return c, err
	})
}

const qDeadLetters = `SELECT count(*) FROM outbox WHERE dead_at >= ? AND dead_at < ?`

// DeadLetters counts outbox messages that went dead in [from, to).
func (t *tx) DeadLetters(from, to time.Time) (int, error) {
	var n int
	if err := t.queryRow(qDeadLetters, from.UnixMilli(), to.UnixMilli()).Scan(&n); err != nil {
		return 0, fmt.Errorf("storage: dead letters: %w", err)
	}
	return n, nil
}

const qBreaches = `SELECT kind, count(*) FROM breaches WHERE at >= ? AND at < ? GROUP BY kind`

// Breaches counts breaches recorded in [from, to), by kind.
func (t *tx) Breaches(from, to time.Time) (map[core.BreachKind]int, error) {
	rows, err := t.query(qBreaches, from.UnixMilli(), to.UnixMilli())
	type kindCount struct {
		kind core.BreachKind
		n    int
	}
	counts, err := scanAll(rows, err, "breaches", func(s scanner) (kindCount, error) {
		var kc kindCount
		return kc, s.Scan(&kc.kind, &kc.n)
	})
	if err != nil {
		return nil, err
	}
	out := make(map[core.BreachKind]int, len(counts))
	for _, kc := range counts {
		out[kc.kind] = kc.n
	}
	return out, nil
}
