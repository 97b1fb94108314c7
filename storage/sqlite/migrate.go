package sqlite

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order. Their names are NNNN_what.sql,
// numbered from 1 without gaps, and each starts with a one-line "-- why" header.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("storage: list migrations: %w", err)
	}
	var out []migration
	for i, name := range names { // fs.Glob sorts
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != i+1 {
			return nil, fmt.Errorf("storage: migration %s: want the name %04d_what.sql", base, i+1)
		}
		b, err := migrationFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("storage: read migration %s: %w", base, err)
		}
		if !strings.HasPrefix(string(b), "-- ") {
			return nil, fmt.Errorf("storage: migration %s: the first line must be a -- header saying why", base)
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	return out, nil
}

// SchemaVersion returns the version of the newest migration this binary knows.
func SchemaVersion() int {
	m, _ := migrations()
	return len(m)
}

// Migrate applies, in order, each embedded migration newer than the database's schema, each
// in its own immediate transaction together with the new version (PRAGMA user_version). It
// returns how many it applied; running it again applies none.
func (db *DB) Migrate(ctx context.Context) (applied int, err error) {
	migs, err := migrations()
	if err != nil {
		return 0, err
	}
	for {
		done, err := db.migrateOne(ctx, migs)
		if err != nil {
			return applied, err
		}
		if done {
			break
		}
		applied++
	}
	if err := db.prepare(ctx); err != nil {
		return applied, err
	}
	return applied, nil
}

// migrateOne applies the next migration; done is true when there was none to apply. The
// version is read inside the transaction, so two processes migrating at once apply each
// migration once.
func (db *DB) migrateOne(ctx context.Context, migs []migration) (done bool, err error) {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("storage: migrate: begin: %w", err)
	}
	defer tx.Rollback()
	v, err := userVersion(ctx, tx)
	if err != nil {
		return false, fmt.Errorf("storage: migrate: %w", err)
	}
	if v > len(migs) {
		return false, fmt.Errorf("storage: migrate: schema version %d is newer than this binary knows (%d): upgrade earshot", v, len(migs))
	}
	if v == len(migs) {
		return true, tx.Commit()
	}
	m := migs[v]
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, fmt.Errorf("storage: migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return false, fmt.Errorf("storage: migration %s: set version: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("storage: migration %s: commit: %w", m.name, err)
	}
	return false, nil
}
