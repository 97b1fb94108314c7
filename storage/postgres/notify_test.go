package postgres

import (
	"context"
	"testing"
	"time"

	"earshot/core"
)

// waitChange waits for a value on db.Changes(), failing the test after a generous while.
func waitChange(t *testing.T, db *DB, what string) {
	t.Helper()
	select {
	case <-db.Changes():
	case <-time.After(30 * time.Second):
		t.Fatalf("no change signalled: %s", what)
	}
}

// drain takes the waiting value, if any.
func drain(db *DB) {
	select {
	case <-db.Changes():
	default:
	}
}

func TestChangesWakeTheOtherReplicas(t *testing.T) {
	dbs := replicas(t, 2)
	// The listener signals once when it starts listening; from then on it hears everything.
	waitChange(t, dbs[1], "listener started")
	drain(dbs[1])
	mustUpdate(t, dbs[0], func(tx core.Tx) error {
		_, err := tx.Enqueue(core.Outgoing{To: core.ChatRef{Platform: core.Slack, ID: "C1"}}, t0)
		return err
	})
	waitChange(t, dbs[1], "an outbox message added by the other replica")
	mustUpdate(t, dbs[0], func(tx core.Tx) error {
		_, err := tx.AddJob(&core.Job{Kind: core.JobDigest, DueAt: t0})
		return err
	})
	waitChange(t, dbs[1], "a job added by the other replica")

	// A rolled-back transaction announces nothing: the next value is the next commit's.
	_ = dbs[0].Update(context.Background(), func(tx core.Tx) error {
		if _, err := tx.Enqueue(core.Outgoing{To: core.ChatRef{Platform: core.Slack, ID: "C1"}}, t0); err != nil {
			return err
		}
		return context.Canceled
	})
	mustUpdate(t, dbs[0], func(tx core.Tx) error { return tx.SetState("marker", "1") })
	select {
	case <-dbs[1].Changes():
		t.Fatal("a rolled-back enqueue or a state change woke the other replica")
	case <-time.After(200 * time.Millisecond):
	}
}

func TestLeases(t *testing.T) {
	dbs := replicas(t, 2)
	ctx := context.Background()
	acquire := func(db *DB, holder string, ttl time.Duration) bool {
		t.Helper()
		ok, err := db.AcquireLease(ctx, "telegram-poll", holder, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !acquire(dbs[0], "a", time.Minute) {
		t.Fatal("a free lease was not acquired")
	}
	if acquire(dbs[1], "b", time.Minute) {
		t.Fatal("b took a lease that a holds")
	}
	if !acquire(dbs[0], "a", time.Minute) {
		t.Fatal("a could not renew its lease")
	}
	if ok, err := dbs[1].AcquireLease(ctx, "discord-gateway", "b", time.Minute); !ok || err != nil {
		t.Fatalf("another lease's name: %v, %v", ok, err)
	}
	if err := dbs[1].ReleaseLease(ctx, "telegram-poll", "b"); err != nil {
		t.Fatal(err)
	}
	if acquire(dbs[1], "b", time.Minute) {
		t.Fatal("b's release of a lease it does not hold let it go")
	}
	if err := dbs[0].ReleaseLease(ctx, "telegram-poll", "a"); err != nil {
		t.Fatal(err)
	}
	if !acquire(dbs[1], "b", time.Millisecond) {
		t.Fatal("a released lease was not taken")
	}
	// b dies without releasing: once its ttl is over, a takes the lease.
	deadline := time.Now().Add(30 * time.Second)
	for !acquire(dbs[0], "a", time.Minute) {
		if time.Now().After(deadline) {
			t.Fatal("an expired lease was never taken over")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := dbs[0].AcquireLease(ctx, "", "a", time.Second); err == nil {
		t.Error("a lease without a name was accepted")
	}
}
