package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
)

// hot are the statements prepared once per pool as soon as the schema is current: the
// inbound path, the due-work loop and the deliverer run them thousands of times a second.
// Statements built from a filter (Runs, Complaints) are prepared after their first use.
var hot = []string{
	qMarkInbound,
	qContact, qContactByRef, qCreateContact, qUpdateContact, qContactRef, qUpdateContactFields,
	qCreateTouchpoint, qCreateRun, qRun, qUpdateRun, qUpdateRunFields,
	qAddAnswer, qAnswersOfRun, qAnswersOfContact,
	qCreateComplaint, qComplaint, qComplaintByCard, qUpdateComplaint, qAddThreadMessage, qThread,
	qEnqueue, qOutboxMessage, qClaim, qMarkSent, qRetryOutbox, qMarkDead, qNextOutboxAt,
	qAddJobKey, qAddJob, qDueJobs, qDeleteJob, qCancelJobs, qNextJobAt,
	qState, qSetState,
	qScoreStats,
}

// maxDynamic bounds the statements prepared on first use. The filters build a few dozen
// distinct texts at most; past the bound a text simply runs unprepared.
const maxDynamic = 128

// stmtCache holds one pool's prepared statements by SQL text. Lookups read an immutable
// map (copied on the rare insert), so they take no lock.
//
// A text seen for the first time runs unprepared, and a goroutine prepares it on the pool
// for the next calls. Preparing it at once is not possible: the caller is inside a
// transaction holding a connection, and on the writer that is the only one, so
// (*sql.DB).Prepare would wait for it forever. Once prepared on the pool, each connection
// prepares it again on its first use inside a transaction (Tx.StmtContext) and keeps it.
type stmtCache struct {
	pool  *sql.DB
	ready atomic.Bool // the schema is current: statements may be prepared
	stmts atomic.Pointer[map[string]*sql.Stmt]

	mu      sync.Mutex // guards the fields below and every change of stmts
	pending map[string]bool
	dynamic int
	closed  bool
	stop    context.CancelFunc
	ctx     context.Context
	wg      sync.WaitGroup
}

func newStmtCache(pool *sql.DB) *stmtCache {
	c := &stmtCache{pool: pool, pending: map[string]bool{}}
	c.ctx, c.stop = context.WithCancel(context.Background())
	c.stmts.Store(&map[string]*sql.Stmt{})
	return c
}

// get returns the pool's prepared statement for q, or nil when q is not prepared (yet).
func (c *stmtCache) get(q string) *sql.Stmt {
	if s, ok := (*c.stmts.Load())[q]; ok {
		return s
	}
	if c.ready.Load() {
		c.prepareLater(q)
	}
	return nil
}

// prepareLater prepares q in the background, unless it is being prepared or the cache is
// full or closed.
func (c *stmtCache) prepareLater(q string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.pending[q] || c.dynamic+len(c.pending) >= maxDynamic {
		return
	}
	if _, ok := (*c.stmts.Load())[q]; ok {
		return
	}
	c.pending[q] = true
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		s, err := c.pool.PrepareContext(c.ctx, q)
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.pending, q)
		if err != nil || c.closed {
			// A failed preparation is not cached: the text runs unprepared and reports
			// its own error there.
			if s != nil {
				s.Close()
			}
			return
		}
		c.dynamic++
		c.add(map[string]*sql.Stmt{q: s})
	}()
}

// add publishes statements; c.mu is held.
func (c *stmtCache) add(more map[string]*sql.Stmt) {
	m := maps.Clone(*c.stmts.Load())
	maps.Copy(m, more)
	c.stmts.Store(&m)
}

// prepareHot prepares the hot statements and marks the cache ready.
func (c *stmtCache) prepareHot(ctx context.Context) error {
	m := make(map[string]*sql.Stmt, len(hot))
	for _, q := range hot {
		s, err := c.pool.PrepareContext(ctx, q)
		if err != nil {
			for _, s := range m {
				s.Close()
			}
			return fmt.Errorf("%s: %w", q, err)
		}
		m[q] = s
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		for _, s := range m {
			s.Close()
		}
		return fmt.Errorf("closed")
	}
	c.add(m)
	c.ready.Store(true)
	return nil
}

// close waits for preparations under way and closes every statement.
func (c *stmtCache) close() error {
	c.mu.Lock()
	c.closed = true
	c.stop()
	c.mu.Unlock()
	c.wg.Wait()
	var first error
	for _, s := range *c.stmts.Load() {
		if err := s.Close(); err != nil && first == nil {
			first = err
		}
	}
	c.stmts.Store(&map[string]*sql.Stmt{})
	return first
}

// prepare prepares the hot statements on the writer and on the readers. It needs the
// current schema, so Open calls it only for an up-to-date database, and Migrate after
// migrating. Until then transactions run the same SQL unprepared.
func (db *DB) prepare(ctx context.Context) error {
	db.prepareMu.Lock()
	defer db.prepareMu.Unlock()
	for _, c := range []*stmtCache{db.wstmts, db.rstmts} {
		if c.ready.Load() {
			continue
		}
		if err := c.prepareHot(ctx); err != nil {
			return fmt.Errorf("storage: prepare: %w", err)
		}
	}
	return nil
}
