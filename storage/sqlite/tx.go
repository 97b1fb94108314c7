package sqlite

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

// View runs fn in a read-only transaction on a consistent snapshot, on the reader pool.
func (db *DB) View(ctx context.Context, fn func(core.Tx) error) error {
	sqlTx, err := db.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("storage: begin: %w", err)
	}
	t := &tx{ctx: ctx, tx: sqlTx, stmts: db.rstmts}
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
	ctx context.Context // the caller's
	// quiet, when set, is ctx without its cancellation: inside a batch a statement must
	// not be interrupted midway (see runBatch), so ctx is checked only as it starts.
	quiet context.Context
	tx    *sql.Tx
	stmts *stmtCache // prepared statements of this pool
	write bool
	// locked: this process held the database's lock as the transaction began (lock.go).
	locked bool
}

// sctx returns the context for the next statement. A done ctx is passed as is, so that
// database/sql fails the statement before it reaches SQLite.
func (t *tx) sctx() context.Context {
	if t.quiet != nil && t.ctx.Err() == nil {
		return t.quiet
	}
	return t.ctx
}

var _ core.Tx = (*tx)(nil)

// stmt returns the transaction's copy of the prepared statement for q, or nil when q is
// not prepared (yet).
func (t *tx) stmt(q string) *sql.Stmt {
	if s := t.stmts.get(q); s != nil {
		return t.tx.StmtContext(t.sctx(), s)
	}
	return nil
}

// exec runs a write. Every write goes through here, so View cannot write.
func (t *tx) exec(q string, args ...any) (sql.Result, error) {
	if !t.write {
		return nil, ErrReadOnly
	}
	if s := t.stmt(q); s != nil {
		return s.ExecContext(t.sctx(), args...)
	}
	return t.tx.ExecContext(t.sctx(), q, args...)
}

func (t *tx) query(q string, args ...any) (*sql.Rows, error) {
	if s := t.stmt(q); s != nil {
		return s.QueryContext(t.sctx(), args...)
	}
	return t.tx.QueryContext(t.sctx(), q, args...)
}

func (t *tx) queryRow(q string, args ...any) *sql.Row {
	if s := t.stmt(q); s != nil {
		return s.QueryRowContext(t.sctx(), args...)
	}
	return t.tx.QueryRowContext(t.sctx(), q, args...)
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
