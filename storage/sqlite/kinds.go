package sqlite

import (
	"encoding/json"
	"fmt"
	"time"

	"earshot/core"
)

// qScoreCounts counts each key's answers by score: the whole UTC hours of the range from
// score_counts (one range of its key per question), the partial hours at the edges (zones
// with a half-hour offset) from the answers, like qScoreStats. ?1 and ?2 bound the whole
// hours, ?3 and ?4 the range, ?5 and ?6 keep one plan and one platform (” keeps all), ?7 is
// the keys as a JSON array.
const qScoreCounts = `WITH keys(k) AS (SELECT DISTINCT value FROM json_each(?7)),
	parts(k, sc, n) AS (
		SELECT s.question_key, s.score, s.count FROM keys
		JOIN score_counts s ON s.question_key = keys.k AND s.hour_at >= ?1 AND s.hour_at < ?2
		WHERE (?5 = '' OR s.plan = ?5) AND (?6 = '' OR s.platform = ?6)
		UNION ALL
		SELECT a.question_key, a.score, 1 FROM keys
		JOIN answers a ON a.question_key = keys.k AND a.score IS NOT NULL
			AND ((a.answered_at >= ?3 AND a.answered_at < ?1) OR (a.answered_at >= ?2 AND a.answered_at < ?4))
		WHERE (?5 = '' OR a.plan = ?5) AND (?6 = '' OR (SELECT platform FROM contacts WHERE id = a.contact_id) = ?6)
	)
	SELECT k, sc, sum(n) FROM parts GROUP BY k, sc HAVING sum(n) > 0 ORDER BY k, sc`

// ScoreCounts counts, for each of keys, the answers in [from, to) that f selects by score.
func (t *tx) ScoreCounts(from, to time.Time, keys []string, f core.ReportFilter) ([]core.ScoreCount, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	ks, err := json.Marshal(keys)
	if err != nil {
		return nil, fmt.Errorf("storage: score counts: %w", err)
	}
	fm, e := from.UnixMilli(), to.UnixMilli()
	hf, he := wholeHours(fm, e)
	rows, err := t.query(qScoreCounts, hf, he, fm, e, f.Plan, string(f.Platform), string(ks))
	return scanAll(rows, err, "score counts", func(s scanner) (core.ScoreCount, error) {
		var c core.ScoreCount
		return c, s.Scan(&c.Key, &c.Score, &c.Count)
	})
}

// qChoiceCounts counts each choice key's picks by option, and its answers under ”: the whole
// hours from choice_counts, the partial hours at the edges from the answers, their text
// split at the commas, of the runs whose questions ask the key as a choice: as 0014's
// trigger counts. Parameters as in qScoreCounts.
const qChoiceCounts = `WITH keys(k) AS (SELECT DISTINCT value FROM json_each(?7)),
	parts(k, opt, n) AS (
		SELECT c.question_key, c.option, c.count FROM keys
		JOIN choice_counts c ON c.question_key = keys.k AND c.hour_at >= ?1 AND c.hour_at < ?2
		WHERE (?5 = '' OR c.plan = ?5) AND (?6 = '' OR c.platform = ?6)
		UNION ALL
		SELECT a.question_key, o.value, 1 FROM keys
		JOIN answers a ON a.question_key = keys.k AND a.score IS NULL AND NOT a.skipped AND a.text <> ''
			AND ((a.answered_at >= ?3 AND a.answered_at < ?1) OR (a.answered_at >= ?2 AND a.answered_at < ?4))
		JOIN json_each('["",' || replace(json_quote(a.text), ',', '","') || ']') o
		WHERE (?5 = '' OR a.plan = ?5) AND (?6 = '' OR (SELECT platform FROM contacts WHERE id = a.contact_id) = ?6)
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
	ks, err := json.Marshal(keys)
	if err != nil {
		return nil, fmt.Errorf("storage: choice counts: %w", err)
	}
	fm, e := from.UnixMilli(), to.UnixMilli()
	hf, he := wholeHours(fm, e)
	rows, err := t.query(qChoiceCounts, hf, he, fm, e, f.Plan, string(f.Platform), string(ks))
	return scanAll(rows, err, "choice counts", func(s scanner) (core.ChoiceCount, error) {
		var c core.ChoiceCount
		return c, s.Scan(&c.Key, &c.Option, &c.Count)
	})
}
