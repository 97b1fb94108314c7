package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"earshot/core"

	"modernc.org/sqlite"
)

// cancelHook is called by the SQL function test_cancel(); set by a test.
var cancelHook atomic.Pointer[context.CancelFunc]

var registerCancel = sync.OnceValue(func() error {
	return sqlite.RegisterScalarFunction("test_cancel", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		if f := cancelHook.Load(); f != nil && args[0] == int64(1) {
			(*f)()
		}
		return args[0], nil
	})
})

// TestBatchSurvivesCancelMidStatement cancels a batched fn's ctx while its write statement
// runs. SQLite answers an interrupted write by rolling back the whole transaction, the
// other fns' work included; so inside a batch the statement runs to its end, and the fn
// fails at its next statement, alone.
func TestBatchSurvivesCancelMidStatement(t *testing.T) {
	if err := registerCancel(); err != nil {
		t.Fatal(err)
	}
	db := newDB(t) // opened after the registration: its connections have test_cancel
	batches := recordBatches(db)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelHook.Store(&cancel)
	defer cancelHook.Store(nil)
	release := holdWriter(t, db)
	wait := queueUpdates(t, db, []context.Context{1: ctx},
		setState("a"),
		func(t core.Tx) error {
			// Many rows after the one that cancels: time for the driver to interrupt.
			_, err := t.(*tx).exec(`INSERT INTO state (key, value)
				WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000)
				SELECT 'b' || x, 'v' FROM c WHERE test_cancel(x) IS NOT NULL`)
			if err != nil {
				return err
			}
			return t.SetState("b-after", "v")
		},
		setState("c"),
	)
	release()
	errs := wait()
	if got := batches(); len(got) != 2 || got[1] != 3 {
		t.Fatalf("batch sizes = %v, want [1 3]", got)
	}
	if errs[0] != nil || errs[2] != nil || !errors.Is(errs[1], context.Canceled) {
		t.Fatalf("results %v, want nil, context.Canceled, nil", errs)
	}
	wantStates(t, db, map[string]bool{"a": true, "b1": false, "b20000": false, "b-after": false, "c": true})
}
