package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"earshot/core"
)

var errBoom = errors.New("boom")

// holdWriter makes the writer run an Update that waits until release is called, so that
// the Updates sent meanwhile queue up and run as one batch.
func holdWriter(t *testing.T, db *DB) (release func()) {
	t.Helper()
	started, hold, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- db.Update(context.Background(), func(core.Tx) error {
			close(started)
			<-hold
			return nil
		})
	}()
	<-started
	return func() {
		close(hold)
		if err := <-done; err != nil {
			t.Errorf("holding Update: %v", err)
		}
	}
}

// queueUpdates sends Updates in order, each once the previous one is queued, and returns
// their results in that order once all have returned.
func queueUpdates(t *testing.T, db *DB, ctxs []context.Context, fns ...func(core.Tx) error) (wait func() []error) {
	t.Helper()
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		ctx := context.Background()
		if i < len(ctxs) && ctxs[i] != nil {
			ctx = ctxs[i]
		}
		wg.Go(func() { errs[i] = db.Update(ctx, fn) })
		waitFor(t, "the request to queue", func() bool { return len(db.queue) == i+1 })
	}
	return func() []error { wg.Wait(); return errs }
}

// recordBatches returns the sizes of the batches run from now on.
func recordBatches(db *DB) func() []int {
	var mu sync.Mutex
	var sizes []int
	db.onBatch = func(n int) { mu.Lock(); sizes = append(sizes, n); mu.Unlock() }
	return func() []int { mu.Lock(); defer mu.Unlock(); return append([]int(nil), sizes...) }
}

func setState(k string) func(core.Tx) error {
	return func(tx core.Tx) error { return tx.SetState(k, "v") }
}

// wantStates checks which keys are set.
func wantStates(t *testing.T, db *DB, set map[string]bool) {
	t.Helper()
	view(t, db, func(tx core.Tx) error {
		for k, want := range set {
			_, err := tx.State(k)
			if got := err == nil; got != want {
				t.Errorf("state %q set = %v (%v), want %v", k, got, err, want)
			}
		}
		return nil
	})
}

