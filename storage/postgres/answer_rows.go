package postgres

import (
	"fmt"
	"time"

	"earshot/core"
)

// qAnswerRows reads one page of answers given in [$1, $2) after the answer $3, in the order
// they arrived, each with its contact's platform and account (empty once erased), walking
// the table by id as SQLite's does.
const qAnswerRows = `SELECT a.id, a.run_id, a.contact_id, a.plan, a.question_key, a.score, a.text,
		a.skipped, a.answered_at, c.platform, CASE WHEN c.erased_at IS NULL THEN c.user_id ELSE '' END
	FROM answers a JOIN contacts c ON c.id = a.contact_id
	WHERE a.id > $3 AND a.answered_at >= $1 AND a.answered_at < $2
	ORDER BY a.id LIMIT $4`

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

// qInactiveContacts finds contacts not erased whose last sign of life — their last message,
// else their creation, and their newest touchpoint — is before $1.
const qInactiveContacts = `SELECT c.id FROM contacts c
	WHERE c.erased_at IS NULL AND coalesce(c.seen_at, c.created_at, 0) < $1
	  AND NOT EXISTS (SELECT 1 FROM touchpoints t WHERE t.contact_id = c.id AND t.created_at >= $1)
	ORDER BY c.id LIMIT $2`

// InactiveContacts returns up to limit ids of contacts not erased with no message and no
// touchpoint since before.
func (t *tx) InactiveContacts(before time.Time, limit int) ([]int64, error) {
	rows, err := t.query(qInactiveContacts, before.UnixMilli(), limit)
	return scanAll(rows, err, "inactive contacts", func(s scanner) (int64, error) {
		var id int64
		return id, s.Scan(&id)
	})
}
