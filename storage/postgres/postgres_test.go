package postgres

import (
	"context"
	"os"
	"testing"

	"earshot/core"
	"earshot/storage/pgtest"
	"earshot/storage/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// newDB opens a migrated database, fresh for the test.
func newDB(t testing.TB) *DB {
	t.Helper()
	return openURL(t, pgtest.Database(t))
}

// openURL opens and migrates the database at url, closed when the test ends.
func openURL(t testing.TB, url string) *DB {
	t.Helper()
	db, err := Open(context.Background(), url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Driver{
		Open: func(t testing.TB) core.Store { return newDB(t) },
		// An instance is gone when its lease has run out (see ReclaimOutbox).
		Gone: func(t testing.TB, s core.Store, instance string) {
			_, err := s.(*DB).pool.Exec(context.Background(),
				`UPDATE leases SET until = clock_timestamp() - interval '1 minute' WHERE name = $1`, instanceLease+instance)
			if err != nil {
				t.Fatal(err)
			}
		},
	})
}
