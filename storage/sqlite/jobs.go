package sqlite

import (
	"fmt"
	"time"

	"earshot/core"
)

const jobCols = `id, kind, subject, coalesce(key, ''), due_at`

func scanJob(s scanner) (core.Job, error) {
	var j core.Job
	err := s.Scan(&j.ID, &j.Kind, &j.Subject, &j.Key, timeOf(&j.DueAt))
	return j, err
}

const (
	qAddJobKey = `INSERT INTO job_keys (key) VALUES (?) ON CONFLICT (key) DO NOTHING`
	qAddJob    = `INSERT INTO jobs (kind, subject, key, due_at) VALUES (?, ?, ?, ?)`
)

// AddJob inserts j and sets j.ID. When j.Key is set and a job with that key was ever added
// (even one since done and deleted), it does nothing and returns added=false.
func (t *tx) AddJob(j *core.Job) (added bool, err error) {
	var key any
	if j.Key != "" {
		key = j.Key
		res, err := t.exec(qAddJobKey, j.Key)
		if err != nil {
			return false, fmt.Errorf("storage: add job key: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return false, fmt.Errorf("storage: add job key: %w", err)
		} else if n == 0 {
			return false, nil
		}
	}
	res, err := t.exec(qAddJob, string(j.Kind), j.Subject, key, msDue(j.DueAt))
	if err != nil {
		return false, fmt.Errorf("storage: add job: %w", err)
	}
	if j.ID, err = res.LastInsertId(); err != nil {
		return false, fmt.Errorf("storage: add job: %w", err)
	}
	return true, nil
}

const qDueJobs = `SELECT ` + jobCols + ` FROM jobs WHERE due_at <= ? ORDER BY due_at, id LIMIT ?`

// DueJobs returns up to limit jobs due at or before now, earliest first.
func (t *tx) DueJobs(now time.Time, limit int) ([]core.Job, error) {
	rows, err := t.query(qDueJobs, now.UnixMilli(), limit)
	return scanAll(rows, err, "due jobs", scanJob)
}

const qDeleteJob = `DELETE FROM jobs WHERE id = ?`

// DeleteJob removes a job. Removing one already gone (cancelled by the work it did) is not
// an error.
func (t *tx) DeleteJob(id int64) error {
	if _, err := t.exec(qDeleteJob, id); err != nil {
		return fmt.Errorf("storage: delete job %d: %w", id, err)
	}
	return nil
}

const qTakeJob = `DELETE FROM jobs WHERE id = ?`

// TakeJob removes a job to do it and reports whether it was still there.
func (t *tx) TakeJob(id int64) (bool, error) {
	res, err := t.exec(qTakeJob, id)
	if err != nil {
		return false, fmt.Errorf("storage: take job %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("storage: take job %d: %w", id, err)
	}
	return n == 1, nil
}

const qCancelJobs = `DELETE FROM jobs WHERE kind = ? AND subject = ?`

// CancelJobs removes every job of the kind for the subject.
func (t *tx) CancelJobs(kind core.JobKind, subject int64) error {
	if _, err := t.exec(qCancelJobs, string(kind), subject); err != nil {
		return fmt.Errorf("storage: cancel %s jobs of %d: %w", kind, subject, err)
	}
	return nil
}

const qNextJobAt = `SELECT min(due_at) FROM jobs`

// NextJobAt returns the earliest due time; ok is false when there is no job.
func (t *tx) NextJobAt() (time.Time, bool, error) {
	var v *int64
	if err := t.queryRow(qNextJobAt).Scan(&v); err != nil {
		return time.Time{}, false, fmt.Errorf("storage: next job at: %w", err)
	}
	if v == nil {
		return time.Time{}, false, nil
	}
	var at time.Time
	_ = timeOf(&at).Scan(*v)
	return at, true, nil
}
