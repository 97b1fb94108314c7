package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Backup writes a consistent copy of the database to path with VACUUM INTO, while others
// keep reading and writing. It refuses to overwrite an existing file.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("storage: backup: %s exists; choose a new file", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("storage: backup: %w", err)
	}
	// A reader connection makes the copy from its snapshot, so writers are not held up
	// meanwhile. query_only forbids writing any file, the copy too, so it is lifted for the
	// copy and the connection is discarded if it cannot be restored.
	conn, err := db.reader.Conn(ctx)
	if err != nil {
		return fmt.Errorf("storage: backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA query_only = OFF"); err != nil {
		return fmt.Errorf("storage: backup: %w", err)
	}
	defer func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA query_only = ON"); err != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("storage: backup to %s: %w", path, err)
	}
	return nil
}

// Compact checkpoints the write-ahead log into the database file and truncates it, so that
// no copy of erased text stays in the log. The file itself holds none: secure_delete zeroes
// every freed cell and page as the erase happens (the privacy tests fail without it). No
// VACUUM: it would hold the writer for seconds on a large file, long enough to miss Slack's
// and Discord's three-second acknowledgements, and it is not needed.
func (db *DB) Compact(ctx context.Context) error {
	db.ckptMu.Lock()
	defer db.ckptMu.Unlock()
	conn, err := db.writer.Conn(ctx)
	if err != nil {
		return fmt.Errorf("storage: compact: %w", err)
	}
	defer conn.Close()
	if err := checkpoint(ctx, conn); err != nil {
		return fmt.Errorf("storage: compact: %w", err)
	}
	return nil
}

// checkpoint copies the whole log into the database file and truncates the log. It waits
// (busy_timeout) for readers on older snapshots, and fails if they outlast the wait.
func checkpoint(ctx context.Context, conn *sql.Conn) error {
	var busy, logPages, done int
	err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &done)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("checkpoint: readers kept %d of %d log pages busy", logPages-done, logPages)
	}
	return nil
}
