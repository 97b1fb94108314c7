package sqlite

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// The delivery lock. On SQLite one process at a time sends the outbox: the one holding an
// exclusive lock on a file beside the database (path + ".lock"), which serve takes at start
// and commands that send take while they send. The operating system drops the lock when
// its holder exits, however it exits, so the holder knows that claims made by any other
// instance belong to a process that is gone, and takes them over at once
// (ReclaimOutbox) instead of waiting for a timeout. Read-only commands never take it. The
// file holds the holder's process id, so that a refused process can say who holds it.

// LockedError says that another process holds the database's lock.
type LockedError struct {
	Path string // the lock file
	PID  int    // the holder's process id; 0 when it could not be read
}

func (e *LockedError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = "process " + strconv.Itoa(e.PID)
	}
	return fmt.Sprintf("storage: the database is in use by %s (lock %s): only one earshot serve may run on a database file; stop the other one, or give this one its own database", who, e.Path)
}

// Lock takes the database's lock for this process and keeps it until Close. It returns a
// *LockedError when another process holds it, and does nothing when this DB holds it
// already.
func (db *DB) Lock() error {
	if db.lock.Load() != nil {
		return nil
	}
	f, err := lockFile(db.path + ".lock")
	if err != nil {
		return err
	}
	if !db.lock.CompareAndSwap(nil, f) {
		return unlockFile(f)
	}
	return nil
}

// Locked reports whether this DB holds the database's lock.
func (db *DB) Locked() bool { return db.lock.Load() != nil }

// unlock releases the lock if held; Close calls it.
func (db *DB) unlock() error {
	if f := db.lock.Swap(nil); f != nil {
		return unlockFile(f)
	}
	return nil
}

// lockFile opens path, takes an exclusive lock on it without waiting and writes this
// process's id into it.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("storage: lock %s: %w", path, err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		if errors.Is(err, errHeld) {
			return nil, &LockedError{Path: path, PID: readPID(path)}
		}
		return nil, fmt.Errorf("storage: lock %s: %w", path, err)
	}
	if err := writePID(f); err != nil {
		_ = unlockFile(f)
		return nil, fmt.Errorf("storage: lock %s: %w", path, err)
	}
	return f, nil
}

func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}

func readPID(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

// unlockFile empties the file (its pid is stale from now on) and releases the lock.
func unlockFile(f *os.File) error {
	_ = f.Truncate(0)
	if err := f.Close(); err != nil { // closing the last descriptor releases the lock
		return fmt.Errorf("storage: unlock %s: %w", f.Name(), err)
	}
	return nil
}
