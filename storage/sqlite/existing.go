package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrNoDatabase is returned by OpenExisting when there is no database file at the path.
var ErrNoDatabase = errors.New("no database there")

// OpenExisting is Open for commands that only read (listing complaints, exporting,
// printing a digest): it never creates a database. When path names no file it returns an
// error wrapping ErrNoDatabase (and fs.ErrNotExist), so a command run against the wrong
// path says so instead of reporting an empty database.
func OpenExisting(ctx context.Context, path string) (*DB, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("storage: open %s: %w: %w", path, ErrNoDatabase, fs.ErrNotExist)
	case err != nil:
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("storage: open %s: not a regular file", path)
	}
	return Open(ctx, path)
}
