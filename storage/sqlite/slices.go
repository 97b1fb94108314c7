package sqlite

import (
	"fmt"
	"time"

	"earshot/core"
	"earshot/storage/internal/rollup"
)

// qSliceScoreStats is qScoreStats over score_slice_days and score_slices, keeping the rows
// of one plan and one platform (?7, ?8; an empty one keeps all): the whole days and the
// whole hours are each one range of their table's key, the partial hours at the edges
// (zones with half-hour offsets) come from answers as there, each answer's platform from
// its contact.
const qSliceScoreStats = `WITH RECURSIVE keys(k) AS (
		SELECT min(question_key) FROM score_days
		UNION ALL
		SELECT (SELECT min(question_key) FROM score_days WHERE question_key > keys.k)
		FROM keys WHERE k IS NOT NULL
	), parts(k, s, n) AS (
		SELECT question_key, sum, count FROM score_slice_days
		WHERE day_at >= ?5 AND day_at < ?6 AND (?7 = '' OR plan = ?7) AND (?8 = '' OR platform = ?8)
		UNION ALL
		SELECT question_key, sum, count FROM score_slices
		WHERE hour_at >= ?1 AND hour_at < ?5 AND (?7 = '' OR plan = ?7) AND (?8 = '' OR platform = ?8)
		UNION ALL
		SELECT question_key, sum, count FROM score_slices
		WHERE hour_at >= ?6 AND hour_at < ?2 AND (?7 = '' OR plan = ?7) AND (?8 = '' OR platform = ?8)
		UNION ALL
		SELECT a.question_key, a.score, 1 FROM keys
		JOIN answers a ON a.question_key = keys.k AND a.score IS NOT NULL
			AND a.answered_at >= ?3 AND a.answered_at < ?1
		WHERE (?7 = '' OR a.plan = ?7) AND (?8 = '' OR (SELECT platform FROM contacts WHERE id = a.contact_id) = ?8)
		UNION ALL
		SELECT a.question_key, a.score, 1 FROM keys
		JOIN answers a ON a.question_key = keys.k AND a.score IS NOT NULL
			AND a.answered_at >= ?2 AND a.answered_at < ?4
		WHERE (?7 = '' OR a.plan = ?7) AND (?8 = '' OR (SELECT platform FROM contacts WHERE id = a.contact_id) = ?8)
	)
	SELECT k, sum(s), sum(n) FROM parts GROUP BY k HAVING sum(n) > 0 ORDER BY k`

// SliceScoreStats returns, for each scale question key answered in [from, to) in the plan
// and by customers on the platform f names, the sum and count of scores, ordered by key.
func (t *tx) SliceScoreStats(from, to time.Time, f core.ReportFilter) ([]core.ScoreStat, error) {
	rows, err := t.query(qSliceScoreStats, rollup.Split(from, to).Args(f.Plan, string(f.Platform))...)
	return scanAll(rows, err, "slice score stats", func(s scanner) (core.ScoreStat, error) {
		var st core.ScoreStat
		return st, s.Scan(&st.Key, &st.Sum, &st.Count)
	})
}

// qSliceSurveyCounts is qSurveyCounts keeping one plan and one platform; the platform is
// looked up per run, so the runs are still read from the sent_at index.
const qSliceSurveyCounts = `SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM answers a WHERE a.run_id = r.id)), 0)
	FROM survey_runs r WHERE r.sent_at >= ?1 AND r.sent_at < ?2 AND (?3 = '' OR r.plan = ?3)
		AND (?4 = '' OR (SELECT platform FROM contacts WHERE id = r.contact_id) = ?4)`

// SliceSurveyCounts counts runs of the plan sent in [from, to) to customers on the platform
// f names and, of those, the ones with an answer.
func (t *tx) SliceSurveyCounts(from, to time.Time, f core.ReportFilter) (sent, answered int, err error) {
	err = t.queryRow(qSliceSurveyCounts, from.UnixMilli(), to.UnixMilli(), f.Plan, string(f.Platform)).Scan(&sent, &answered)
	if err != nil {
		return 0, 0, fmt.Errorf("storage: slice survey counts: %w", err)
	}
	return sent, answered, nil
}

// qSliceLowestComments is qLowestComments keeping one plan and one platform.
const qSliceLowestComments = `WITH texts AS MATERIALIZED (
		SELECT a.id, a.run_id, a.question_key, a.text, a.answered_at,
			(SELECT min(s.score) FROM answers s WHERE s.run_id = a.run_id AND s.score IS NOT NULL) AS low
		FROM answers a
		WHERE a.answered_at >= ?1 AND a.answered_at < ?2 AND a.text <> '' AND (?3 = '' OR a.plan = ?3)
			AND (?4 = '' OR (SELECT platform FROM contacts WHERE id = a.contact_id) = ?4)
	)
	SELECT run_id, question_key, text, answered_at, low FROM texts
	ORDER BY low IS NULL, low, answered_at, id LIMIT ?5`

// SliceLowestComments is LowestComments over the answers of the plan given by customers on
// the platform f names.
func (t *tx) SliceLowestComments(from, to time.Time, f core.ReportFilter, limit int) ([]core.Comment, error) {
	rows, err := t.query(qSliceLowestComments, from.UnixMilli(), to.UnixMilli(), f.Plan, string(f.Platform), limit)
	return scanAll(rows, err, "slice lowest comments", func(s scanner) (core.Comment, error) {
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
