package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"

	"earshot/core"
)

// ErrClosed is returned by Update after Close.
var ErrClosed = errors.New("storage: database closed")

// maxBatch bounds how many Updates share one transaction (and one commit).
const maxBatch = 64

// request is one Update waiting for the writer.
type request struct {
	ctx   context.Context
	fn    func(core.Tx) error
	state atomic.Int32 // queued, then taken by the writer or abandoned by the caller
	done  chan error   // the result; buffered, so the writer never waits for the caller
}

const (
	queued int32 = iota
	taken
	abandoned
)

// Update runs fn in an immediate transaction on the writer connection: either everything
// fn did is committed or nothing is. fn's error is returned as is, and a panic in fn
// becomes an error for this caller. A ctx done before fn starts returns ctx.Err() and fn
// does not run.
//
// Concurrent Updates are group-committed: one writer goroutine takes every request queued
// at that moment (up to maxBatch) and runs them one after another in one transaction,
// each inside its own savepoint, so a failing fn rolls back only its own effects; then one
// COMMIT, whose failure fails every caller whose fn succeeded. A lone request runs
// without a savepoint and never waits for company.
func (db *DB) Update(ctx context.Context, fn func(core.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &request{ctx: ctx, fn: fn, done: make(chan error, 1)}
	db.closeMu.RLock()
	if db.closed {
		db.closeMu.RUnlock()
		return ErrClosed
	}
	select {
	case db.queue <- r:
		db.closeMu.RUnlock()
	case <-ctx.Done():
		db.closeMu.RUnlock()
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		if r.state.CompareAndSwap(queued, abandoned) {
			return ctx.Err()
		}
		return <-r.done // fn is running; its statements see ctx and it ends soon
	}
}

// startWriter starts the goroutine that runs Updates; Close stops it.
func (db *DB) startWriter() {
	db.queue = make(chan *request, 4*maxBatch)
	db.writerDone = make(chan struct{})
	go db.write()
}

// write runs the queued requests, each time taking all that are waiting, until Close
// closes the queue; the requests still queued then are run too.
func (db *DB) write() {
	defer close(db.writerDone)
	batch := make([]*request, 0, maxBatch)
	for r := range db.queue {
		batch = append(batch[:0], r)
	more:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-db.queue:
				if !ok {
					break more
				}
				batch = append(batch, r)
			default:
				break more
			}
		}
		live := batch[:0]
		for _, r := range batch {
			if !r.state.CompareAndSwap(queued, taken) {
				continue // the caller gave up and already has ctx.Err()
			}
			if err := r.ctx.Err(); err != nil {
				r.done <- err
				continue
			}
			live = append(live, r)
		}
		if db.onBatch != nil {
			db.onBatch(len(live))
		}
		switch len(live) {
		case 0:
		case 1:
			db.runOne(live[0])
		default:
			db.runBatch(live)
		}
		clear(batch) // let the requests go
		if db.batches++; db.batches%ckptEvery == 0 {
			db.wakeCheckpointer()
		}
	}
}

// runOne runs a lone request in its own transaction, without a savepoint.
func (db *DB) runOne(r *request) {
	sqlTx, err := db.writer.BeginTx(context.Background(), nil)
	if err != nil {
		r.done <- fmt.Errorf("storage: begin: %w", err)
		return
	}
	if err := call(r.fn, &tx{ctx: r.ctx, tx: sqlTx, stmts: db.wstmts, write: true, locked: db.Locked()}); err != nil {
		_ = sqlTx.Rollback()
		r.done <- err
		return
	}
	r.done <- db.commit(sqlTx)
}

// Savepoint statements around each fn of a batch.
const (
	qSavepoint  = `SAVEPOINT fn`
	qRelease    = `RELEASE fn`
	qRollbackTo = `ROLLBACK TO fn`
)

// runBatch runs several requests in one transaction, each inside a savepoint. A fn's
// statements run with its caller's ctx, but honour its cancellation only between
// statements (see tx.sctx): SQLite answers a statement interrupted midway by rolling back
// the whole transaction, the other callers' work included.
func (db *DB) runBatch(rs []*request) {
	sqlTx, err := db.writer.BeginTx(context.Background(), nil)
	if err != nil {
		for _, r := range rs {
			r.done <- fmt.Errorf("storage: begin: %w", err)
		}
		return
	}
	var ok []*request
	for i, r := range rs {
		if err := db.savepoint(sqlTx, qSavepoint); err != nil {
			db.abortBatch(sqlTx, ok, rs[i:], err)
			return
		}
		err := call(r.fn, &tx{ctx: r.ctx, quiet: context.WithoutCancel(r.ctx), tx: sqlTx, stmts: db.wstmts, write: true,
			locked: db.Locked()})
		if err == nil {
			if err := db.savepoint(sqlTx, qRelease); err != nil {
				db.abortBatch(sqlTx, ok, rs[i:], err)
				return
			}
			ok = append(ok, r)
			continue
		}
		if rerr := db.savepoint(sqlTx, qRollbackTo); rerr != nil {
			db.abortBatch(sqlTx, ok, rs[i:], rerr)
			return
		}
		if rerr := db.savepoint(sqlTx, qRelease); rerr != nil {
			db.abortBatch(sqlTx, ok, rs[i:], rerr)
			return
		}
		r.done <- err // nothing of it remains, whatever the commit does
	}
	err = db.commit(sqlTx)
	for _, r := range ok {
		r.done <- err
	}
}

// abortBatch handles a transaction that no longer holds what the batch did (a savepoint
// statement failed): the callers whose fns ran get the error, and the requests not yet
// run, from rest[1:], are run again on a new transaction. rest[0] ran (or was about to)
// and fails too.
func (db *DB) abortBatch(sqlTx *sql.Tx, ok, rest []*request, cause error) {
	_ = sqlTx.Rollback()
	err := fmt.Errorf("storage: batch aborted: %w", cause)
	for _, r := range append(ok, rest[0]) {
		r.done <- err
	}
	switch len(rest) {
	case 1:
	case 2:
		db.runOne(rest[1])
	default:
		db.runBatch(rest[1:])
	}
}

// savepoint runs one of the savepoint statements, prepared once on the writer.
func (db *DB) savepoint(sqlTx *sql.Tx, q string) error {
	ctx := context.Background()
	var err error
	if s := db.wstmts.get(q); s != nil {
		_, err = sqlTx.StmtContext(ctx, s).ExecContext(ctx)
	} else {
		_, err = sqlTx.ExecContext(ctx, q)
	}
	if err != nil {
		return fmt.Errorf("storage: %s: %w", q, err)
	}
	return nil
}

// commit commits sqlTx. When COMMIT fails (a deferred constraint, a full disk) the driver
// rolls the transaction back, so the writer's next one starts clean (tested).
func (db *DB) commit(sqlTx *sql.Tx) error {
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("storage: commit: %w", err)
	}
	return nil
}

// call runs fn, turning a panic into an error.
func call(fn func(core.Tx) error, t *tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("storage: update panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return fn(t)
}
