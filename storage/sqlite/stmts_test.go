package sqlite

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"earshot/core"
)

// waitFor polls cond every 10 ms for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func cached(c *stmtCache, q string) bool {
	_, ok := (*c.stmts.Load())[q]
	return ok
}

// runsSQL is the text Runs builds for a filter on contact and states (two of them).
const runsSQL = `SELECT ` + runCols + ` FROM survey_runs WHERE contact_id = ? AND state IN (?, ?) ORDER BY due_at, id`

func TestDynamicStatementsArePreparedAfterFirstUse(t *testing.T) {
	db := newDB(t)
	c := addContact(t, db, "1")
	r := addRun(t, db, c.ID, t0)
	if cached(db.wstmts, runsSQL) || cached(db.rstmts, runsSQL) {
		t.Fatal("a filter's statement is prepared before its first use")
	}
	f := core.RunFilter{ContactID: c.ID, States: []core.RunState{core.RunSent, core.RunInProgress}}
	for _, pool := range []struct {
		name  string
		run   func(context.Context, func(core.Tx) error) error
		cache *stmtCache
	}{{"writer", db.Update, db.wstmts}, {"reader", db.View, db.rstmts}} {
		t.Run(pool.name, func(t *testing.T) {
			runs := func() {
				t.Helper()
				err := pool.run(context.Background(), func(tx core.Tx) error {
					got, err := tx.Runs(f)
					if err == nil && (len(got) != 1 || got[0].ID != r.ID) {
						t.Errorf("Runs = %+v", got)
					}
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			runs()
			waitFor(t, "the statement to be prepared", func() bool { return cached(pool.cache, runsSQL) })
			runs() // now through the prepared statement
		})
	}
}

func TestStatementCacheConcurrentAndBounded(t *testing.T) {
	db := newDB(t)
	c := addContact(t, db, "1")
	addRun(t, db, c.ID, t0)
	var wg sync.WaitGroup
	// More distinct texts than the bound (a filter with n states has n placeholders), from
	// many goroutines at once, each text several times.
	texts := maxDynamic + 20
	for g := range 8 {
		wg.Go(func() {
			for n := 1; n <= texts; n++ {
				states := make([]core.RunState, n)
				for i := range states {
					states[i] = core.RunSent
				}
				fn := func(tx core.Tx) error {
					got, err := tx.Runs(core.RunFilter{ContactID: c.ID, States: states})
					if err == nil && len(got) != 1 {
						err = fmt.Errorf("%d states: %d runs", n, len(got))
					}
					return err
				}
				run := db.View
				if g%2 == 0 {
					run = db.Update
				}
				if err := run(context.Background(), fn); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, c := range []*stmtCache{db.wstmts, db.rstmts} {
		waitFor(t, "preparations to finish", func() bool {
			c.mu.Lock()
			defer c.mu.Unlock()
			return len(c.pending) == 0
		})
		if n := len(*c.stmts.Load()); n != len(hot)+maxDynamic {
			t.Errorf("cached statements = %d, want the bound %d", n, len(hot)+maxDynamic)
		}
	}
}

func TestStatementCacheClose(t *testing.T) {
	db := newDB(t)
	// Preparations started by a filter's first use end with Close, and nothing stays open.
	for id := range int64(5) {
		update(t, db, func(tx core.Tx) error {
			_, err := tx.Runs(core.RunFilter{ContactID: id + 1, TouchpointID: id, DueFrom: t0})
			return err
		})
		view(t, db, func(tx core.Tx) error {
			_, err := tx.Complaints(core.ComplaintFilter{ContactID: id + 1, OpenedTo: t0})
			return err
		})
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, c := range []*stmtCache{db.wstmts, db.rstmts} {
		if n := len(*c.stmts.Load()); n != 0 || len(c.pending) != 0 {
			t.Errorf("%d statements, %d preparations left after Close", n, len(c.pending))
		}
	}
}
