package sqlite

import (
	"fmt"
	"strings"

	"earshot/core"
)

const runCols = `id, contact_id, touchpoint_id, plan, state, skip_reason, due_at, expires_at, sent_at,
	reminded_at, finished_at, question, question_msg, created_at, questions`

func scanRun(s scanner) (core.SurveyRun, error) {
	var r core.SurveyRun
	var qs string
	err := s.Scan(&r.ID, &r.ContactID, nullIDOf(&r.TouchpointID), &r.Plan, &r.State, &r.SkipReason,
		timeOf(&r.DueAt), timeOf(&r.ExpiresAt), timeOf(&r.SentAt), timeOf(&r.RemindedAt),
		timeOf(&r.FinishedAt), &r.Question, nullIDOf(&r.QuestionMsg), timeOf(&r.CreatedAt), &qs)
	if err == nil {
		r.Questions, err = core.DecodeQuestions(qs)
	}
	return r, err
}

func runArgs(r core.SurveyRun) []any {
	return []any{r.ContactID, nullID(r.TouchpointID), r.Plan, string(r.State), r.SkipReason,
		msDue(r.DueAt), ms(r.ExpiresAt), ms(r.SentAt), ms(r.RemindedAt), ms(r.FinishedAt),
		r.Question, nullID(r.QuestionMsg), ms(r.CreatedAt), core.EncodeQuestions(r.Questions)}
}

const qCreateRun = `INSERT INTO survey_runs (contact_id, touchpoint_id, plan, state, skip_reason,
	due_at, expires_at, sent_at, reminded_at, finished_at, question, question_msg, created_at, questions)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// CreateRun inserts r and sets r.ID.
func (t *tx) CreateRun(r *core.SurveyRun) error {
	res, err := t.exec(qCreateRun, runArgs(*r)...)
	if err != nil {
		return fmt.Errorf("storage: create run: %w", err)
	}
	if r.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("storage: create run: %w", err)
	}
	return nil
}

const qRun = `SELECT ` + runCols + ` FROM survey_runs WHERE id = ?`

// Run returns the run with the id (ENOTFOUND).
func (t *tx) Run(id int64) (core.SurveyRun, error) {
	r, err := scanRun(t.queryRow(qRun, id))
	if err != nil {
		return core.SurveyRun{}, notFound(err, "run", "survey run %d not found", id)
	}
	return r, nil
}

const qUpdateRun = `UPDATE survey_runs SET contact_id = ?, touchpoint_id = ?, plan = ?, state = ?,
	skip_reason = ?, due_at = ?, expires_at = ?, sent_at = ?, reminded_at = ?, finished_at = ?,
	question = ?, question_msg = ?, created_at = ?, questions = ? WHERE id = ?`

// qUpdateRunFields writes only the columns no index holds, and only while the indexed ones
// are as given. Most updates (the next question, a reminder) change no indexed column:
// they cost one statement and no index page at commit; the others fall back to qUpdateRun.
const qUpdateRunFields = `UPDATE survey_runs SET plan = ?, skip_reason = ?, expires_at = ?,
	reminded_at = ?, finished_at = ?, question = ?, question_msg = ?, created_at = ?, questions = ?
	WHERE id = ? AND contact_id = ? AND touchpoint_id IS ? AND state = ? AND due_at = ? AND sent_at IS ?`

// UpdateRun saves every field of r (ENOTFOUND).
func (t *tx) UpdateRun(r core.SurveyRun) error {
	res, err := t.exec(qUpdateRunFields, r.Plan, r.SkipReason, ms(r.ExpiresAt), ms(r.RemindedAt),
		ms(r.FinishedAt), r.Question, nullID(r.QuestionMsg), ms(r.CreatedAt), core.EncodeQuestions(r.Questions),
		r.ID, r.ContactID, nullID(r.TouchpointID), string(r.State), msDue(r.DueAt), ms(r.SentAt))
	if err != nil {
		return fmt.Errorf("storage: update run %d: %w", r.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("storage: update run %d: %w", r.ID, err)
	} else if n == 1 {
		return nil
	}
	if res, err = t.exec(qUpdateRun, append(runArgs(r), r.ID)...); err != nil {
		return fmt.Errorf("storage: update run %d: %w", r.ID, err)
	}
	return affected(res, "survey run %d not found", r.ID)
}

// Runs returns the runs matching f, ordered by due time then id.
func (t *tx) Runs(f core.RunFilter) ([]core.SurveyRun, error) {
	var where []string
	var args []any
	if f.ContactID != 0 {
		where, args = append(where, "contact_id = ?"), append(args, f.ContactID)
	}
	if f.TouchpointID != 0 {
		where, args = append(where, "touchpoint_id = ?"), append(args, f.TouchpointID)
	}
	if len(f.States) > 0 {
		where = append(where, "state IN ("+placeholders(len(f.States))+")")
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if !f.DueFrom.IsZero() {
		where, args = append(where, "due_at >= ?"), append(args, f.DueFrom.UnixMilli())
	}
	if !f.DueTo.IsZero() {
		where, args = append(where, "due_at < ?"), append(args, f.DueTo.UnixMilli())
	}
	q := `SELECT ` + runCols + ` FROM survey_runs` + whereClause(where) + ` ORDER BY due_at, id`
	rows, err := t.query(q, args...)
	return scanAll(rows, err, "runs", scanRun)
}

// placeholders returns n comma-separated question marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// whereClause joins conditions with AND; empty when there are none.
func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}
