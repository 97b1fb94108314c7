package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"earshot/core"
	"earshot/storage/internal/rollup"
)

// qScoreCounts counts each key's answers by score (0 to 10, a column each): the whole UTC
// days of the range from score_count_days, the whole hours at its ends from score_counts
// (each one range of its key per question), the partial hours at the edges (zones with a
// half-hour offset) from the answers, like qScoreStats. ?1 … ?6 are the range split
// (rollup.Span.Args), ?7 and ?8 keep one plan and one platform (” keeps all), ?9 is the
// keys as a JSON array; CROSS JOIN keeps the keys the outer loop. Each edge is its own
// range of answers_scores, so only the few answers of those partial hours are read.
const qScoreCounts = `WITH keys(k) AS MATERIALIZED (SELECT value FROM json_each(?9)),
	parts(k, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10) AS (
		SELECT s.question_key, s.n0, s.n1, s.n2, s.n3, s.n4, s.n5, s.n6, s.n7, s.n8, s.n9, s.n10 FROM keys
		CROSS JOIN score_count_days s ON s.question_key = keys.k AND s.day_at >= ?5 AND s.day_at < ?6
		WHERE (?7 = '' OR s.plan = ?7) AND (?8 = '' OR s.platform = ?8)
		UNION ALL
		SELECT s.question_key, s.n0, s.n1, s.n2, s.n3, s.n4, s.n5, s.n6, s.n7, s.n8, s.n9, s.n10 FROM keys
		CROSS JOIN score_counts s ON s.question_key = keys.k AND s.hour_at >= ?1 AND s.hour_at < ?5
		WHERE (?7 = '' OR s.plan = ?7) AND (?8 = '' OR s.platform = ?8)
		UNION ALL
		SELECT s.question_key, s.n0, s.n1, s.n2, s.n3, s.n4, s.n5, s.n6, s.n7, s.n8, s.n9, s.n10 FROM keys
		CROSS JOIN score_counts s ON s.question_key = keys.k AND s.hour_at >= ?6 AND s.hour_at < ?2
		WHERE (?7 = '' OR s.plan = ?7) AND (?8 = '' OR s.platform = ?8)
		UNION ALL
		SELECT a.question_key, a.score = 0, a.score = 1, a.score = 2, a.score = 3, a.score = 4, a.score = 5, a.score = 6, a.score = 7, a.score = 8, a.score = 9, a.score = 10 FROM keys
		CROSS JOIN answers a ON a.question_key = keys.k AND a.score BETWEEN 0 AND 10
			AND a.answered_at >= ?3 AND a.answered_at < ?1
		WHERE (?7 = '' OR a.plan = ?7) AND (?8 = '' OR (SELECT platform FROM contacts WHERE id = a.contact_id) = ?8)
		UNION ALL
		SELECT a.question_key, a.score = 0, a.score = 1, a.score = 2, a.score = 3, a.score = 4, a.score = 5, a.score = 6, a.score = 7, a.score = 8, a.score = 9, a.score = 10 FROM keys
		CROSS JOIN answers a ON a.question_key = keys.k AND a.score BETWEEN 0 AND 10
			AND a.answered_at >= ?2 AND a.answered_at < ?4
		WHERE (?7 = '' OR a.plan = ?7) AND (?8 = '' OR (SELECT platform FROM contacts WHERE id = a.contact_id) = ?8)
	)
	SELECT k, sum(n0), sum(n1), sum(n2), sum(n3), sum(n4), sum(n5), sum(n6), sum(n7), sum(n8), sum(n9), sum(n10) FROM parts GROUP BY k ORDER BY k`

// ScoreCounts counts, for each of keys, the answers in [from, to) that f selects by score.
func (t *tx) ScoreCounts(from, to time.Time, keys []string, f core.ReportFilter) ([]core.ScoreCount, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	ks, err := json.Marshal(distinct(keys))
	if err != nil {
		return nil, fmt.Errorf("storage: score counts: %w", err)
	}
	rows, err := t.query(qScoreCounts, rollup.Split(from, to).Args(f.Plan, string(f.Platform), string(ks))...)
	return scoreCounts(rows, err)
}

// scoreCounts reads qScoreCounts' rows (a key and its counts of 0 … 10) as the count of each
// score given.
func scoreCounts(rows *sql.Rows, err error) ([]core.ScoreCount, error) {
	type keyCounts struct {
		key string
		n   [11]int
	}
	all, err := scanAll(rows, err, "score counts", func(s scanner) (keyCounts, error) {
		var k keyCounts
		n := &k.n
		err := s.Scan(&k.key, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &n[6], &n[7], &n[8], &n[9], &n[10])
		return k, err
	})
	var out []core.ScoreCount
	for _, k := range all {
		for score, count := range k.n {
			if count > 0 {
				out = append(out, core.ScoreCount{Key: k.key, Score: score, Count: count})
			}
		}
	}
	return out, err
}

