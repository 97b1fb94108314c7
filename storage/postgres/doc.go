// Package postgres is earshot's PostgreSQL store, for several replicas sharing one
// database: it implements core.Store and core.Tx on github.com/jackc/pgx/v5 (pgxpool), owns
// its SQL and its embedded migrations (numbered and meant as SQLite's), wakes the other
// replicas when work is added (core.Notifier, LISTEN/NOTIFY) and hands out leases for what
// a platform allows only once (core.Leaser).
//
// Concurrency: every Update runs in a SERIALIZABLE transaction and is retried when
// PostgreSQL aborts it for a conflict (SQLSTATE 40001, or 40P01 for a deadlock), so the
// read-then-write transactions of core (one live survey per contact, complaint numbers,
// inbound dedup, idempotent touchpoints, the digest's cursor) stay correct with replicas
// racing, without core knowing which rows to lock. core.Store allows it: fn may run more
// than once. The outbox is claimed with FOR UPDATE SKIP LOCKED on each chat's head row, so
// replicas claiming at once take different chats instead of waiting for each other; when
// their reads overlap, one of them is retried. View runs in a REPEATABLE READ, READ ONLY
// transaction: one consistent snapshot.
//
// Times are stored as BIGINT unix milliseconds (UTC), as on SQLite; a zero time.Time is NULL.
package postgres
