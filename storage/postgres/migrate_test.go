package postgres

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"earshot/storage/pgtest"
)

func TestMigrateFreshThenIdempotent(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Database(t)
	db, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := db.version(ctx); err != nil || v != 0 {
		t.Fatalf("empty database version = %d, %v", v, err)
	}
	if n, err := db.Migrate(ctx); err != nil || n != SchemaVersion() || n < 1 {
		t.Fatalf("first Migrate = %d, %v; want %d", n, err, SchemaVersion())
	}
	if n, err := db.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("second Migrate = %d, %v; want 0", n, err)
	}
	if v, err := db.version(ctx); err != nil || v != SchemaVersion() {
		t.Fatalf("version = %d, %v", v, err)
	}
}

// TestMigrationsMatchSQLite: the same numbers with the same names, so a schema version
// means the same on both drivers (and `migrate --from-sqlite` can compare them).
func TestMigrationsMatchSQLite(t *testing.T) {
	migs, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range migs {
		names = append(names, m.name)
		header, _, _ := strings.Cut(m.sql, "\n")
		if len(header) < len("-- why: ")+10 {
			t.Errorf("%s: header %q says too little", m.name, header)
		}
	}
	// SQLite's migrations, where they are now or after the move to storage/sqlite.
	var want []string
	for _, dir := range []string{"../migrations", "../sqlite/migrations"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sql"))
		for _, f := range files {
			want = append(want, filepath.Base(f))
		}
	}
	if len(want) == 0 {
		t.Fatal("SQLite's migrations not found")
	}
	if !slices.Equal(names, want) {
		t.Errorf("PostgreSQL migrations %v\nSQLite's %v\nwant the same numbers and names", names, want)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Database(t)
	db := openURL(t, url)
	if _, err := db.pool.Exec(ctx, qSetVersion, SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, url); err == nil || !strings.Contains(err.Error(), "newer than this binary") {
		t.Fatalf("Open of a newer schema = %v, want a refusal", err)
	}
	if _, err := db.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "newer than this binary") {
		t.Fatalf("Migrate of a newer schema = %v, want a refusal", err)
	}
}

func TestReplicasMigratingAtOnceApplyEachMigrationOnce(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Database(t)
	var wg sync.WaitGroup
	applied := make([]int, 3)
	errs := make([]error, 3)
	for i := range applied {
		db, err := Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		wg.Go(func() { applied[i], errs[i] = db.Migrate(ctx) })
	}
	wg.Wait()
	total := 0
	for i := range applied {
		if errs[i] != nil {
			t.Errorf("replica %d: Migrate: %v", i, errs[i])
		}
		total += applied[i]
	}
	if total != SchemaVersion() {
		t.Errorf("migrations applied %v, want %d in all", applied, SchemaVersion())
	}
}
