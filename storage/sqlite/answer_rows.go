package sqlite

import (
	"fmt"
	"time"

	"earshot/core"
)

// qAnswerRows reads one page of answers given in [?1, ?2) after the answer ?3, in the order
// they arrived, each with its contact's platform and account (empty once erased). It walks
// the table by id rather than by an index on answered_at: an export is rare, while every
// answer would pay for one more index, and answers arrive in time order anyway.
const qAnswerRows = `SELECT a.id, a.run_id, a.contact_id, a.plan, a.question_key, a.score, a.text,
		a.skipped, a.answered_at, c.platform, CASE WHEN c.erased_at IS NULL THEN c.user_id ELSE '' END
	FROM answers a JOIN contacts c ON c.id = a.contact_id
	WHERE a.id > ?3 AND a.answered_at >= ?1 AND a.answered_at < ?2
	ORDER BY a.id LIMIT ?4`

// AnswerRows returns up to limit answers given in [from, to) with an id above after, in the
// order they arrived, for a streaming export.
func (t *tx) AnswerRows(from, to time.Time, after int64, limit int) ([]core.AnswerRow, error) {
	rows, err := t.query(qAnswerRows, from.UnixMilli(), to.UnixMilli(), after, limit)
	return scanAll(rows, err, "answer rows", func(s scanner) (core.AnswerRow, error) {
		var r core.AnswerRow
		a := &r.Answer
		err := s.Scan(&a.ID, &a.RunID, &a.ContactID, &a.Plan, &a.QuestionKey, intPtrOf(&a.Score),
			&a.Text, &a.Skipped, timeOf(&a.AnsweredAt), &r.Platform, &r.AccountID)
		if err != nil {
			return r, fmt.Errorf("scan: %w", err)
		}
		return r, nil
	})
}
