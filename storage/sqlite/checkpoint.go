package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// Checkpoints copy the write-ahead log into the database file and sync it. SQLite runs
// them in the committing connection every 1,000 log pages, so one Update in every hundred
// or so waited for a checkpoint and its fsyncs: at 1,000 events/s that was the whole p99
// (tens to hundreds of ms on a busy disk). Instead a goroutine on a connection of its own
// runs a PASSIVE checkpoint, which never blocks the writer, after every ckptEvery batches
// (fewer, larger checkpoints: two fsyncs each).
//
// The log restarts from its beginning only when a write transaction starts with every
// frame checkpointed, which the writer, always a commit ahead, rarely sees. So the
// writer's own automatic checkpoint stays, at ckptFallbackPages: it finds most frames
// copied already, syncs, and lets the log restart. That is one short wait (an fsync) per
// ckptFallbackPages pages, instead of a full checkpoint per 1,000.
const (
	ckptEvery         = 256
	ckptFallbackPages = 10000
)

// startCheckpointer opens the checkpointer's connection and starts its goroutine.
func (db *DB) startCheckpointer(path string) error {
	c, err := sql.Open("sqlite", path+"?"+dsn(false))
	if err != nil {
		return fmt.Errorf("storage: open %s: checkpointer: %w", path, err)
	}
	c.SetMaxOpenConns(1)
	c.SetMaxIdleConns(1)
	c.SetConnMaxLifetime(0)
	c.SetConnMaxIdleTime(0)
	db.ckpt = c
	db.ckptWake = make(chan struct{}, 1)
	db.ckptDone = make(chan struct{})
	go db.checkpointer()
	return nil
}

// wakeCheckpointer asks for a checkpoint without waiting; requests made while one runs
// coalesce into the next.
func (db *DB) wakeCheckpointer() {
	select {
	case db.ckptWake <- struct{}{}:
	default:
	}
}

// checkpointer runs a checkpoint for each wake-up until Close closes ckptWake. A failed
// checkpoint is left to the next one (or to the writer's automatic one).
func (db *DB) checkpointer() {
	defer close(db.ckptDone)
	for range db.ckptWake {
		db.ckptMu.Lock()
		var busy, logPages, done int
		err := db.ckpt.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logPages, &done)
		db.ckptMu.Unlock()
		if err == nil {
			db.checkpoints.Add(1)
		}
	}
}

// stopCheckpointer ends the goroutine and closes its connection.
func (db *DB) stopCheckpointer() error {
	if db.ckpt == nil {
		return nil
	}
	close(db.ckptWake)
	<-db.ckptDone
	return db.ckpt.Close()
}
