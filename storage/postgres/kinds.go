package postgres

import (
	"time"

	"earshot/core"
	"earshot/storage/internal/rollup"
)

// qScoreCounts counts each key's answers by score (0 to 10, a column each): the whole UTC
// days from score_count_days and the whole hours at the ends from score_counts, summing
// their shards, and the partial hours at the edges of the range (zones with a half-hour
// offset) from the answers. $1 … $6 are the range split (rollup.Span.Args), $7 and $8
// keep one plan and one platform (” keeps all); $9 is the keys.
const qScoreCounts = `SELECT k, sum(n0)::bigint, sum(n1)::bigint, sum(n2)::bigint, sum(n3)::bigint, sum(n4)::bigint, sum(n5)::bigint, sum(n6)::bigint, sum(n7)::bigint, sum(n8)::bigint, sum(n9)::bigint, sum(n10)::bigint FROM (
		SELECT question_key AS k, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10 FROM score_count_days
		WHERE question_key = ANY($9) AND day_at >= $5 AND day_at < $6
			AND ($7 = '' OR plan = $7) AND ($8 = '' OR platform = $8)
		UNION ALL
		SELECT question_key, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10 FROM score_counts
		WHERE question_key = ANY($9) AND ((hour_at >= $1 AND hour_at < $5) OR (hour_at >= $6 AND hour_at < $2))
			AND ($7 = '' OR plan = $7) AND ($8 = '' OR platform = $8)
		UNION ALL
		SELECT a.question_key, (a.score = 0)::int, (a.score = 1)::int, (a.score = 2)::int, (a.score = 3)::int, (a.score = 4)::int, (a.score = 5)::int, (a.score = 6)::int, (a.score = 7)::int, (a.score = 8)::int, (a.score = 9)::int, (a.score = 10)::int FROM answers a
		WHERE a.question_key = ANY($9) AND a.score BETWEEN 0 AND 10
			AND ((a.answered_at >= $3 AND a.answered_at < $1) OR (a.answered_at >= $2 AND a.answered_at < $4))
			AND ($7 = '' OR a.plan = $7)
			AND ($8 = '' OR (SELECT platform FROM contacts WHERE id = a.contact_id) = $8)
	) parts GROUP BY k ORDER BY k`

// ScoreCounts counts, for each of keys, the answers in [from, to) that f selects by score.
func (t *tx) ScoreCounts(from, to time.Time, keys []string, f core.ReportFilter) ([]core.ScoreCount, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	rows, err := t.query(qScoreCounts, rollup.Split(from, to).Args(f.Plan, string(f.Platform), keys)...)
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

// qChoiceCounts counts each choice key's picks by option and its answers under ”: the
// whole days from choice_count_days and the whole hours at the ends from choice_counts, the
// edges from the answers, their text split at the commas, of the runs whose questions ask
// the key as a choice (0014's choice_question), as the trigger counts. Parameters as in
// qScoreCounts.
const qChoiceCounts = `SELECT k, opt, sum(n)::bigint FROM (
		SELECT question_key AS k, option AS opt, count AS n FROM choice_count_days
		WHERE question_key = ANY($9) AND day_at >= $5 AND day_at < $6
			AND ($7 = '' OR plan = $7) AND ($8 = '' OR platform = $8)
		UNION ALL
		SELECT question_key, option, count FROM choice_counts
		WHERE question_key = ANY($9) AND ((hour_at >= $1 AND hour_at < $5) OR (hour_at >= $6 AND hour_at < $2))
			AND ($7 = '' OR plan = $7) AND ($8 = '' OR platform = $8)
		UNION ALL
		SELECT a.question_key, o.option, 1 FROM answers a
		CROSS JOIN LATERAL unnest(array_prepend('', string_to_array(a.text, ','))) AS o(option)
		WHERE a.question_key = ANY($9) AND a.score IS NULL AND NOT a.skipped AND a.text <> ''
			AND ((a.answered_at >= $3 AND a.answered_at < $1) OR (a.answered_at >= $2 AND a.answered_at < $4))
			AND ($7 = '' OR a.plan = $7)
			AND ($8 = '' OR (SELECT platform FROM contacts WHERE id = a.contact_id) = $8)
			AND choice_question((SELECT questions FROM survey_runs WHERE id = a.run_id), a.question_key)
	) parts GROUP BY k, opt HAVING sum(n) > 0 ORDER BY k, opt`

// ChoiceCounts counts, for each of keys, the picks of each option in [from, to) that f
// selects, and the answers under the option "".
func (t *tx) ChoiceCounts(from, to time.Time, keys []string, f core.ReportFilter) ([]core.ChoiceCount, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	rows, err := t.query(qChoiceCounts, rollup.Split(from, to).Args(f.Plan, string(f.Platform), keys)...)
	return scanAll(rows, err, "choice counts", func(s scanner) (core.ChoiceCount, error) {
		var c core.ChoiceCount
		return c, s.Scan(&c.Key, &c.Option, &c.Count)
	})
}

// qComments is qSliceLowestComments without the answers to the keys of $6.
const qComments = `SELECT run_id, question_key, text, answered_at, low FROM (
		SELECT a.id, a.run_id, a.question_key, a.text, a.answered_at,
			(SELECT min(s.score) FROM answers s WHERE s.run_id = a.run_id AND s.score IS NOT NULL) AS low
		FROM answers a
		WHERE a.answered_at >= $1 AND a.answered_at < $2 AND a.text <> '' AND NOT (a.question_key = ANY($6))
			AND ($3 = '' OR a.plan = $3)
			AND ($4 = '' OR (SELECT platform FROM contacts WHERE id = a.contact_id) = $4)
	) texts
	ORDER BY low IS NULL, low, answered_at, id LIMIT $5`

// Comments returns up to limit of the lowest-scored comments in [from, to) that f selects,
// leaving out the answers to the keys skip.
func (t *tx) Comments(from, to time.Time, f core.ReportFilter, skip []string, limit int) ([]core.Comment, error) {
	rows, err := t.query(qComments, from.UnixMilli(), to.UnixMilli(), f.Plan, string(f.Platform), limit,
		append([]string{}, skip...))
	return scanAll(rows, err, "comments", func(s scanner) (core.Comment, error) {
		var c core.Comment
		var low *int
		err := s.Scan(&c.RunID, &c.Key, &c.Text, timeOf(&c.At), &low)
		c.MinScore = -1
		if low != nil {
			c.MinScore = *low
		}
		return c, err
	})
}
