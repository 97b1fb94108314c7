package sqlite

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/core"
)

// holdReader opens a read transaction on its own connection, as a long report or a backup
// in another process would, and returns a function that ends it.
func holdReader(t *testing.T, path string) (release func()) {
	t.Helper()
	other, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	started, done := make(chan struct{}), make(chan struct{})
	go func() {
		_ = other.View(context.Background(), func(tx core.Tx) error {
			if _, err := tx.Contact(1); err != nil && !core.IsNotFound(err) {
				t.Error(err)
			}
			close(started)
			<-done
			return nil
		})
	}()
	<-started
	var once sync.Once
	release = func() {
		once.Do(func() {
			close(done)
			other.Close()
		})
	}
	t.Cleanup(release)
	return release
}

func TestEraseWhileAReaderHoldsTheLog(t *testing.T) {
	db := newDB(t)
	const name, userID = "Ottoline-Quibblesworth", "4242002777"
	c := core.Contact{Ref: core.UserRef{Platform: core.Telegram, ID: userID}, Name: name, CreatedAt: t0}
	update(t, db, func(tx core.Tx) error {
		if err := tx.CreateContact(&c); err != nil {
			return err
		}
		_, err := tx.Enqueue(core.Outgoing{To: core.ChatRef(c.Ref), DM: true, ContactID: c.ID,
			Message: core.Message{Text: "Hi " + name + "!"}}, t0)
		return err
	})
	if err := db.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	release := holdReader(t, db.Path())
	update(t, db, func(tx core.Tx) error { return tx.EraseContact(c.ID, t0) })

	// While the reader stays, the old copies stay, and Compact says so when its time ends.
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	err := db.Compact(ctx)
	cancel()
	if !errors.Is(err, ErrCompactionBusy) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Compact with a reader held = %v; want busy until the deadline", err)
	}
	if raw := dbBytes(t, db.Path()); !strings.Contains(raw, name) {
		t.Fatal("the name is gone although the reader kept the old pages: the checks below prove nothing")
	}
	if owed, err := db.CompactionOwed(context.Background()); !owed || err != nil {
		t.Fatalf("CompactionOwed = %v, %v after a failed compaction", owed, err)
	}

	// The owed compaction is finished by KeepCompacted (serve runs it) once the reader ends.
	release()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); db.KeepCompacted(ctx, 20*time.Millisecond, nil) }()
	waitFor(t, "the owed compaction", func() bool {
		owed, err := db.CompactionOwed(context.Background())
		return err == nil && !owed
	})
	stop()
	<-done
	raw := dbBytes(t, db.Path())
	for _, secret := range []string{name, userID} {
		if strings.Contains(raw, secret) {
			t.Errorf("database files still hold %q after the owed compaction", secret)
		}
	}
}

// The confirmation of a /forget loses the erased person's address once sent or dead
// (storetest checks that on both drivers); on SQLite the log still holds it until the
// compaction that this scrub owes.
func TestConfirmationToAnErasedContactOwesACompaction(t *testing.T) {
	for _, dies := range []bool{false, true} {
		db := newDB(t)
		const userID = "4242002888"
		c := addContact(t, db, userID)
		var id int64
		update(t, db, func(tx core.Tx) error {
			if err := tx.EraseContact(c.ID, t0); err != nil {
				return err
			}
			var err error
			id, err = tx.Enqueue(core.Outgoing{To: core.ChatRef(c.Ref), DM: true, ContactID: c.ID,
				Message: core.Message{Text: "Done: we erased your data."}}, t0)
			return err
		})
		if err := db.Compact(context.Background()); err != nil {
			t.Fatal(err)
		}
		update(t, db, func(tx core.Tx) error {
			got, err := tx.ClaimOutbox(t0, "i1", 0, 10)
			if err != nil || len(got) != 1 || got[0].To.ID != userID {
				t.Fatalf("claimed %+v, %v; the confirmation must still reach them", got, err)
			}
			if dies {
				return tx.MarkDead(id, "blocked", t0)
			}
			return tx.MarkSent(id, userID+"/7", t0)
		})
		if owed, err := db.CompactionOwed(context.Background()); !owed || err != nil {
			t.Errorf("dies %v: CompactionOwed = %v, %v after scrubbing the confirmation", dies, owed, err)
		}
		if err := db.Compact(context.Background()); err != nil {
			t.Fatal(err)
		}
		if raw := dbBytes(t, db.Path()); strings.Contains(raw, userID) {
			t.Errorf("dies %v: database files still hold the id", dies)
		}
	}
}

// The retention job deletes rows; with a reader held open meanwhile, the deleted text stays
// in the files until the compaction it owes.
func TestPruneLeavesNoCopy(t *testing.T) {
	db := newDB(t)
	const secret = "pruned-persimmon-rambutan-64"
	c := addContact(t, db, "77")
	update(t, db, func(tx core.Tx) error {
		id, err := tx.Enqueue(core.Outgoing{To: core.ChatRef(c.Ref), DM: true, ContactID: c.ID,
			Message: core.Message{Text: secret}}, t0)
		if err != nil {
			return err
		}
		return tx.MarkSent(id, "77/1", t0)
	})
	if err := db.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	release := holdReader(t, db.Path())
	update(t, db, func(tx core.Tx) error {
		n, err := tx.PruneOutbox(t0.Add(time.Hour), t0.Add(time.Hour), 100)
		if n != 1 {
			t.Errorf("pruned %d messages, want 1", n)
		}
		return err
	})
	if raw := dbBytes(t, db.Path()); !strings.Contains(raw, secret) {
		t.Fatal("the pruned text is gone although a reader held the old pages: the check below proves nothing")
	}
	release()
	if owed, err := db.CompactionOwed(context.Background()); !owed || err != nil {
		t.Fatalf("CompactionOwed = %v, %v after a prune", owed, err)
	}
	if err := db.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	if raw := dbBytes(t, db.Path()); strings.Contains(raw, secret) {
		t.Error("database files still hold the pruned text after the compaction")
	}
}