func TestBatchRollsBackOnlyTheFailingFns(t *testing.T) {
	db := newDB(t)
	batches := recordBatches(db)
	release := holdWriter(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wait := queueUpdates(t, db, []context.Context{5: ctx},
		setState("a"),
		func(tx core.Tx) error { _ = tx.SetState("b", "v"); return errBoom },
		func(tx core.Tx) error { _ = tx.SetState("c", "v"); panic("boom") },
		func(tx core.Tx) error {
			// Reads see the earlier fns' writes, and not those rolled back.
			if v, err := tx.State("a"); err != nil || v != "v" {
				return fmt.Errorf("state a in a later fn = %q, %v", v, err)
			}
			if _, err := tx.State("b"); !core.IsNotFound(err) {
				return fmt.Errorf("state b of a failed fn: %v", err)
			}
			return tx.SetState("d", "v")
		},
		setState("e"),
		// Its caller's ctx ends between two statements: the second fails before it starts.
		func(tx core.Tx) error {
			if err := tx.SetState("f", "v"); err != nil {
				return err
			}
			cancel()
			return tx.SetState("f2", "v")
		},
		setState("g"),
	)
	release()
	errs := wait()
	if got := batches(); len(got) != 2 || got[1] != 7 {
		t.Fatalf("batch sizes = %v, want [1 7]", got)
	}
	for i, want := range []error{nil, errBoom, nil, nil, nil, context.Canceled, nil} {
		if i == 2 {
			if errs[i] == nil || !strings.Contains(errs[i].Error(), "panicked: boom") {
				t.Errorf("panicking fn: %v", errs[i])
			}
			continue
		}
		if !errors.Is(errs[i], want) || (want == nil) != (errs[i] == nil) {
			t.Errorf("fn %d: %v, want %v", i, errs[i], want)
		}
	}
	wantStates(t, db, map[string]bool{"a": true, "b": false, "c": false, "d": true, "e": true,
		"f": false, "f2": false, "g": true})
}

func TestFailedCommitFailsTheWholeBatch(t *testing.T) {
	// A foreign key checked only at COMMIT fails it; the writer must be usable afterwards.
	badAnswer := func(t core.Tx) error {
		if _, err := t.(*tx).exec(`PRAGMA defer_foreign_keys = ON`); err != nil {
			return err
		}
		return t.AddAnswer(&core.Answer{RunID: 999, ContactID: 999, Plan: "p", QuestionKey: "k", AnsweredAt: t0})
	}
	for _, batched := range []bool{false, true} {
		t.Run(fmt.Sprintf("batched=%v", batched), func(t *testing.T) {
			db := newDB(t)
			batches := recordBatches(db)
			var errs []error
			if batched {
				release := holdWriter(t, db)
				wait := queueUpdates(t, db, nil, setState("x"), badAnswer,
					func(tx core.Tx) error { _ = tx.SetState("y", "v"); return errBoom }, setState("z"))
				release()
				errs = wait()
				if got := batches(); len(got) != 2 || got[1] != 4 {
					t.Fatalf("batch sizes = %v, want [1 4]", got)
				}
			} else {
				errs = []error{db.Update(context.Background(), badAnswer)}
			}
			for i, err := range errs {
				if i == 2 {
					if !errors.Is(err, errBoom) {
						t.Errorf("failing fn: %v, want its own error", err)
					}
					continue
				}
				if err == nil || !strings.Contains(err.Error(), "storage: commit") || !strings.Contains(err.Error(), "FOREIGN KEY") {
					t.Errorf("fn %d: %v, want the commit's error", i, err)
				}
			}
			wantStates(t, db, map[string]bool{"x": false, "y": false, "z": false})
			update(t, db, setState("after"))
			wantStates(t, db, map[string]bool{"after": true})
			var n int
			if err := db.reader.QueryRow(`SELECT count(*) FROM answers`).Scan(&n); err != nil || n != 0 {
				t.Errorf("answers = %d, %v", n, err)
			}
		})
	}
}

func TestUpdateContextDone(t *testing.T) {
	db := newDB(t)
	ran := false
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := db.Update(ctx, func(core.Tx) error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("Update with a done ctx = %v, ran %v", err, ran)
	}

	// Cancelled while queued: the caller returns at once, and fn never runs.
	release := holdWriter(t, db)
	ctx, cancel = context.WithCancel(context.Background())
	got := make(chan error, 1)
	go func() { got <- db.Update(ctx, func(core.Tx) error { ran = true; return nil }) }()
	waitFor(t, "the request to queue", func() bool { return len(db.queue) == 1 })
	cancel()
	if err := <-got; !errors.Is(err, context.Canceled) {
		t.Fatalf("Update cancelled while queued = %v", err)
	}
	release()
	update(t, db, setState("next")) // runs after the abandoned request was passed over
	if ran {
		t.Fatal("the abandoned fn ran")
	}
}

func TestConcurrentUpdatesWithFailures(t *testing.T) {
	db := newDB(t)
	batches := recordBatches(db)
	const writers, each = 16, 60
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				k := fmt.Sprintf("%d-%d", w, i)
				err := db.Update(context.Background(), func(tx core.Tx) error {
					if _, err := tx.MarkInbound(core.Slack, k, t0); err != nil {
						return err
					}
					if err := tx.SetState(k, "v"); err != nil {
						return err
					}
					switch i % 6 {
					case 1:
						return fmt.Errorf("fn %s: %w", k, errBoom)
					case 4:
						panic(k)
					}
					return nil
				})
				switch i % 6 {
				case 1:
					if !errors.Is(err, errBoom) {
						t.Errorf("fn %s: %v, want boom", k, err)
					}
				case 4:
					if err == nil || !strings.Contains(err.Error(), "panicked: "+k) {
						t.Errorf("fn %s: %v, want its panic", k, err)
					}
				default:
					if err != nil {
						t.Errorf("fn %s: %v", k, err)
					}
				}
			}
		})
	}
	wg.Wait()
	want := map[string]bool{}
	for w := range writers {
		for i := range each {
			want[fmt.Sprintf("%d-%d", w, i)] = i%6 != 1 && i%6 != 4
		}
	}
	wantStates(t, db, want)
	var inbound int
	if err := db.reader.QueryRow(`SELECT count(*) FROM inbound`).Scan(&inbound); err != nil || inbound != writers*each*4/6 {
		t.Errorf("inbound rows = %d, %v; want %d", inbound, err, writers*each*4/6)
	}
	n := 0
	for _, s := range batches() {
		n += s
	}
	if n != writers*each {
		t.Errorf("batches ran %d fns, want %d", n, writers*each)
	}
}

func TestCloseRunsQueuedUpdatesAndLeaksNothing(t *testing.T) {
	base := runtime.NumGoroutine()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "close.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A filter's statement is being prepared in the background, too.
	view(t, db, func(tx core.Tx) error { _, err := tx.Runs(core.RunFilter{ContactID: 1}); return err })
	release := holdWriter(t, db)
	wait := queueUpdates(t, db, nil, setState("a"), setState("b"))
	closed := make(chan error, 1)
	go func() { closed <- db.Close() }()
	waitFor(t, "Close to stop taking Updates", func() bool {
		db.closeMu.RLock()
		defer db.closeMu.RUnlock()
		return db.closed
	})
	if err := db.Update(context.Background(), setState("late")); !errors.Is(err, ErrClosed) {
		t.Errorf("Update during Close = %v, want ErrClosed", err)
	}
	release()
	for i, err := range wait() {
		if err != nil {
			t.Errorf("queued Update %d: %v", i, err)
		}
	}
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := db.Update(context.Background(), setState("after")); !errors.Is(err, ErrClosed) {
		t.Errorf("Update after Close = %v, want ErrClosed", err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	waitFor(t, "goroutines to end", func() bool { return runtime.NumGoroutine() <= base })

	db, err = Open(context.Background(), db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	wantStates(t, db, map[string]bool{"a": true, "b": true, "late": false, "after": false})
}
