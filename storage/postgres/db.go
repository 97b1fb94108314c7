package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"earshot/core"

	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is an open earshot database on PostgreSQL. It is safe for concurrent use, by several
// processes too.
type DB struct {
	pool *pgxpool.Pool

	// The listener (notify.go): changes is signalled on each NOTIFY earshot_changes.
	changes    chan struct{}
	stopListen context.CancelFunc
	listenDone chan struct{}
	closeOnce  sync.Once

	retries atomic.Int64 // Update attempts lost to a conflict and run again
}

var (
	_ core.Store    = (*DB)(nil)
	_ core.Notifier = (*DB)(nil)
	_ core.Leaser   = (*DB)(nil)
)

// Open connects to the database at url (postgres://user:pass@host/db?…). The URL sets the
// pool (pool_max_conns, pool_min_conns …), TLS (sslmode, sslrootcert …) and any server
// setting (statement_timeout=5s). Open refuses a database whose schema is newer than this
// binary knows; call Migrate to bring an older one up to date.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	db := &DB{pool: pool}
	v, err := db.version(ctx)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if known := SchemaVersion(); v > known {
		pool.Close()
		return nil, fmt.Errorf("postgres: open: schema version %d is newer than this binary knows (%d): upgrade earshot", v, known)
	}
	db.startListener(cfg)
	return db, nil
}

// Ping checks that the database answers on a pooled connection.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// PoolStats is a snapshot of the connection pool, for metrics.
type PoolStats struct {
	Max, Total, Acquired, Idle int
	// Waits counts acquisitions that had to wait for a connection.
	Waits int64
	// Retries counts transactions run again after losing a conflict with another.
	Retries int64
}

// Stats returns the pool's current use.
func (db *DB) Stats() PoolStats {
	s := db.pool.Stat()
	return PoolStats{Max: int(s.MaxConns()), Total: int(s.TotalConns()), Acquired: int(s.AcquiredConns()),
		Idle: int(s.IdleConns()), Waits: s.EmptyAcquireCount(), Retries: db.retries.Load()}
}

// Close stops the listener and closes every connection, waiting for those in use to be
// returned. Closing again does nothing.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.stopListener()
		db.pool.Close()
	})
	return nil
}

// ErrReadOnly is returned by a write method called inside View.
var ErrReadOnly = errors.New("postgres: write in a read-only transaction")

// Redact returns url with its password replaced, fit for a log line.
func Redact(url string) string {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return "(an unreadable URL)"
	}
	c := cfg.ConnConfig
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// Analyze refreshes the planner's statistics of every table (PostgreSQL's autovacuum does
// it in time; a benchmark that just loaded its data cannot wait for it).
func (db *DB) Analyze(ctx context.Context) error {
	if _, err := db.pool.Exec(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("postgres: analyze: %w", err)
	}
	return nil
}
