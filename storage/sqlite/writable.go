package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"earshot/core"
)

// SQLite opens a file it may not write read-only without a word, and a write-ahead log it
// cannot create fails only at the first write: a service on such a database would start,
// answer its health check and lose every event. CheckWritable finds out at start instead.

// stateWriteCheck is the state key CheckWritable writes.
const stateWriteCheck = "write_check"

// Writable refuses a database path that cannot be written, saying why: the directory must
// let SQLite create its -wal and -shm files beside the database, and the file, if it
// exists, must be writable. Call it before Open: SQLite's own complaint about a directory
// it cannot write in is "unable to open database file".
func Writable(path string) error {
	dir := filepath.Dir(path)
	probe, err := os.CreateTemp(dir, ".earshot-write-check-*")
	if err != nil {
		return fmt.Errorf("storage: %s cannot be written: the directory %s does not let earshot create files "+
			"(SQLite keeps its -wal and -shm files beside the database): %w", path, dir, err)
	}
	name := probe.Name()
	probe.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("storage: %s cannot be written: the directory %s does not let earshot remove files: %w",
			path, dir, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("storage: %s cannot be written: %w", path, err)
	}
	f.Close()
	return nil
}

// CheckWritable is Writable and then a write that must commit (a read-only mount, a file
// locked read-only by the platform).
func (db *DB) CheckWritable(ctx context.Context) error {
	if err := Writable(db.path); err != nil {
		return err
	}
	err := db.Update(ctx, func(tx core.Tx) error {
		return tx.SetState(stateWriteCheck, strconv.Itoa(os.Getpid()))
	})
	if err != nil {
		return fmt.Errorf("storage: %s cannot be written: %w", db.path, err)
	}
	return nil
}
