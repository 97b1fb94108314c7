package storage

import (
	"fmt"
	"time"

	"earshot/core"
)

// qScoreKeys lists the keys that ever had a score, one index seek per key; qScoreOfKey
// then reads one key's range of the covering index answers_scores. Together they read only
// the range's scores, in index order, with no sort: a few ms for a busy week's scores.
const (
	qScoreKeys = `WITH RECURSIVE keys(k) AS (
		SELECT min(question_key) FROM answers WHERE score IS NOT NULL
		UNION ALL
		SELECT (SELECT min(question_key) FROM answers WHERE score IS NOT NULL AND question_key > keys.k)
		FROM keys WHERE k IS NOT NULL
	) SELECT k FROM keys WHERE k IS NOT NULL`
	qScoreOfKey = `SELECT coalesce(sum(score), 0), count(score) FROM answers
		WHERE question_key = ? AND answered_at >= ? AND answered_at < ? AND score IS NOT NULL`
)

// ScoreStats returns, for each scale question key answered in [from, to), the sum and
// count of scores, ordered by key.
func (t *tx) ScoreStats(from, to time.Time) ([]core.ScoreStat, error) {
	rows, err := t.query(qScoreKeys)
	keys, err := scanAll(rows, err, "score keys", func(s scanner) (string, error) {
		var k string
		return k, s.Scan(&k)
	})
	if err != nil {
		return nil, err
	}
	var out []core.ScoreStat
	for _, k := range keys {
		st := core.ScoreStat{Key: k}
		if err := t.queryRow(qScoreOfKey, k, from.UnixMilli(), to.UnixMilli()).Scan(&st.Sum, &st.Count); err != nil {
			return nil, fmt.Errorf("storage: score stats of %s: %w", k, err)
		}
		if st.Count > 0 {
			out = append(out, st)
		}
	}
	return out, nil
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
// answers_texts; each run's minimum score is one seek in answers_run, made once per answer
// (MATERIALIZED keeps SQLite from computing it again for ORDER BY). Runs without a score
// come last: they have no score to be low.
const qLowestComments = `WITH texts AS MATERIALIZED (
		SELECT a.id, a.run_id, a.question_key, a.text, a.answered_at,
			(SELECT min(s.score) FROM answers s WHERE s.run_id = a.run_id AND s.score IS NOT NULL) AS low
		FROM answers a
		WHERE a.answered_at >= ? AND a.answered_at < ? AND a.text <> ''
	)
	SELECT run_id, question_key, text, answered_at, low FROM texts
	ORDER BY low IS NULL, low, answered_at, id LIMIT ?`

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
