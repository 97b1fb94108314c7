package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"earshot/core"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrReadOnly is returned by a write method called inside View.
var ErrReadOnly = errors.New("storage: write in a read-only transaction")

// Update runs fn in one immediate transaction on the writer connection. fn's error is
// returned as is, and nothing fn did is committed.
func (db *DB) Update(ctx context.Context, fn func(core.Tx) error) error {
	return db.run(ctx, db.writer, db.wstmts, true, fn)
}

// View runs fn in a read-only transaction on a consistent snapshot, on the reader pool.
func (db *DB) View(ctx context.Context, fn func(core.Tx) error) error {
	return db.run(ctx, db.reader, db.rstmts, false, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, stmts *stmtCache, write bool,
	fn func(core.Tx) error) error {
	sqlTx, err := pool.BeginTx(ctx, &sql.TxOptions{ReadOnly: !write})
	if err != nil {
		return fmt.Errorf("storage: begin: %w", err)
	}
	t := &tx{ctx: ctx, tx: sqlTx, stmts: stmts, write: write}
	committed := false
	defer func() {
		if !committed {
			_ = sqlTx.Rollback() // also when fn panics, so the connection is not left in a transaction
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("storage: commit: %w", err)
	}
	committed = true
	return nil
}

// tx is a core.Tx over one database/sql transaction.
type tx struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts *stmtCache // prepared statements of this pool
	write bool
}

var _ core.Tx = (*tx)(nil)

// stmt returns the transaction's copy of the prepared statement for q, or nil when q is
// not prepared (yet).
func (t *tx) stmt(q string) *sql.Stmt {
	if s := t.stmts.get(q); s != nil {
		return t.tx.StmtContext(t.ctx, s)
	}
	return nil
}

// exec runs a write. Every write goes through here, so View cannot write.
func (t *tx) exec(q string, args ...any) (sql.Result, error) {
	if !t.write {
		return nil, ErrReadOnly
	}
	if s := t.stmt(q); s != nil {
		return s.ExecContext(t.ctx, args...)
	}
	return t.tx.ExecContext(t.ctx, q, args...)
}

func (t *tx) query(q string, args ...any) (*sql.Rows, error) {
	if s := t.stmt(q); s != nil {
		return s.QueryContext(t.ctx, args...)
	}
	return t.tx.QueryContext(t.ctx, q, args...)
}

func (t *tx) queryRow(q string, args ...any) *sql.Row {
	if s := t.stmt(q); s != nil {
		return s.QueryRowContext(t.ctx, args...)
	}
	return t.tx.QueryRowContext(t.ctx, q, args...)
}

// affected returns an ENOTFOUND error when res changed no row.
func affected(res sql.Result, format string, args ...any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("storage: rows affected: %w", err)
	}
	if n == 0 {
		return core.Errorf(core.ENOTFOUND, format, args...)
	}
	return nil
}

// notFound turns sql.ErrNoRows into an ENOTFOUND error and wraps anything else.
func notFound(err error, what string, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return core.Errorf(core.ENOTFOUND, format, args...)
	}
	return fmt.Errorf("storage: %s: %w", what, err)
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY constraint violation.
func isUnique(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// scanAll reads every row of rows with scan.
func scanAll[T any](rows *sql.Rows, err error, what string, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, fmt.Errorf("storage: %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: %s: %w", what, err)
	}
	return out, nil
}
