package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
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
// numbered from 1 without gaps as SQLite's are, each with the same meaning as SQLite's of
// that number, and each starts with a one-line "-- why" header.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("postgres: list migrations: %w", err)
	}
	var out []migration
	for i, name := range names { // fs.Glob sorts
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != i+1 {
			return nil, fmt.Errorf("postgres: migration %s: want the name %04d_what.sql", base, i+1)
		}
		b, err := migrationFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("postgres: read migration %s: %w", base, err)
		}
		if !strings.HasPrefix(string(b), "-- why: ") {
			return nil, fmt.Errorf("postgres: migration %s: the first line must be a -- why: header", base)
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

// The schema's version is the one row of earshot_schema; no table means version 0.
const (
	qVersionTable  = `SELECT to_regclass('earshot_schema') IS NOT NULL`
	qVersion       = `SELECT version FROM earshot_schema`
	qCreateVersion = `CREATE TABLE IF NOT EXISTS earshot_schema (version INTEGER NOT NULL);
		INSERT INTO earshot_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM earshot_schema)`
	qSetVersion = `UPDATE earshot_schema SET version = $1`
	// migrateLock is the advisory lock that keeps replicas migrating at once apart.
	migrateLock = 0x6561727368 // "earsh"
)

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func readVersion(ctx context.Context, q querier) (int, error) {
	var exists bool
	if err := q.QueryRow(ctx, qVersionTable).Scan(&exists); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := q.QueryRow(ctx, qVersion).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

func (db *DB) version(ctx context.Context) (int, error) { return readVersion(ctx, db.pool) }

// Migrate applies, in order, each embedded migration newer than the database's schema, each
// in its own transaction together with the new version. It returns how many it applied;
// running it again applies none. Replicas migrating at once wait for each other (an advisory
// lock) and apply each migration once.
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
			return applied, nil
		}
		applied++
	}
}

// migrateOne applies the next migration; done is true when there was none to apply.
func (db *DB) migrateOne(ctx context.Context, migs []migration) (done bool, err error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("postgres: migrate: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLock); err != nil {
		return false, fmt.Errorf("postgres: migrate: lock: %w", err)
	}
	if _, err := tx.Exec(ctx, qCreateVersion); err != nil {
		return false, fmt.Errorf("postgres: migrate: %w", err)
	}
	v, err := readVersion(ctx, tx)
	if err != nil {
		return false, fmt.Errorf("postgres: migrate: %w", err)
	}
	if v > len(migs) {
		return false, fmt.Errorf("postgres: migrate: schema version %d is newer than this binary knows (%d): upgrade earshot", v, len(migs))
	}
	if v == len(migs) {
		return true, tx.Commit(ctx)
	}
	m := migs[v]
	if _, err := tx.Exec(ctx, m.sql); err != nil {
		return false, fmt.Errorf("postgres: migration %s: %w", m.name, err)
	}
	if _, err := tx.Exec(ctx, qSetVersion, m.version); err != nil {
		return false, fmt.Errorf("postgres: migration %s: set version: %w", m.name, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return false, fmt.Errorf("postgres: migration %s: commit: %w", m.name, err)
	}
	return false, nil
}
