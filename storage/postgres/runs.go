package postgres

import (
	"fmt"
	"strconv"
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
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`

// CreateRun inserts r and sets r.ID.
func (t *tx) CreateRun(r *core.SurveyRun) error {
	id, err := t.insertID(qCreateRun, runArgs(*r)...)
	if err != nil {
		return fmt.Errorf("postgres: create run: %w", err)
	}
	r.ID = id
	return nil
}

const qRun = `SELECT ` + runCols + ` FROM survey_runs WHERE id = $1`

// Run returns the run with the id (ENOTFOUND).
func (t *tx) Run(id int64) (core.SurveyRun, error) {
	r, err := scanRun(t.queryRow(qRun, id))
	if err != nil {
		return core.SurveyRun{}, notFound(err, "run", "survey run %d not found", id)
	}
	return r, nil
}

const qUpdateRun = `UPDATE survey_runs SET contact_id = $1, touchpoint_id = $2, plan = $3, state = $4,
	skip_reason = $5, due_at = $6, expires_at = $7, sent_at = $8, reminded_at = $9, finished_at = $10,
	question = $11, question_msg = $12, created_at = $13, questions = $14 WHERE id = $15`

// UpdateRun saves every field of r (ENOTFOUND).
func (t *tx) UpdateRun(r core.SurveyRun) error {
	n, err := t.exec(qUpdateRun, append(runArgs(r), r.ID)...)
	if err != nil {
		return fmt.Errorf("postgres: update run %d: %w", r.ID, err)
	}
	return affected(n, "survey run %d not found", r.ID)
}

// Runs returns the runs matching f, ordered by due time then id.
func (t *tx) Runs(f core.RunFilter) ([]core.SurveyRun, error) {
	var w where
	if f.ContactID != 0 {
		w.add("contact_id = $", f.ContactID)
	}
	if f.TouchpointID != 0 {
		w.add("touchpoint_id = $", f.TouchpointID)
	}
	if len(f.States) > 0 {
		states := make([]string, len(f.States))
		for i, s := range f.States {
			states[i] = string(s)
		}
		w.add("state = ANY($)", states)
	}
	if !f.DueFrom.IsZero() {
		w.add("due_at >= $", f.DueFrom.UnixMilli())
	}
	if !f.DueTo.IsZero() {
		w.add("due_at < $", f.DueTo.UnixMilli())
	}
	rows, err := t.query(`SELECT `+runCols+` FROM survey_runs`+w.String()+` ORDER BY due_at, id`, w.args...)
	return scanAll(rows, err, "runs", scanRun)
}

// where builds a WHERE clause of conditions joined by AND, numbering their parameters.
type where struct {
	conds []string
	args  []any
}

// add appends a condition whose one parameter is written "$".
func (w *where) add(cond string, arg any) {
	w.args = append(w.args, arg)
	w.conds = append(w.conds, strings.Replace(cond, "$", "$"+strconv.Itoa(len(w.args)), 1))
}

// String is the clause, empty when there are no conditions.
func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}
