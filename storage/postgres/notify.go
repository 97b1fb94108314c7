package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// changesChannel is the NOTIFY channel on which every commit that adds outbox messages or
// jobs is announced (migration 0001's triggers).
const changesChannel = "earshot_changes"

// Changes receives a value when some replica, this one included, has committed new outbox
// messages or jobs, and once after each (re)connection of the listener, since notifications
// sent while it was away are lost. Values are coalesced: one waiting value stands for any
// number of changes. It implements core.Notifier.
func (db *DB) Changes() <-chan struct{} { return db.changes }

// startListener starts the goroutine that LISTENs on its own connection (outside the pool:
// a listening connection must stay put) and reconnects when it is lost.
func (db *DB) startListener(cfg *pgxpool.Config) {
	ctx, cancel := context.WithCancel(context.Background())
	db.changes = make(chan struct{}, 1)
	db.stopListen = cancel
	db.listenDone = make(chan struct{})
	connCfg := cfg.ConnConfig.Copy()
	go func() {
		defer close(db.listenDone)
		pause := 100 * time.Millisecond
		for ctx.Err() == nil {
			if db.listen(ctx, connCfg) {
				pause = 100 * time.Millisecond
			}
			select {
			case <-time.After(pause):
			case <-ctx.Done():
			}
			pause = min(2*pause, 5*time.Second)
		}
	}()
}

// listen connects, listens and signals each notification until the connection fails or
// ctx ends; it reports whether it was listening at all.
func (db *DB) listen(ctx context.Context, cfg *pgx.ConnConfig) (listened bool) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		return false
	}
	db.signal() // what was committed while nobody listened
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return true
		}
		db.signal()
	}
}

// signal leaves one value in changes unless one is waiting already.
func (db *DB) signal() {
	select {
	case db.changes <- struct{}{}:
	default:
	}
}

func (db *DB) stopListener() {
	if db.stopListen == nil {
		return
	}
	db.stopListen()
	<-db.listenDone
}
