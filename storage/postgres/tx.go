package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"time"

	"earshot/core"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// maxAttempts bounds how often Update runs fn when PostgreSQL keeps aborting it for
// conflicts; past it, the last conflict is returned.
const maxAttempts = 30

// Update runs fn in a SERIALIZABLE transaction: everything fn did is committed, or nothing.
// When PostgreSQL aborts the transaction for a serialization failure or a deadlock (another
// replica's transaction touched what this one read), Update waits a little and runs fn
// again from the start, so fn may run more than once (core.Store allows it). fn's error is
// returned as is, and a panic in fn becomes an error; neither is retried.
func (db *DB) Update(ctx context.Context, fn func(core.Tx) error) error {
	var err error
	for attempt := range maxAttempts {
		if err = ctx.Err(); err != nil {
			return err
		}
		err = db.attempt(ctx, fn)
		if !retryable(err) {
			return err
		}
		db.retries.Add(1)
		// Back off a random while, growing, so the racers do not meet again.
		pause := time.Duration(rand.Int64N(int64(time.Millisecond) << min(attempt, 6)))
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return fmt.Errorf("postgres: update: still conflicting after %d attempts: %w", maxAttempts, err)
}

// attempt runs fn once in its own transaction.
func (db *DB) attempt(ctx context.Context, fn func(core.Tx) error) (err error) {
	pgTx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	committed := false
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("postgres: update panicked: %v\n%s", p, debug.Stack())
		}
		if !committed {
			_ = pgTx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	t := &tx{ctx: ctx, tx: pgTx, write: true}
	err = fn(t)
	if t.conflict != nil {
		// A statement lost a conflict; whatever fn made of that error, the transaction is
		// aborted and is retried as a whole.
		return t.conflict
	}
	if err != nil {
		return err
	}
	if err := pgTx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	committed = true
	return nil
}

// retryable reports whether err is PostgreSQL aborting a transaction for a conflict.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// View runs fn in a read-only transaction on one consistent snapshot.
func (db *DB) View(ctx context.Context, fn func(core.Tx) error) (err error) {
	pgTx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer func() {
		// Nothing to commit: a read-only transaction ends the same either way.
		_ = pgTx.Rollback(context.WithoutCancel(ctx))
	}()
	return fn(&tx{ctx: ctx, tx: pgTx})
}

// tx is a core.Tx over one PostgreSQL transaction.
type tx struct {
	ctx   context.Context
	tx    pgx.Tx
	write bool
	// conflict is the first serialization failure or deadlock a statement met.
	conflict error
}

// note remembers a conflict among the statement errors passing through, and returns err.
func (t *tx) note(err error) error {
	if t.conflict == nil && retryable(err) {
		t.conflict = err
	}
	return err
}

var _ core.Tx = (*tx)(nil)

// exec runs a write and returns how many rows it changed. Every write goes through here or
// through writeRows, so View cannot write.
func (t *tx) exec(q string, args ...any) (int64, error) {
	if !t.write {
		return 0, ErrReadOnly
	}
	tag, err := t.tx.Exec(t.ctx, q, args...)
	if err != nil {
		return 0, t.note(err)
	}
	return tag.RowsAffected(), nil
}

// insertID runs an INSERT … RETURNING id.
func (t *tx) insertID(q string, args ...any) (int64, error) {
	if !t.write {
		return 0, ErrReadOnly
	}
	var id int64
	err := t.tx.QueryRow(t.ctx, q, args...).Scan(&id)
	return id, t.note(err)
}

// writeRows runs a write that returns rows (UPDATE … RETURNING).
func (t *tx) writeRows(q string, args ...any) (pgx.Rows, error) {
	if !t.write {
		return nil, ErrReadOnly
	}
	return t.query(q, args...)
}

func (t *tx) query(q string, args ...any) (pgx.Rows, error) {
	rows, err := t.tx.Query(t.ctx, q, args...)
	if err != nil {
		return nil, t.note(err)
	}
	return notingRows{rows, t}, nil
}

func (t *tx) queryRow(q string, args ...any) pgx.Row {
	return notingRow{t.tx.QueryRow(t.ctx, q, args...), t}
}

// notingRow and notingRows pass their errors through tx.note.
type notingRow struct {
	pgx.Row
	t *tx
}

func (r notingRow) Scan(dest ...any) error { return r.t.note(r.Row.Scan(dest...)) }

type notingRows struct {
	pgx.Rows
	t *tx
}

func (r notingRows) Err() error { return r.t.note(r.Rows.Err()) }

// affected returns an ENOTFOUND error when n is 0.
func affected(n int64, format string, args ...any) error {
	if n == 0 {
		return core.Errorf(core.ENOTFOUND, format, args...)
	}
	return nil
}

// notFound turns pgx.ErrNoRows into an ENOTFOUND error and wraps anything else.
func notFound(err error, what string, format string, args ...any) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return core.Errorf(core.ENOTFOUND, format, args...)
	}
	return fmt.Errorf("postgres: %s: %w", what, err)
}

// scanner is a pgx.Row or pgx.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// scanAll reads every row of rows with scan.
func scanAll[T any](rows pgx.Rows, err error, what string, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	return out, nil
}

// isNoRows reports whether err says a query returned no row (an INSERT … ON CONFLICT DO
// NOTHING RETURNING that inserted nothing, too).
func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
