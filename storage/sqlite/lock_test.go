package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"earshot/core"
)

// TestLock: a second holder is refused with the first holder's process id; read-only use
// needs no lock; closing releases it.
func TestLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "earshot.db")
	first := openAt(t, path)
	if err := first.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := first.Lock(); err != nil {
		t.Fatalf("locking again: %v", err)
	}
	second := openAt(t, path)
	err := second.Lock()
	var locked *LockedError
	if !errors.As(err, &locked) || locked.PID != os.Getpid() || !strings.Contains(err.Error(), "process "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("second Lock = %v; want a LockedError naming pid %d", err, os.Getpid())
	}
	view(t, second, func(tx core.Tx) error { _, _, err := tx.OutboxStats(); return err })
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if err := second.Lock(); err != nil {
		t.Fatalf("Lock after the holder closed: %v", err)
	}
}

func openAt(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}
