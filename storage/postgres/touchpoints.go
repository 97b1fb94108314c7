package postgres

import (
	"fmt"

	"earshot/core"
)

const touchpointCols = `id, contact_id, stage, ref, occurred_at, created_at, coalesce(key, '')`

func scanTouchpoint(s scanner) (core.Touchpoint, error) {
	var tp core.Touchpoint
	err := s.Scan(&tp.ID, &tp.ContactID, &tp.Stage, &tp.Ref, timeOf(&tp.OccurredAt),
		timeOf(&tp.CreatedAt), &tp.Key)
	return tp, err
}

const qCreateTouchpoint = `INSERT INTO touchpoints (contact_id, stage, ref, occurred_at, created_at, key)
	VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING RETURNING id`

const qTouchpointByKey = `SELECT ` + touchpointCols + ` FROM touchpoints WHERE key = $1`

// CreateTouchpoint inserts tp and sets its ID. When tp.Key is set and a touchpoint with
// that key exists, it sets *tp to the existing one and returns created=false.
func (t *tx) CreateTouchpoint(tp *core.Touchpoint) (created bool, err error) {
	var key any
	if tp.Key != "" {
		key = tp.Key
	}
	id, err := t.insertID(qCreateTouchpoint, tp.ContactID, tp.Stage, tp.Ref, ms(tp.OccurredAt),
		ms(tp.CreatedAt), key)
	if isNoRows(err) {
		old, err := scanTouchpoint(t.queryRow(qTouchpointByKey, tp.Key))
		if err != nil {
			return false, fmt.Errorf("postgres: touchpoint by key: %w", err)
		}
		*tp = old
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("postgres: create touchpoint: %w", err)
	}
	tp.ID = id
	return true, nil
}

const qTouchpoints = `SELECT ` + touchpointCols + ` FROM touchpoints WHERE contact_id = $1
	ORDER BY occurred_at, id`

// Touchpoints returns a contact's touchpoints, oldest first.
func (t *tx) Touchpoints(contactID int64) ([]core.Touchpoint, error) {
	rows, err := t.query(qTouchpoints, contactID)
	return scanAll(rows, err, "touchpoints", scanTouchpoint)
}
