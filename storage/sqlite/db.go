package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"earshot/core"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DB is an open earshot database. It is safe for concurrent use.
type DB struct {
	path   string
	writer *sql.DB // one connection; its transactions are BEGIN IMMEDIATE
	reader *sql.DB // several query-only connections

	// Prepared statements by SQL text, one cache per pool (see stmtCache).
	wstmts    *stmtCache
	rstmts    *stmtCache
	prepareMu sync.Mutex

	// Update's requests for the writer goroutine (see writer.go). closeMu guards sending
	// on queue against Close closing it.
	queue      chan *request
	writerDone chan struct{}
	closeMu    sync.RWMutex
	closed     bool
	onBatch    func(n int) // tests: called with each batch's size before it runs
	batches    int         // the writer's count, to wake the checkpointer

	// The checkpointer (checkpoint.go); ckptMu keeps Compact's checkpoints apart from it.
	ckpt        *sql.DB
	ckptWake    chan struct{}
	ckptDone    chan struct{}
	ckptMu      sync.Mutex
	checkpoints atomic.Int64

	lock atomic.Pointer[os.File] // the delivery lock, while this process holds it (lock.go)
}

var _ core.Store = (*DB)(nil)

// busyTimeoutMS is how long a connection waits for a lock before SQLITE_BUSY.
const busyTimeoutMS = 5000

// Open opens the database at path, creating the file if needed. It refuses a database whose
// schema is newer than this binary knows. Call Migrate to bring an older schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || strings.ContainsRune(path, '?') || strings.HasPrefix(path, "file:") || path == ":memory:" {
		return nil, fmt.Errorf("storage: open %q: want a plain file path", path)
	}
	migs, err := migrations()
	if err != nil {
		return nil, err
	}
	db := &DB{path: path}
	db.writer, err = sql.Open("sqlite", path+"?"+dsn(false))
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	db.writer.SetMaxOpenConns(1)
	db.writer.SetMaxIdleConns(1)
	db.writer.SetConnMaxLifetime(0)
	db.writer.SetConnMaxIdleTime(0)
	db.wstmts = newStmtCache(db.writer)
	// The writer connects first: it creates the file and switches it to WAL.
	version, err := userVersion(ctx, db.writer)
	if err != nil {
		db.writer.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	if version > len(migs) {
		db.writer.Close()
		return nil, fmt.Errorf("storage: open %s: schema version %d is newer than this binary knows (%d): upgrade earshot",
			path, version, len(migs))
	}
	n := max(4, runtime.NumCPU())
	db.reader, err = sql.Open("sqlite", path+"?"+dsn(true))
	if err != nil {
		db.writer.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	db.reader.SetMaxOpenConns(n)
	db.reader.SetMaxIdleConns(n)
	db.rstmts = newStmtCache(db.reader)
	if err := db.reader.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("storage: open %s: reader: %w", path, err)
	}
	if version == len(migs) {
		if err := db.prepare(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := db.startCheckpointer(path); err != nil {
		db.Close()
		return nil, err
	}
	db.startWriter()
	return db, nil
}

// dsn returns the driver parameters for the writer or for a reader connection.
func dsn(reader bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "secure_delete(ON)")
	if reader {
		q.Add("_pragma", "query_only(ON)")
		return q.Encode()
	}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// A batch's savepoints copy each page before its first change into a sub-journal;
	// kept in memory, that costs a copy instead of a write to a temporary file.
	q.Add("_pragma", "temp_store(MEMORY)")
	// The checkpointer does this off the writer's path (checkpoint.go).
	q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", ckptFallbackPages))
	q.Set("_txlock", "immediate")
	return q.Encode()
}

func userVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// Ping checks that both the writer and the readers answer.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.reader.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("storage: ping reader: %w", err)
	}
	if err := db.writer.PingContext(ctx); err != nil {
		return fmt.Errorf("storage: ping writer: %w", err)
	}
	return nil
}

// Close stops taking Updates, runs those already queued, waits for them and closes every
// connection. Views in flight should have finished. Closing again does nothing.
func (db *DB) Close() error {
	db.closeMu.Lock()
	if db.closed {
		db.closeMu.Unlock()
		return nil
	}
	db.closed = true
	db.closeMu.Unlock()
	if db.queue != nil {
		close(db.queue)
		<-db.writerDone
	}
	errs := []error{db.stopCheckpointer()}
	for _, c := range []*stmtCache{db.wstmts, db.rstmts} {
		if c != nil {
			errs = append(errs, c.close())
		}
	}
	if db.reader != nil {
		errs = append(errs, db.reader.Close())
	}
	errs = append(errs, db.writer.Close(), db.unlock())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("storage: close: %w", err)
	}
	return nil
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }
