package storetest

import (
	"reflect"
	"testing"
	"time"

	"earshot/core"
)

func testJobs(t *testing.T, db core.Store) {
	jobs := []core.Job{
		{Kind: core.JobSurveySend, Subject: 1, DueAt: t0.Add(time.Hour)},
		{Kind: core.JobAckWarn, Subject: 7, DueAt: t0},
		{Kind: core.JobAckBreach, Subject: 7, DueAt: t0.Add(2 * time.Hour)},
		{Kind: core.JobDigest, Key: "digest:2026-W47", DueAt: t0.Add(-time.Hour)},
	}
	update(t, db, func(tx core.Tx) error {
		for i := range jobs {
			if added, err := tx.AddJob(&jobs[i]); err != nil || !added || jobs[i].ID == 0 {
				t.Fatalf("AddJob = %v, %v, id %d", added, err, jobs[i].ID)
			}
		}
		return nil
	})
	due := func(now time.Time, limit int) (out []core.Job) {
		view(t, db, func(tx core.Tx) error {
			var err error
			out, err = tx.DueJobs(now, limit)
			return err
		})
		return out
	}
	if got, want := due(t0.Add(time.Hour), 10), []core.Job{jobs[3], jobs[1], jobs[0]}; !reflect.DeepEqual(got, want) {
		t.Fatalf("DueJobs = %+v\nwant %+v", got, want)
	}
	if got := due(t0.Add(time.Hour), 1); len(got) != 1 || got[0].ID != jobs[3].ID {
		t.Fatalf("DueJobs limit 1 = %+v", got)
	}
	update(t, db, func(tx core.Tx) error {
		if err := tx.DeleteJob(jobs[3].ID); err != nil {
			return err
		}
		if err := tx.DeleteJob(jobs[3].ID); err != nil {
			t.Errorf("second DeleteJob: %v, want nil (already gone)", err)
		}
		// A keyed job is added once, even after it was done and deleted.
		again := core.Job{Kind: core.JobDigest, Key: "digest:2026-W47", DueAt: t0}
		if added, err := tx.AddJob(&again); err != nil || added {
			t.Errorf("AddJob with a used key = %v, %v; want false", added, err)
		}
		return tx.CancelJobs(core.JobAckWarn, 7)
	})
	if got := due(t0.Add(3*time.Hour), 10); len(got) != 2 || got[0].ID != jobs[0].ID || got[1].ID != jobs[2].ID {
		t.Fatalf("after delete and cancel: %+v", got)
	}
	view(t, db, func(tx core.Tx) error {
		at, ok, err := tx.NextJobAt()
		if err != nil || !ok || !at.Equal(t0.Add(time.Hour)) {
			t.Errorf("NextJobAt = %v, %v, %v", at, ok, err)
		}
		return nil
	})
	update(t, db, func(tx core.Tx) error {
		for _, j := range []int64{jobs[0].ID, jobs[2].ID} {
			if err := tx.DeleteJob(j); err != nil {
				return err
			}
		}
		if _, ok, err := tx.NextJobAt(); ok || err != nil {
			t.Errorf("NextJobAt with no jobs = %v, %v", ok, err)
		}
		return nil
	})
}

func testJobZeroDueIsDueAtOnce(t *testing.T, db core.Store) {
	j := core.Job{Kind: core.JobSurveySend, Subject: 1}
	update(t, db, func(tx core.Tx) error { _, err := tx.AddJob(&j); return err })
	view(t, db, func(tx core.Tx) error {
		got, err := tx.DueJobs(t0, 10)
		if err != nil || len(got) != 1 || !got[0].DueAt.IsZero() {
			t.Errorf("DueJobs = %+v, %v; want the job with a zero DueAt", got, err)
		}
		return nil
	})
}

// testTakeJob: a job is taken once; a cancelled one is not taken.
func testTakeJob(t *testing.T, db core.Store) {
	a := core.Job{Kind: core.JobSurveySend, Subject: 1, DueAt: t0}
	b := core.Job{Kind: core.JobSurveyRemind, Subject: 1, DueAt: t0}
	update(t, db, func(tx core.Tx) error {
		if _, err := tx.AddJob(&a); err != nil {
			return err
		}
		_, err := tx.AddJob(&b)
		return err
	})
	take := func(id int64) (taken bool) {
		update(t, db, func(tx core.Tx) error {
			var err error
			taken, err = tx.TakeJob(id)
			return err
		})
		return taken
	}
	if !take(a.ID) {
		t.Fatal("a due job was not taken")
	}
	if take(a.ID) {
		t.Fatal("a job was taken twice")
	}
	update(t, db, func(tx core.Tx) error { return tx.CancelJobs(core.JobSurveyRemind, 1) })
	if take(b.ID) {
		t.Fatal("a cancelled job was taken")
	}
}
