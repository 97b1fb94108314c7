package sqlite

import (
	"database/sql"
	"fmt"
	"time"

	"earshot/core"
)

const linkCols = `namespace, external_id, contact_id, linked_at`

func scanLink(s scanner) (core.Link, error) {
	var l core.Link
	err := s.Scan(&l.Customer.Namespace, &l.Customer.ID, &l.ContactID, timeOf(&l.LinkedAt))
	return l, err
}

const (
	qUnlinkNamespace = `DELETE FROM customer_links WHERE contact_id = ? AND namespace = ?`
	qLinkCustomer    = `INSERT INTO customer_links (` + linkCols + `) VALUES (?, ?, ?, ?)`
)

// LinkCustomer links the contact to id, replacing the contact's earlier link in id's
// namespace; linking again refreshes linked_at.
func (t *tx) LinkCustomer(id core.ExternalRef, contactID int64, at time.Time) error {
	if _, err := t.exec(qUnlinkNamespace, contactID, id.Namespace); err != nil {
		return fmt.Errorf("storage: link customer: %w", err)
	}
	if _, err := t.exec(qLinkCustomer, id.Namespace, id.ID, contactID, msDue(at)); err != nil {
		return fmt.Errorf("storage: link customer: %w", err)
	}
	return nil
}

const qLinks = `SELECT ` + linkCols + ` FROM customer_links
	WHERE namespace = ? AND external_id = ? ORDER BY linked_at, contact_id`

// Links returns the links of id, oldest first.
func (t *tx) Links(id core.ExternalRef) ([]core.Link, error) {
	rows, err := t.query(qLinks, id.Namespace, id.ID)
	return scanAll(rows, err, "customer links", scanLink)
}

const qContactLinks = `SELECT ` + linkCols + ` FROM customer_links WHERE contact_id = ? ORDER BY namespace`

// ContactLinks returns the contact's links, in namespace order.
func (t *tx) ContactLinks(contactID int64) ([]core.Link, error) {
	rows, err := t.query(qContactLinks, contactID)
	return scanAll(rows, err, "contact links", scanLink)
}

const qUnlinkContact = `DELETE FROM customer_links WHERE contact_id = ?`

// UnlinkContact removes every link of the contact.
func (t *tx) UnlinkContact(contactID int64) error {
	if _, err := t.exec(qUnlinkContact, contactID); err != nil {
		return fmt.Errorf("storage: unlink contact: %w", err)
	}
	return nil
}

const waitingCols = `id, namespace, external_id, stage, ref, occurred_at, created_at, key, wait_until,
	state, reason, touchpoint_id`

func scanWaiting(s scanner) (core.WaitingTouch, error) {
	var w core.WaitingTouch
	var key sql.NullString
	err := s.Scan(&w.ID, &w.Customer.Namespace, &w.Customer.ID, &w.Stage, &w.Ref, timeOf(&w.OccurredAt),
		timeOf(&w.CreatedAt), &key, timeOf(&w.Until), &w.State, &w.Reason, nullIDOf(&w.TouchpointID))
	w.Key = key.String
	return w, err
}

const (
	qAddWaiting = `INSERT INTO waiting_touches (namespace, external_id, stage, ref, occurred_at, created_at,
		key, wait_until, state, reason, touchpoint_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO NOTHING`
	qWaitingByKey = `SELECT ` + waitingCols + ` FROM waiting_touches WHERE key = ?`
)

// AddWaitingTouch inserts w and sets its ID; with a key already used, it sets *w to the
// existing one and returns created=false.
func (t *tx) AddWaitingTouch(w *core.WaitingTouch) (created bool, err error) {
	var key any
	if w.Key != "" {
		key = w.Key
	}
	res, err := t.exec(qAddWaiting, w.Customer.Namespace, w.Customer.ID, w.Stage, w.Ref, msDue(w.OccurredAt),
		msDue(w.CreatedAt), key, ms(w.Until), string(w.State), w.Reason, nullID(w.TouchpointID))
	if err != nil {
		return false, fmt.Errorf("storage: add waiting touch: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, fmt.Errorf("storage: add waiting touch: %w", err)
	} else if n == 0 {
		old, err := scanWaiting(t.queryRow(qWaitingByKey, w.Key))
		if err != nil {
			return false, fmt.Errorf("storage: waiting touch by key: %w", err)
		}
		*w = old
		return false, nil
	}
	if w.ID, err = res.LastInsertId(); err != nil {
		return false, fmt.Errorf("storage: add waiting touch: %w", err)
	}
	return true, nil
}

const qWaitingTouch = `SELECT ` + waitingCols + ` FROM waiting_touches WHERE id = ?`

// WaitingTouch returns the waiting touch with the id (ENOTFOUND).
func (t *tx) WaitingTouch(id int64) (core.WaitingTouch, error) {
	w, err := scanWaiting(t.queryRow(qWaitingTouch, id))
	if err != nil {
		return core.WaitingTouch{}, notFound(err, "waiting touch", "waiting touchpoint %d not found", id)
	}
	return w, nil
}

const qWaitingTouches = `SELECT ` + waitingCols + ` FROM waiting_touches
	WHERE namespace = ? AND external_id = ? AND (? = '' OR state = ?) ORDER BY id`

// WaitingTouches returns id's waiting touches in the state ("" for all), oldest first.
func (t *tx) WaitingTouches(id core.ExternalRef, state core.WaitState) ([]core.WaitingTouch, error) {
	rows, err := t.query(qWaitingTouches, id.Namespace, id.ID, string(state), string(state))
	return scanAll(rows, err, "waiting touches", scanWaiting)
}

const qUpdateWaiting = `UPDATE waiting_touches SET state = ?, reason = ?, touchpoint_id = ? WHERE id = ?`

// UpdateWaitingTouch saves w's state, reason and touchpoint (ENOTFOUND).
func (t *tx) UpdateWaitingTouch(w core.WaitingTouch) error {
	res, err := t.exec(qUpdateWaiting, string(w.State), w.Reason, nullID(w.TouchpointID), w.ID)
	if err != nil {
		return fmt.Errorf("storage: update waiting touch: %w", err)
	}
	return affected(res, "waiting touchpoint %d not found", w.ID)
}

const qDeleteWaiting = `DELETE FROM waiting_touches WHERE namespace = ? AND external_id = ?`

// DeleteWaitingTouches removes every waiting touch of id.
func (t *tx) DeleteWaitingTouches(id core.ExternalRef) error {
	if _, err := t.exec(qDeleteWaiting, id.Namespace, id.ID); err != nil {
		return fmt.Errorf("storage: delete waiting touches: %w", err)
	}
	return nil
}
