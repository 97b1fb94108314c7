package sqlite

import (
	"context"
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
