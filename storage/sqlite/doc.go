// Package sqlite is earshot's SQLite store: it implements core.Store and core.Tx on
// modernc.org/sqlite (no cgo), owns the schema and its embedded migrations, and offers the
// maintenance the binary needs (backup, compaction after an erase).
//
// One writer goroutine on one connection runs every Update, so writers queue in Go instead
// of failing with "database is locked"; Updates waiting together share one immediate
// transaction and one commit, each in its own savepoint (group commit, writer.go). A pool
// of query-only connections runs View. Times are stored as unix milliseconds (UTC); a zero time.Time is NULL.
package sqlite
