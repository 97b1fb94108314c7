package core_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"earshot/core"
	"earshot/storage/pgtest"
	"earshot/storage/postgres"
	"earshot/storage/sqlite"
)

// TestMain stops the PostgreSQL server the benchmarks start when asked to run on it.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// benchDriverEnv chooses the store of the inbound and dispatch benchmarks:
// EARSHOT_BENCH_DB=postgres runs them on a fresh database on a PostgreSQL the test starts
// (storage/pgtest), anything else on a SQLite file.
const benchDriverEnv = "EARSHOT_BENCH_DB"

// benchStore opens a migrated, empty store for a benchmark, closed when it ends.
func benchStore(b *testing.B, name string) core.Store {
	b.Helper()
	ctx := context.Background()
	if os.Getenv(benchDriverEnv) == "postgres" {
		db, err := postgres.Open(ctx, pgtest.Database(b))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		return db
	}
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), name))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return db
}

// reportRetries reports, on PostgreSQL, how many transactions per operation lost a conflict
// and ran again.
func reportRetries(b *testing.B, db core.Store) {
	if pg, ok := db.(*postgres.DB); ok {
		b.ReportMetric(float64(pg.Stats().Retries)/float64(max(b.N, 1)), "retries/op")
	}
}

// analyze refreshes PostgreSQL's planner statistics after a benchmark's setup, as its
// autovacuum would soon do: without them it plans the freshly filled tables as tiny.
func analyze(b *testing.B, db core.Store) {
	if pg, ok := db.(*postgres.DB); ok {
		if err := pg.Analyze(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
