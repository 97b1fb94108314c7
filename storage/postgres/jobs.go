package postgres

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
	qAddJobKey = `INSERT INTO job_keys (key) VALUES ($1) ON CONFLICT (key) DO NOTHING`
	qAddJob    = `INSERT INTO jobs (kind, subject, key, due_at) VALUES ($1, $2, $3, $4) RETURNING id`
)

// AddJob inserts j and sets j.ID. When j.Key is set and a job with that key was ever added
// (even one since done and deleted), it does nothing and returns added=false.
func (t *tx) AddJob(j *core.Job) (added bool, err error) {
	var key any
	if j.Key != "" {
		key = j.Key
		n, err := t.exec(qAddJobKey, j.Key)
		if err != nil {
			return false, fmt.Errorf("postgres: add job key: %w", err)
		}
		if n == 0 {
			return false, nil
		}
	}
	id, err := t.insertID(qAddJob, string(j.Kind), j.Subject, key, msDue(j.DueAt))
	if err != nil {
		return false, fmt.Errorf("postgres: add job: %w", err)
	}
	j.ID = id
	return true, nil
}

// qDueJobs, in a write transaction, locks the jobs it returns and skips those another
// replica has locked, so replicas running due work at once take different jobs.
const (
	qDueJobs       = `SELECT ` + jobCols + ` FROM jobs WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2`
	qDueJobsLocked = qDueJobs + ` FOR UPDATE SKIP LOCKED`
)

// DueJobs returns up to limit jobs due at or before now, earliest first.
func (t *tx) DueJobs(now time.Time, limit int) ([]core.Job, error) {
	q := qDueJobs
	if t.write {
		q = qDueJobsLocked
	}
	rows, err := t.query(q, now.UnixMilli(), limit)
	return scanAll(rows, err, "due jobs", scanJob)
}

const qDeleteJob = `DELETE FROM jobs WHERE id = $1`

// DeleteJob removes a job. Removing one already gone (cancelled by the work it did) is not
// an error.
func (t *tx) DeleteJob(id int64) error {
	if _, err := t.exec(qDeleteJob, id); err != nil {
		return fmt.Errorf("postgres: delete job %d: %w", id, err)
	}
	return nil
}

// TakeJob removes a job to do it and reports whether it was still there. Two replicas
// taking one job: the second waits for the first's transaction, and is retried (SERIALIZABLE)
// to find the job gone.
func (t *tx) TakeJob(id int64) (bool, error) {
	n, err := t.exec(qDeleteJob, id)
	if err != nil {
		return false, fmt.Errorf("postgres: take job %d: %w", id, err)
	}
	return n == 1, nil
}

const qCancelJobs = `DELETE FROM jobs WHERE kind = $1 AND subject = $2`

// CancelJobs removes every job of the kind for the subject.
func (t *tx) CancelJobs(kind core.JobKind, subject int64) error {
	if _, err := t.exec(qCancelJobs, string(kind), subject); err != nil {
		return fmt.Errorf("postgres: cancel %s jobs of %d: %w", kind, subject, err)
	}
	return nil
}

const qNextJobAt = `SELECT min(due_at) FROM jobs`

// NextJobAt returns the earliest due time; ok is false when there is no job.
func (t *tx) NextJobAt() (time.Time, bool, error) {
	var v *int64
	if err := t.queryRow(qNextJobAt).Scan(&v); err != nil {
		return time.Time{}, false, fmt.Errorf("postgres: next job at: %w", err)
	}
	if v == nil {
		return time.Time{}, false, nil
	}
	return timeAt(*v), true, nil
}
