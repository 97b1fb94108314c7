package postgres

import (
	"time"

	"earshot/core"
)

// qScoreCounts counts each key's answers by score: the whole UTC hours ($1, $2) from
// score_counts, summing its shards, and the partial hours at the edges of the range ($3,
// $4; zones with a half-hour offset) from the answers. $5 and $6 keep one plan and one
// platform (” keeps all); $7 is the keys.
const qScoreCounts = `SELECT k, sc, sum(n)::bigint FROM (
		SELECT question_key AS k, score AS sc, count AS n FROM score_counts
		WHERE question_key = ANY($7) AND hour_at >= $1 AND hour_at < $2
			AND ($5 = '' OR plan = $5) AND ($6 = '' OR platform = $6)
		UNION ALL
		SELECT a.question_key, a.score, 1 FROM answers a
		WHERE a.question_key = ANY($7) AND a.score IS NOT NULL
			AND ((a.answered_at >= $3 AND a.answered_at < $1) OR (a.answered_at >= $2 AND a.answered_at < $4))
			AND ($5 = '' OR a.plan = $5)
			AND ($6 = '' OR (SELECT platform FROM contacts WHERE id = a.contact_id) = $6)
	) parts GROUP BY k, sc HAVING sum(n) > 0 ORDER BY k, sc`

// ScoreCounts counts, for each of keys, the answers in [from, to) that f selects by score.
func (t *tx) ScoreCounts(from, to time.Time, keys []string, f core.ReportFilter) ([]core.ScoreCount, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	fm, e := from.UnixMilli(), to.UnixMilli()
	hf, he := wholeHours(fm, e)
	rows, err := t.query(qScoreCounts, hf, he, fm, e, f.Plan, string(f.Platform), keys)
	return scanAll(rows, err, "score counts", func(s scanner) (core.ScoreCount, error) {
		var c core.ScoreCount
		return c, s.Scan(&c.Key, &c.Score, &c.Count)
	})
}

// qChoiceCounts counts each choice key's picks by option and its answers under ”: the
// whole hours from choice_counts, the edges from the answers, their text split at the
// commas, of the runs whose questions ask the key as a choice (0014's
// choice_question), as the trigger counts. Parameters as in qScoreCounts.
const qChoiceCounts = `SELECT k, opt, sum(n)::bigint FROM (
		SELECT question_key AS k, option AS opt, count AS n FROM choice_counts
		WHERE question_key = ANY($7) AND hour_at >= $1 AND hour_at < $2
			AND ($5 = '' OR plan = $5) AND ($6 = '' OR platform = $6)
		UNION ALL
		SELECT a.question_key, o.option, 1 FROM answers a
		CROSS JOIN LATERAL unnest(array_prepend('', string_to_array(a.text, ','))) AS o(option)
		WHERE a.question_key = ANY($7) AND a.score IS NULL AND NOT a.skipped AND a.text <> ''
			AND ((a.answered_at >= $3 AND a.answered_at < $1) OR (a.answered_at >= $2 AND a.answered_at < $4))
			AND ($5 = '' OR a.plan = $5)
			AND ($6 = '' OR (SELECT platform FROM contacts WHERE id = a.contact_id) = $6)
			AND choice_question((SELECT questions FROM survey_runs WHERE id = a.run_id), a.question_key)
	) parts GROUP BY k, opt HAVING sum(n) > 0 ORDER BY k, opt`

// ChoiceCounts counts, for each of keys, the picks of each option in [from, to) that f
// selects, and the answers under the option "".
func (t *tx) ChoiceCounts(from, to time.Time, keys []string, f core.ReportFilter) ([]core.ChoiceCount, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	fm, e := from.UnixMilli(), to.UnixMilli()
	hf, he := wholeHours(fm, e)
	rows, err := t.query(qChoiceCounts, hf, he, fm, e, f.Plan, string(f.Platform), keys)
	return scanAll(rows, err, "choice counts", func(s scanner) (core.ChoiceCount, error) {
		var c core.ChoiceCount
		return c, s.Scan(&c.Key, &c.Option, &c.Count)
	})
}
