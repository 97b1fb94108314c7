package sqlite

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"earshot/core"
)

// Compaction after an erase (and after a prune) copies the write-ahead log into the file and
// truncates it, so that no copy of an erased or deleted row stays in the log; the file itself
// holds none, since secure_delete zeroes every freed cell and page as the erase happens (the
// privacy tests fail without it). No VACUUM: it would hold the writer for seconds on a large
// file, long enough to miss Slack's and Discord's three-second acknowledgements.
//
// A TRUNCATE checkpoint must wait until no reader is on an older snapshot (a long report, a
// backup in progress, another process's query) and blocks new writers while it waits. So
// each attempt waits at most compactAttemptWait, and Compact retries until its context
// ends. The transaction that erases or prunes also stores a "compaction owed" mark in the
// state table, so that a compaction that could not finish (or a crash before it) is
// finished later: KeepCompacted, run by serve, retries at start and on a schedule until
// the mark is cleared. Each owing transaction writes a fresh value, and a compaction clears
// only the value it read before it started, so an erase committed meanwhile stays owed.

// stateCompactionOwed is the state key of the "compaction owed" mark.
const stateCompactionOwed = "compaction_owed"

const (
	compactAttemptWait = 250 * time.Millisecond // the busy wait of one attempt
	compactRetryFirst  = 50 * time.Millisecond  // Compact's first pause between attempts
	compactRetryMax    = 2 * time.Second
)

// oweCompaction records, in the transaction, that a compaction is owed.
func (t *tx) oweCompaction() error {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("storage: owe compaction: %w", err)
	}
	return t.SetState(stateCompactionOwed, hex.EncodeToString(b))
}

const qClearOwed = `DELETE FROM state WHERE key = ? AND value = ?`

// CompactionOwed reports whether an erase or prune still waits for a compaction.
func (db *DB) CompactionOwed(ctx context.Context) (bool, error) {
	mark, err := db.owedMark(ctx)
	return mark != "", err
}

// owedMark returns the mark's value, "" when nothing is owed.
func (db *DB) owedMark(ctx context.Context) (string, error) {
	var mark string
	err := db.View(ctx, func(tx core.Tx) error {
		v, err := tx.State(stateCompactionOwed)
		if core.IsNotFound(err) {
			return nil
		}
		mark = v
		return err
	})
	if err != nil {
		return "", fmt.Errorf("storage: compaction owed: %w", err)
	}
	return mark, nil
}

// ErrCompactionBusy is wrapped by Compact's error when readers kept the log busy until the
// context ended; the compaction stays owed.
var ErrCompactionBusy = errors.New("readers kept the write-ahead log busy")

// Compact checkpoints the write-ahead log into the database file and truncates it, retrying
// while readers on older snapshots prevent it, until it succeeds or ctx ends. On success it
// clears the "compaction owed" mark it found; otherwise the mark stays and the error wraps
// ErrCompactionBusy (or the failure) and ctx's error.
func (db *DB) Compact(ctx context.Context) error {
	mark, err := db.owedMark(ctx)
	if err != nil {
		return err
	}
	pause := compactRetryFirst
	for attempt := 1; ; attempt++ {
		err := db.checkpointTruncate(ctx)
		if err == nil {
			return db.clearOwed(ctx, mark)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("storage: compact: gave up after %d attempts: %w (%w)", attempt, err, ctx.Err())
		case <-time.After(pause):
		}
		pause = min(2*pause, compactRetryMax)
	}
}

// clearOwed removes the mark if it still has the value read before the compaction.
func (db *DB) clearOwed(ctx context.Context, mark string) error {
	if mark == "" {
		return nil
	}
	err := db.Update(ctx, func(t core.Tx) error {
		_, err := t.(*tx).exec(qClearOwed, stateCompactionOwed, mark)
		return err
	})
	if err != nil {
		return fmt.Errorf("storage: compact: clear the owed mark: %w", err)
	}
	return nil
}

// checkpointTruncate makes one attempt, on the checkpointer's connection (so the writer's
// queue keeps moving), waiting at most compactAttemptWait for readers and the writer.
func (db *DB) checkpointTruncate(ctx context.Context) error {
	db.ckptMu.Lock()
	defer db.ckptMu.Unlock()
	conn, err := db.ckpt.Conn(ctx)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	defer conn.Close()
	// An attempt is bounded by the busy wait; interrupted midway it would report only the
	// context's end, not what kept it from finishing.
	ctx = context.WithoutCancel(ctx)
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", compactAttemptWait.Milliseconds())); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	var busy, logPages, done int
	err = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &done)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("checkpoint: %w (%d of %d pages copied)", ErrCompactionBusy, max(done, 0), max(logPages, 0))
	}
	return nil
}

// KeepCompacted finishes owed compactions until ctx ends: it looks for the mark at once and
// then every poll, and while a compaction keeps failing it retries with a growing pause (up
// to ten polls). report, if not nil, hears each failed attempt. serve runs it.
func (db *DB) KeepCompacted(ctx context.Context, poll time.Duration, report func(error)) {
	wait, fails := time.Duration(0), 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = poll
		owed, err := db.CompactionOwed(ctx)
		if err == nil && !owed {
			continue
		}
		if err == nil {
			attempt, cancel := context.WithTimeout(ctx, poll)
			err = db.Compact(attempt)
			cancel()
		}
		if err == nil || ctx.Err() != nil {
			fails = 0
			continue
		}
		if report != nil {
			report(err)
		}
		fails++
		wait = min(poll<<min(fails, 4), 10*poll)
	}
}
