package sqlite

import (
	"database/sql"
	"fmt"
	"time"
)

const qPruneInbound = `DELETE FROM inbound WHERE (platform, event_id) IN
	(SELECT platform, event_id FROM inbound WHERE at < ? ORDER BY at LIMIT ?)`

// PruneInbound forgets up to limit inbound events recorded before before. Like every prune
// that deletes something, it records that a compaction is owed (compact.go).
func (t *tx) PruneInbound(before time.Time, limit int) (int, error) {
	res, err := t.exec(qPruneInbound, before.UnixMilli(), limit)
	if err != nil {
		return 0, fmt.Errorf("storage: prune inbound: %w", err)
	}
	return t.pruned(res, "inbound")
}

// pruned returns how many rows res deleted and, if any, records that a compaction is owed:
// until one, the deleted rows' old copies may stay in the write-ahead log and the file.
func (t *tx) pruned(res sql.Result, what string) (int, error) {
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("storage: prune %s: %w", what, err)
	}
	if n > 0 {
		if err := t.oweCompaction(); err != nil {
			return 0, err
		}
	}
	return int(n), nil
}

// qPruneOutbox deletes delivered and dead messages that nothing still refers to: the card of
// a complaint not closed and the messages threaded under it (ComplaintByCard finds them),
// the question of a live survey (it is edited when answered), and any message a pending one
// edits or threads under. Dead messages without a dead_at (dropped by an erase) hold no
// payload and are left alone.
const qPruneOutbox = `DELETE FROM outbox WHERE id IN (
	SELECT o.id FROM outbox o
	WHERE ((o.state = 'sent' AND o.sent_at < ?) OR (o.state = 'dead' AND o.dead_at < ?))
	AND NOT EXISTS (SELECT 1 FROM complaints c
		WHERE c.status <> 'closed' AND c.card_msg IS NOT NULL AND c.card_msg IN (o.id, o.thread_of))
	AND NOT EXISTS (SELECT 1 FROM survey_runs r
		WHERE r.state IN ('sent', 'in_progress') AND r.question_msg = o.id)
	AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.edit_of = o.id AND p.state = 'pending')
	AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.thread_of = o.id AND p.state = 'pending')
	LIMIT ?)`

// PruneOutbox deletes up to limit messages sent before sentBefore or gone dead before
// deadBefore that nothing still refers to.
func (t *tx) PruneOutbox(sentBefore, deadBefore time.Time, limit int) (int, error) {
	res, err := t.exec(qPruneOutbox, sentBefore.UnixMilli(), deadBefore.UnixMilli(), limit)
	if err != nil {
		return 0, fmt.Errorf("storage: prune outbox: %w", err)
	}
	return t.pruned(res, "outbox")
}
