package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"

	"earshot/storage/postgres"
	"earshot/storage/sqlite"
)

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fset, path := flags("migrate", e)
	from := fset.String("from-sqlite", "", "copy the SQLite database `FILE` into the configured PostgreSQL database, which must be empty")
	if err := parse(fset, args); err != nil {
		return err
	}
	cfg, err := loadConfig(ctx, *path)
	if err != nil {
		return err
	}
	if *from != "" {
		if !cfg.Storage.Postgres() {
			return usagef("migrate --from-sqlite: the configuration's storage.driver must be postgres (the target)")
		}
		return copyFromSQLite(ctx, e, cfg.Storage.URL, *from)
	}
	var n int
	if cfg.Storage.Postgres() {
		db, err := postgres.Open(ctx, cfg.Storage.URL)
		if err != nil {
			return err
		}
		defer db.Close()
		if n, err = db.Migrate(ctx); err != nil {
			return err
		}
	} else {
		db, err := sqlite.Open(ctx, cfg.Storage.Path)
		if err != nil {
			return err
		}
		defer db.Close()
		if n, err = db.Migrate(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "%s: schema version %s (%d migrations applied)\n", storeName(cfg.Storage), schemaOf(cfg.Storage), n)
	return nil
}

// copyFromSQLite brings the SQLite file's schema up to date, creates the schema in the
// PostgreSQL database and copies every row across, saying how far it got on stderr.
func copyFromSQLite(ctx context.Context, e *env, pgURL, file string) error {
	if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("migrate --from-sqlite: %s does not exist", file)
	}
	if sqlite.SchemaVersion() != postgres.SchemaVersion() {
		return fmt.Errorf("migrate --from-sqlite: this binary knows SQLite schema %d and PostgreSQL schema %d; use one whose drivers agree",
			sqlite.SchemaVersion(), postgres.SchemaVersion())
	}
	// The source is migrated first, as serve would, so both sides have the same tables.
	src, err := sqlite.Open(ctx, file)
	if err != nil {
		return err
	}
	_, err = src.Migrate(ctx)
	src.Close()
	if err != nil {
		return err
	}
	raw, err := sql.Open("sqlite", "file:"+(&url.URL{Path: file}).EscapedPath()+"?mode=ro")
	if err != nil {
		return fmt.Errorf("migrate --from-sqlite: %w", err)
	}
	defer raw.Close()

	dst, err := postgres.Open(ctx, pgURL)
	if err != nil {
		return err
	}
	defer dst.Close()
	if _, err := dst.Migrate(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "copying %s into %s\n", file, postgres.Redact(pgURL))
	if err := dst.CopyFromSQLite(ctx, raw, e.stderr); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "copied %s into %s (schema version %d)\n", file, postgres.Redact(pgURL), postgres.SchemaVersion())
	return nil
}
