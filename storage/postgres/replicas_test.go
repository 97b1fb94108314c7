package postgres

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"earshot/core"
	"earshot/storage/pgtest"
)

// t0 is a fixed instant with a millisecond part.
var t0 = time.Date(2026, 11, 20, 10, 0, 0, 123_000_000, time.UTC)

// replicas opens n stores on one fresh database, as n earshot processes would.
func replicas(t *testing.T, n int) []*DB {
	t.Helper()
	url := pgtest.Database(t)
	dbs := []*DB{openURL(t, url)}
	for len(dbs) < n {
		dbs = append(dbs, openURL(t, url))
	}
	return dbs
}

func mustUpdate(t *testing.T, db *DB, fn func(core.Tx) error) {
	t.Helper()
	if err := db.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// race runs fn from each of workers goroutines spread over the replicas and fails the test
// on an error.
func race(t *testing.T, dbs []*DB, workers int, fn func(db *DB, worker int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			if err := fn(dbs[w%len(dbs)], w); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestReplicasStartOneLiveSurveyPerContact: replicas handling events of one contact at once
// each read "no live survey" and start one; serializable transactions let one of them win.
func TestReplicasStartOneLiveSurveyPerContact(t *testing.T) {
	dbs := replicas(t, 2)
	c := core.Contact{Ref: core.UserRef{Platform: core.Telegram, ID: "1"}}
	mustUpdate(t, dbs[0], func(tx core.Tx) error { return tx.CreateContact(&c) })
	live := []core.RunState{core.RunScheduled, core.RunSent, core.RunInProgress}
	// Every worker's first attempt reads before any writes: the worst interleaving.
	const workers = 6
	var readAll sync.WaitGroup
	readAll.Add(workers)
	race(t, dbs, workers, func(db *DB, w int) error {
		first := true
		return db.Update(context.Background(), func(tx core.Tx) error {
			runs, err := tx.Runs(core.RunFilter{ContactID: c.ID, States: live})
			if first {
				first = false
				readAll.Done()
				readAll.Wait()
			}
			if err != nil || len(runs) > 0 {
				return err
			}
			return tx.CreateRun(&core.SurveyRun{ContactID: c.ID, Plan: fmt.Sprint("p", w), State: core.RunScheduled, DueAt: t0})
		})
	})
	err := dbs[1].View(context.Background(), func(tx core.Tx) error {
		runs, err := tx.Runs(core.RunFilter{ContactID: c.ID})
		if len(runs) != 1 {
			t.Errorf("runs after the race: %d, want 1", len(runs))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReplicasDeduplicateOneEvent: a platform redelivering one event to every replica at
// once gets it handled once.
func TestReplicasDeduplicateOneEvent(t *testing.T) {
	dbs := replicas(t, 2)
	var mu sync.Mutex
	fresh := 0
	race(t, dbs, 8, func(db *DB, w int) error {
		var f bool
		err := db.Update(context.Background(), func(tx core.Tx) error {
			var err error
			f, err = tx.MarkInbound(core.Telegram, "update-7", t0)
			if err != nil || !f {
				return err
			}
			_, err = tx.Enqueue(core.Outgoing{To: core.ChatRef{Platform: core.Telegram, ID: "1"}}, t0)
			return err
		})
		if f && err == nil {
			mu.Lock()
			fresh++
			mu.Unlock()
		}
		return err
	})
	if fresh != 1 {
		t.Fatalf("the event was fresh %d times, want 1", fresh)
	}
}

// TestReplicasNumberComplaintsApart: complaints opened on several replicas at once get
// distinct numbers from C-1001.
func TestReplicasNumberComplaintsApart(t *testing.T) {
	dbs := replicas(t, 2)
	c := core.Contact{Ref: core.UserRef{Platform: core.Telegram, ID: "1"}}
	mustUpdate(t, dbs[0], func(tx core.Tx) error { return tx.CreateContact(&c) })
	var mu sync.Mutex
	var ids []int64
	race(t, dbs, 10, func(db *DB, w int) error {
		cp := core.Complaint{ContactID: c.ID, Status: core.StatusOpen, OpenedAt: t0}
		err := db.Update(context.Background(), func(tx core.Tx) error { return tx.CreateComplaint(&cp) })
		mu.Lock()
		ids = append(ids, cp.ID)
		mu.Unlock()
		return err
	})
	slices.Sort(ids)
	if len(slices.Compact(ids)) != 10 || ids[0] < 1001 {
		t.Fatalf("complaint ids %v: want 10 distinct from 1001", ids)
	}
}

// TestReplicasClaimEachMessageOnceInChatOrder: replicas claiming and sending at once send
// every message once, and each chat's messages in the order they were written.
func TestReplicasClaimEachMessageOnceInChatOrder(t *testing.T) {
	dbs := replicas(t, 2)
	const chats, each = 6, 15
	mustUpdate(t, dbs[0], func(tx core.Tx) error {
		for i := range each {
			for c := range chats {
				to := core.ChatRef{Platform: core.Telegram, ID: fmt.Sprint(c)}
				if _, err := tx.Enqueue(core.Outgoing{To: to, Message: core.Message{Text: fmt.Sprint(i)}}, t0); err != nil {
					return err
				}
			}
		}
		return nil
	})
	var mu sync.Mutex
	sent := map[string][]int64{} // chat → ids in the order they were marked sent
	race(t, dbs, 6, func(db *DB, w int) error {
		for {
			var batch []core.OutboxMessage
			err := db.Update(context.Background(), func(tx core.Tx) error {
				var err error
				batch, err = tx.ClaimOutbox(t0, fmt.Sprint("w", w), 0, 3)
				return err
			})
			if err != nil {
				return err
			}
			if len(batch) == 0 {
				var next bool
				err := db.View(context.Background(), func(tx core.Tx) error {
					var err error
					_, next, err = tx.NextOutboxAt()
					return err
				})
				if err != nil || !next {
					return err
				}
				continue // another replica holds the last heads
			}
			for _, m := range batch {
				mu.Lock()
				sent[m.To.ID] = append(sent[m.To.ID], m.ID)
				mu.Unlock()
				err := db.Update(context.Background(), func(tx core.Tx) error { return tx.MarkSent(m.ID, "x", t0) })
				if err != nil {
					return err
				}
			}
		}
	})
	total := 0
	for chat, ids := range sent {
		total += len(ids)
		if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
			t.Errorf("chat %s sent %v: want each once, in id order", chat, ids)
		}
	}
	if total != chats*each {
		t.Errorf("sent %d messages, want %d", total, chats*each)
	}
}

// TestReplicasTakeDifferentDueJobs: due work read for doing (in an Update) is locked, and
// another replica's read skips it.
func TestReplicasTakeDifferentDueJobs(t *testing.T) {
	dbs := replicas(t, 2)
	mustUpdate(t, dbs[0], func(tx core.Tx) error {
		for i := range 3 {
			if _, err := tx.AddJob(&core.Job{Kind: core.JobSurveySend, Subject: int64(i), DueAt: t0}); err != nil {
				return err
			}
		}
		return nil
	})
	held, release := make(chan []core.Job), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- dbs[0].Update(context.Background(), func(tx core.Tx) error {
			jobs, err := tx.DueJobs(t0, 1)
			if err != nil {
				return err
			}
			held <- jobs
			<-release
			return nil
		})
	}()
	first := <-held
	var second []core.Job
	mustUpdate(t, dbs[1], func(tx core.Tx) error {
		var err error
		second, err = tx.DueJobs(t0, 10)
		return err
	})
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(first) != 1 || len(second) != 2 || slices.ContainsFunc(second, func(j core.Job) bool { return j.ID == first[0].ID }) {
		t.Fatalf("first replica took %v, the second %v: want the other two", first, second)
	}
}

// TestReplicasTakeAJobOnce: replicas that both saw a job due (core reads due jobs in a
// View) take it once between them.
func TestReplicasTakeAJobOnce(t *testing.T) {
	dbs := replicas(t, 2)
	j := core.Job{Kind: core.JobDigest, DueAt: t0}
	mustUpdate(t, dbs[0], func(tx core.Tx) error { _, err := tx.AddJob(&j); return err })
	var mu sync.Mutex
	taken := 0
	race(t, dbs, 6, func(db *DB, w int) error {
		var got bool
		err := db.Update(context.Background(), func(tx core.Tx) error {
			var err error
			got, err = tx.TakeJob(j.ID)
			return err
		})
		if got && err == nil {
			mu.Lock()
			taken++
			mu.Unlock()
		}
		return err
	})
	if taken != 1 {
		t.Fatalf("the job was taken %d times, want 1", taken)
	}
}
