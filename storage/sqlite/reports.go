package sqlite

import (
	"fmt"
	"time"

	"earshot/core"
	"earshot/storage/internal/rollup"
)

// qScoreStats sums, for each key, the range's whole UTC days from score_days, the whole
// hours at its ends from score_hours and the scores of the partial hours at its edges from
// answers: a zone with a half-hour offset starts its weeks mid-hour. The parameters are the
// range split (rollup.Span.Args). The keys come from score_days, one seek each, and every part
// is one range of a rollup's key or of the covering index answers_scores.
const qScoreStats = `WITH RECURSIVE keys(k) AS (
		SELECT min(question_key) FROM score_days
		UNION ALL
		SELECT (SELECT min(question_key) FROM score_days WHERE question_key > keys.k)
		FROM keys WHERE k IS NOT NULL
	), parts(k, s, n) AS (
		SELECT d.question_key, d.sum, d.count FROM keys
		JOIN score_days d ON d.question_key = keys.k AND d.day_at >= ?5 AND d.day_at < ?6
		UNION ALL
		SELECT h.question_key, h.sum, h.count FROM keys
		JOIN score_hours h ON h.question_key = keys.k AND h.hour_at >= ?1 AND h.hour_at < ?5
		UNION ALL
		SELECT h.question_key, h.sum, h.count FROM keys
		JOIN score_hours h ON h.question_key = keys.k AND h.hour_at >= ?6 AND h.hour_at < ?2
		UNION ALL
		SELECT a.question_key, a.score, 1 FROM keys
		JOIN answers a ON a.question_key = keys.k AND a.score IS NOT NULL
			AND a.answered_at >= ?3 AND a.answered_at < ?1
		UNION ALL
		SELECT a.question_key, a.score, 1 FROM keys
		JOIN answers a ON a.question_key = keys.k AND a.score IS NOT NULL
			AND a.answered_at >= ?2 AND a.answered_at < ?4
	)
	SELECT k, sum(s), sum(n) FROM parts GROUP BY k HAVING sum(n) > 0 ORDER BY k`

// ScoreStats returns, for each scale question key answered in [from, to), the sum and
// count of scores, ordered by key.
func (t *tx) ScoreStats(from, to time.Time) ([]core.ScoreStat, error) {
	rows, err := t.query(qScoreStats, rollup.Split(from, to).Args()...)
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

// qLowestComments reads the text answers of the range from the partial covering index
// answers_texts, without a table row; each run's minimum score is one seek in answers_run,
// made once per answer (MATERIALIZED keeps SQLite from computing it again for ORDER BY).
// Runs without a score come last: they have no score to be low.
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
