package storage

import (
	"context"
	"database/sql"
	"fmt"
)

// hot are the statements prepared once per pool: the inbound path, the due-work loop and
// the deliverer run them thousands of times a second. Other statements are built per call.
var hot = []string{
	qMarkInbound,
	qContact, qContactByRef, qCreateContact, qUpdateContact, qContactRef, qUpdateContactFields,
	qCreateTouchpoint, qCreateRun, qRun, qUpdateRun, qRunKeys, qUpdateRunFields,
	qAddAnswer, qAnswersOfRun, qAnswersOfContact,
	qCreateComplaint, qComplaint, qComplaintByCard, qUpdateComplaint, qAddThreadMessage, qThread,
	qEnqueue, qOutboxMessage, qClaim, qMarkSent, qRetryOutbox, qMarkDead, qNextOutboxAt,
	qAddJobKey, qAddJob, qDueJobs, qDeleteJob, qCancelJobs, qNextJobAt,
	qState, qSetState,
	qScoreKeys, qScoreOfKey,
}

// prepare prepares the hot statements on the writer and on the readers. It needs the
// current schema, so Open calls it only for an up-to-date database, and Migrate after
// migrating. Until then transactions run the same SQL unprepared.
func (db *DB) prepare(ctx context.Context) error {
	db.prepareMu.Lock()
	defer db.prepareMu.Unlock()
	if db.wstmts.Load() != nil {
		return nil
	}
	w, err := prepareAll(ctx, db.writer)
	if err != nil {
		return fmt.Errorf("storage: prepare: %w", err)
	}
	r, err := prepareAll(ctx, db.reader)
	if err != nil {
		closeAll(w)
		return fmt.Errorf("storage: prepare: %w", err)
	}
	db.wstmts.Store(&w)
	db.rstmts.Store(&r)
	return nil
}

func prepareAll(ctx context.Context, pool *sql.DB) (map[string]*sql.Stmt, error) {
	m := make(map[string]*sql.Stmt, len(hot))
	for _, q := range hot {
		s, err := pool.PrepareContext(ctx, q)
		if err != nil {
			closeAll(m)
			return nil, fmt.Errorf("%s: %w", q, err)
		}
		m[q] = s
	}
	return m, nil
}

func closeAll(m map[string]*sql.Stmt) {
	for _, s := range m {
		s.Close()
	}
}
