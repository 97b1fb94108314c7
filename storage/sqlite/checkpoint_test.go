package sqlite

import (
	"context"
	"fmt"
	"testing"
)

func TestCheckpointerRunsOffTheWriter(t *testing.T) {
	db := newDB(t)
	var pages int
	if err := db.writer.QueryRow("PRAGMA wal_autocheckpoint").Scan(&pages); err != nil || pages != ckptFallbackPages {
		t.Fatalf("writer's wal_autocheckpoint = %d, %v; want the fallback %d", pages, err, ckptFallbackPages)
	}
	if n := db.checkpoints.Load(); n != 0 {
		t.Fatalf("%d checkpoints before any Update", n)
	}
	for i := range 2 * ckptEvery {
		update(t, db, setState(fmt.Sprint(i)))
	}
	waitFor(t, "the checkpointer", func() bool { return db.checkpoints.Load() > 0 })
	// Compact's own checkpoints wait for the checkpointer's instead of failing as busy.
	for range 3 {
		for i := range ckptEvery {
			update(t, db, setState(fmt.Sprint("c", i)))
		}
		if err := db.Compact(context.Background()); err != nil {
			t.Fatalf("Compact: %v", err)
		}
	}
}
