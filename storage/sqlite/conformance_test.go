package sqlite

import (
	"context"
	"os"
	"testing"

	"earshot/core"
	"earshot/storage/storetest"
)

// TestConformance runs the drivers' shared suite on SQLite; Raw checkpoints the log into
// the file (Compact) and reads both, so the erase tests see every byte SQLite keeps.
func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Driver{
		Open: func(t testing.TB) core.Store { return newDB(t) },
		Raw: func(t testing.TB, s core.Store) string {
			db := s.(*DB)
			if err := db.Compact(context.Background()); err != nil {
				t.Fatal(err)
			}
			return dbBytes(t, db.Path())
		},
		// This process holding the database's lock is what tells SQLite that every other
		// instance is gone.
		Gone: func(t testing.TB, s core.Store, _ string) {
			if err := s.(*DB).Lock(); err != nil {
				t.Fatal(err)
			}
		},
	})
}

// dbBytes returns the database file and its write-ahead log.
func dbBytes(t testing.TB, path string) string {
	t.Helper()
	var all []byte
	for _, p := range []string{path, path + "-wal", path + "-journal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return string(all)
}
