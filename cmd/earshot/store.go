package main

import (
	"context"
	"fmt"
	"time"

	"earshot/cmd/earshot/internal/config"
	"earshot/cmd/earshot/internal/metrics"
	"earshot/core"
	"earshot/storage/postgres"
	"earshot/storage/sqlite"
)

// store is an open database of either driver.
type store interface {
	core.Store
	Ping(ctx context.Context) error
	Close() error
}

var (
	_ store = (*sqlite.DB)(nil)
	_ store = (*postgres.DB)(nil)
)

// openStore opens the configured database and brings its schema up to date. path is the
// SQLite file (the demo and the tests choose their own), which with mustExist must be there
// already; PostgreSQL's database is s.URL.
func openStore(ctx context.Context, s config.Storage, path string, mustExist bool) (store, error) {
	if s.Postgres() {
		db, err := postgres.Open(ctx, s.URL)
		if err != nil {
			return nil, err
		}
		if _, err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
	db, err := openDB(ctx, path, mustExist)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// checkWritable refuses a store that would fail at its first write (a SQLite file on a
// read-only mount); PostgreSQL says so itself at the first write and is not probed.
func checkWritable(ctx context.Context, db store) error {
	if w, ok := db.(interface{ CheckWritable(context.Context) error }); ok {
		return w.CheckWritable(ctx)
	}
	return nil
}

// keepCompacted finishes compactions owed by an erase or a prune until ctx ends, on stores
// whose files keep old copies of deleted rows (SQLite's log); PostgreSQL has no file of
// ours to compact, so it returns at once there.
func keepCompacted(ctx context.Context, db store, report func(error)) {
	if c, ok := db.(interface {
		KeepCompacted(context.Context, time.Duration, func(error))
	}); ok {
		c.KeepCompacted(ctx, compactPoll, report)
	}
}

// storeName says which database a store is, for logs and messages, without a password.
func storeName(s config.Storage) string {
	if s.Postgres() {
		return "postgres " + postgres.Redact(s.URL)
	}
	return s.Path
}

// wakeOnChanges wakes the service's loops whenever another replica adds work, when the
// store can tell (PostgreSQL); it returns when ctx ends.
func wakeOnChanges(ctx context.Context, db store, svc *core.Service) {
	n, ok := db.(core.Notifier)
	if !ok {
		return
	}
	for {
		select {
		case <-n.Changes():
			svc.Wake()
		case <-ctx.Done():
			return
		}
	}
}

// schemaOf says a store's schema version for the migrate command.
func schemaOf(s config.Storage) string {
	if s.Postgres() {
		return fmt.Sprint(postgres.SchemaVersion())
	}
	return fmt.Sprint(sqlite.SchemaVersion())
}

// watchPool registers the pool's gauges when the store has a pool (PostgreSQL).
func watchPool(m *metrics.Metrics, db store) error {
	pg, ok := db.(*postgres.DB)
	if !ok {
		return nil
	}
	return m.WatchPool(func() metrics.PoolStats {
		s := pg.Stats()
		return metrics.PoolStats{Max: s.Max, Total: s.Total, Acquired: s.Acquired, Idle: s.Idle, Waits: s.Waits,
			Retries: s.Retries}
	})
}

// lockDelivery takes SQLite's delivery lock (one sending process per database file; see
// storage.DB.Lock): it returns a *storage.LockedError when another process holds it.
// PostgreSQL needs none: replicas share it and tell the living by their leases
// (core.OutboxStore).
func lockDelivery(db store) error {
	if s, ok := db.(*sqlite.DB); ok {
		return s.Lock()
	}
	return nil
}