// qChoiceCounts counts each choice key's picks by option, and its answers under ”: the whole
// days from choice_count_days, the whole hours at the ends from choice_counts, the partial
// hours at the edges from the answers, their text split at the commas, of the runs whose
// questions ask the key as a choice: as 0014's trigger counts; each edge is one range of
// the covering index answers_texts. Parameters as in qScoreCounts.
const qChoiceCounts = `WITH keys(k) AS MATERIALIZED (SELECT value FROM json_each(?9)),
	parts(k, opt, n) AS (
		SELECT c.question_key, c.option, c.count FROM keys
		CROSS JOIN choice_count_days c ON c.question_key = keys.k AND c.day_at >= ?5 AND c.day_at < ?6
		WHERE (?7 = '' OR c.plan = ?7) AND (?8 = '' OR c.platform = ?8)
		UNION ALL
		SELECT c.question_key, c.option, c.count FROM keys
		CROSS JOIN choice_counts c ON c.question_key = keys.k AND c.hour_at >= ?1 AND c.hour_at < ?5
		WHERE (?7 = '' OR c.plan = ?7) AND (?8 = '' OR c.platform = ?8)
		UNION ALL
		SELECT c.question_key, c.option, c.count FROM keys
		CROSS JOIN choice_counts c ON c.question_key = keys.k AND c.hour_at >= ?6 AND c.hour_at < ?2
		WHERE (?7 = '' OR c.plan = ?7) AND (?8 = '' OR c.platform = ?8)
		UNION ALL
		SELECT a.question_key, o.value, 1 FROM answers a
		JOIN keys ON keys.k = a.question_key
		JOIN json_each('["",' || replace(json_quote(a.text), ',', '","') || ']') o
		WHERE a.text <> '' AND a.answered_at >= ?3 AND a.answered_at < ?1 AND a.score IS NULL AND NOT a.skipped
			AND (?7 = '' OR a.plan = ?7) AND (?8 = '' OR (SELECT platform FROM contacts WHERE id = a.contact_id) = ?8)
			AND EXISTS (SELECT 1 FROM survey_runs r, json_each(CASE WHEN r.questions = '' THEN '[]' ELSE r.questions END) q
				WHERE r.id = a.run_id AND json_extract(q.value, '$.Type') = 'choice'
					AND json_extract(q.value, '$.Key') = a.question_key)
		UNION ALL
		SELECT a.question_key, o.value, 1 FROM answers a
		JOIN keys ON keys.k = a.question_key
		JOIN json_each('["",' || replace(json_quote(a.text), ',', '","') || ']') o
		WHERE a.text <> '' AND a.answered_at >= ?2 AND a.answered_at < ?4 AND a.score IS NULL AND NOT a.skipped
			AND (?7 = '' OR a.plan = ?7) AND (?8 = '' OR (SELECT platform FROM contacts WHERE id = a.contact_id) = ?8)
			AND EXISTS (SELECT 1 FROM survey_runs r, json_each(CASE WHEN r.questions = '' THEN '[]' ELSE r.questions END) q
				WHERE r.id = a.run_id AND json_extract(q.value, '$.Type') = 'choice'
					AND json_extract(q.value, '$.Key') = a.question_key)
	)
	SELECT k, opt, sum(n) FROM parts GROUP BY k, opt HAVING sum(n) > 0 ORDER BY k, opt`

// ChoiceCounts counts, for each of keys, the picks of each option in [from, to) that f
// selects, and the answers under the option "".
func (t *tx) ChoiceCounts(from, to time.Time, keys []string, f core.ReportFilter) ([]core.ChoiceCount, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	ks, err := json.Marshal(distinct(keys))
	if err != nil {
		return nil, fmt.Errorf("storage: choice counts: %w", err)
	}
	rows, err := t.query(qChoiceCounts, rollup.Split(from, to).Args(f.Plan, string(f.Platform), string(ks))...)
	return scanAll(rows, err, "choice counts", func(s scanner) (core.ChoiceCount, error) {
		var c core.ChoiceCount
		return c, s.Scan(&c.Key, &c.Option, &c.Count)
	})
}

// qComments is qSliceLowestComments without the answers to the keys of ?6 (a JSON array).
const qComments = `WITH texts AS MATERIALIZED (
		SELECT a.id, a.run_id, a.question_key, a.text, a.answered_at,
			(SELECT min(s.score) FROM answers s WHERE s.run_id = a.run_id AND s.score IS NOT NULL) AS low
		FROM answers a
		WHERE a.answered_at >= ?1 AND a.answered_at < ?2 AND a.text <> ''
			AND a.question_key NOT IN (SELECT value FROM json_each(?6))
			AND (?3 = '' OR a.plan = ?3)
			AND (?4 = '' OR (SELECT platform FROM contacts WHERE id = a.contact_id) = ?4)
	)
	SELECT run_id, question_key, text, answered_at, low FROM texts
	ORDER BY low IS NULL, low, answered_at, id LIMIT ?5`

// Comments returns up to limit of the lowest-scored comments in [from, to) that f selects,
// leaving out the answers to the keys skip.
func (t *tx) Comments(from, to time.Time, f core.ReportFilter, skip []string, limit int) ([]core.Comment, error) {
	ks, err := json.Marshal(append([]string{}, skip...))
	if err != nil {
		return nil, fmt.Errorf("storage: comments: %w", err)
	}
	rows, err := t.query(qComments, from.UnixMilli(), to.UnixMilli(), f.Plan, string(f.Platform), limit, string(ks))
	return scanAll(rows, err, "comments", func(s scanner) (core.Comment, error) {
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

// distinct returns keys without repeats, in their order: the queries read each key's range once.
func distinct(keys []string) []string {
	var out []string
	for _, k := range keys {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}
