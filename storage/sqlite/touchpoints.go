package sqlite

import (
	"database/sql"
	"fmt"

	"earshot/core"
)

const touchpointCols = `id, contact_id, stage, ref, occurred_at, created_at, key`

func scanTouchpoint(s scanner) (core.Touchpoint, error) {
	var tp core.Touchpoint
	var key sql.NullString
	err := s.Scan(&tp.ID, &tp.ContactID, &tp.Stage, &tp.Ref, timeOf(&tp.OccurredAt),
		timeOf(&tp.CreatedAt), &key)
	tp.Key = key.String
	return tp, err
}

const qCreateTouchpoint = `INSERT INTO touchpoints (contact_id, stage, ref, occurred_at, created_at, key)
	VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`

const qTouchpointByKey = `SELECT ` + touchpointCols + ` FROM touchpoints WHERE key = ?`

// CreateTouchpoint inserts tp and sets its ID. When tp.Key is set and a touchpoint with
// that key exists, it sets *tp to the existing one and returns created=false.
func (t *tx) CreateTouchpoint(tp *core.Touchpoint) (created bool, err error) {
	var key any
	if tp.Key != "" {
		key = tp.Key
	}
	res, err := t.exec(qCreateTouchpoint, tp.ContactID, tp.Stage, tp.Ref, ms(tp.OccurredAt),
		ms(tp.CreatedAt), key)
	if err != nil {
		return false, fmt.Errorf("storage: create touchpoint: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, fmt.Errorf("storage: create touchpoint: %w", err)
	} else if n == 0 {
		old, err := scanTouchpoint(t.queryRow(qTouchpointByKey, tp.Key))
		if err != nil {
			return false, fmt.Errorf("storage: touchpoint by key: %w", err)
		}
		*tp = old
		return false, nil
	}
	if tp.ID, err = res.LastInsertId(); err != nil {
		return false, fmt.Errorf("storage: create touchpoint: %w", err)
	}
	return true, nil
}

const qTouchpoints = `SELECT ` + touchpointCols + ` FROM touchpoints WHERE contact_id = ?
	ORDER BY occurred_at, id`

// Touchpoints returns a contact's touchpoints, oldest first.
func (t *tx) Touchpoints(contactID int64) ([]core.Touchpoint, error) {
	rows, err := t.query(qTouchpoints, contactID)
	return scanAll(rows, err, "touchpoints", scanTouchpoint)
}
