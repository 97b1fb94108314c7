package sqlite

import (
	"fmt"

	"earshot/core"
)

const answerCols = `id, run_id, contact_id, plan, question_key, score, text, skipped, answered_at`

func scanAnswer(s scanner) (core.Answer, error) {
	var a core.Answer
	err := s.Scan(&a.ID, &a.RunID, &a.ContactID, &a.Plan, &a.QuestionKey, intPtrOf(&a.Score),
		&a.Text, &a.Skipped, timeOf(&a.AnsweredAt))
	return a, err
}

const qAddAnswer = `INSERT INTO answers (run_id, contact_id, plan, question_key, score, text,
	skipped, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

// AddAnswer inserts a and sets a.ID.
func (t *tx) AddAnswer(a *core.Answer) error {
	res, err := t.exec(qAddAnswer, a.RunID, a.ContactID, a.Plan, a.QuestionKey, intPtr(a.Score),
		a.Text, a.Skipped, msDue(a.AnsweredAt))
	if err != nil {
		return fmt.Errorf("storage: add answer: %w", err)
	}
	if a.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("storage: add answer: %w", err)
	}
	return nil
}

const (
	qAnswersOfRun     = `SELECT ` + answerCols + ` FROM answers WHERE run_id = ? ORDER BY id`
	qAnswersOfContact = `SELECT ` + answerCols + ` FROM answers
		WHERE run_id IN (SELECT id FROM survey_runs WHERE contact_id = ?1) AND contact_id = ?1 ORDER BY id`
)

// Answers returns the answers of a run, or of a contact when runID is 0, in the order they
// arrived.
func (t *tx) Answers(runID, contactID int64) ([]core.Answer, error) {
	q, arg := qAnswersOfRun, runID
	if runID == 0 {
		q, arg = qAnswersOfContact, contactID
	}
	rows, err := t.query(q, arg)
	return scanAll(rows, err, "answers", scanAnswer)
}
