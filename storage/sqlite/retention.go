package sqlite

import (
	"time"
)

// qInactiveContacts finds contacts not erased whose last sign of life — their last message,
// else their creation, and their newest touchpoint — is before ?1. A daily job reads it, so a
// scan of contacts is fine; touchpoints are found through their contact's index.
const qInactiveContacts = `SELECT c.id FROM contacts c
	WHERE c.erased_at IS NULL AND coalesce(c.seen_at, c.created_at, 0) < ?1
	  AND NOT EXISTS (SELECT 1 FROM touchpoints t WHERE t.contact_id = c.id AND t.created_at >= ?1)
	ORDER BY c.id LIMIT ?2`

// InactiveContacts returns up to limit ids of contacts not erased with no message and no
// touchpoint since before.
func (t *tx) InactiveContacts(before time.Time, limit int) ([]int64, error) {
	rows, err := t.query(qInactiveContacts, before.UnixMilli(), limit)
	return scanAll(rows, err, "inactive contacts", func(s scanner) (int64, error) {
		var id int64
		return id, s.Scan(&id)
	})
}
