package postgres

import (
	"fmt"
	"time"

	"earshot/core"
)

const complaintCols = `c.id, c.contact_id, c.run_id, c.status, c.text, c.opened_at, c.ack_due,
	c.resolve_due, c.ack_at, c.ack_by, c.owner_platform, c.owner_id, c.resolved_at, c.resolved_by,
	c.resolution_note, c.closed_at, c.confirmed, c.reopened, c.card_msg, c.waiting_at, c.resolve_left,
	c.waited`

func scanComplaint(s scanner) (core.Complaint, error) {
	var c core.Complaint
	err := s.Scan(&c.ID, &c.ContactID, nullIDOf(&c.RunID), &c.Status, &c.Text, timeOf(&c.OpenedAt),
		timeOf(&c.AckDue), timeOf(&c.ResolveDue), timeOf(&c.AckAt), &c.AckBy,
		&c.OwnerAccount.Platform, &c.OwnerAccount.ID, timeOf(&c.ResolvedAt), &c.ResolvedBy,
		&c.ResolutionNote, timeOf(&c.ClosedAt), boolPtrOf(&c.Confirmed), &c.Reopened,
		nullIDOf(&c.CardMsg), timeOf(&c.WaitingAt), (*msDuration)(&c.ResolveLeft), (*msDuration)(&c.Waited))
	return c, err
}

func complaintArgs(c core.Complaint) []any {
	return []any{c.ContactID, nullID(c.RunID), string(c.Status), c.Text, msDue(c.OpenedAt),
		ms(c.AckDue), ms(c.ResolveDue), ms(c.AckAt), c.AckBy, string(c.OwnerAccount.Platform),
		c.OwnerAccount.ID, ms(c.ResolvedAt), c.ResolvedBy, c.ResolutionNote, ms(c.ClosedAt),
		boolPtr(c.Confirmed), c.Reopened, nullID(c.CardMsg), ms(c.WaitingAt), c.ResolveLeft.Milliseconds(),
		c.Waited.Milliseconds()}
}

// msDuration scans a duration stored in milliseconds.
type msDuration time.Duration

func (d *msDuration) Scan(v any) error {
	n, ok := v.(int64)
	if !ok {
		return fmt.Errorf("duration: want milliseconds, got %T", v)
	}
	*d = msDuration(time.Duration(n) * time.Millisecond)
	return nil
}

// qCreateComplaint takes the next number from the identity (C-1001 first); numbers taken by
// a transaction that rolled back are not reused, so references may skip one.
const qCreateComplaint = `INSERT INTO complaints (contact_id, run_id, status, text, opened_at,
	ack_due, resolve_due, ack_at, ack_by, owner_platform, owner_id, resolved_at, resolved_by,
	resolution_note, closed_at, confirmed, reopened, card_msg, waiting_at, resolve_left, waited)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
	RETURNING id`

// CreateComplaint inserts c and sets c.ID; ids start at 1001 (C-1001).
func (t *tx) CreateComplaint(c *core.Complaint) error {
	id, err := t.insertID(qCreateComplaint, complaintArgs(*c)...)
	if err != nil {
		return fmt.Errorf("postgres: create complaint: %w", err)
	}
	c.ID = id
	return nil
}

const qComplaint = `SELECT ` + complaintCols + ` FROM complaints c WHERE c.id = $1`

// Complaint returns the complaint with the id (ENOTFOUND).
func (t *tx) Complaint(id int64) (core.Complaint, error) {
	c, err := scanComplaint(t.queryRow(qComplaint, id))
	if err != nil {
		return core.Complaint{}, notFound(err, "complaint", "complaint %s not found", core.RefFor(id))
	}
	return c, nil
}

// qComplaintByCard matches the card only through complaints.card_msg — the card itself, or
// a message threaded under it: later edits of the card are other outbox rows that may carry
// the same sent id, and must not shadow it.
const qComplaintByCard = `SELECT ` + complaintCols + ` FROM outbox o
	JOIN complaints c ON c.card_msg IN (o.id, o.thread_of)
	WHERE o.platform = $1 AND o.sent_id = $2 AND o.sent_id <> ''
	ORDER BY c.card_msg = o.id DESC, c.id LIMIT 1`

// ComplaintByCard returns the complaint whose card was delivered on the platform as the
// message sentID (ENOTFOUND).
func (t *tx) ComplaintByCard(p core.Platform, sentID string) (core.Complaint, error) {
	c, err := scanComplaint(t.queryRow(qComplaintByCard, string(p), sentID))
	if err != nil {
		return core.Complaint{}, notFound(err, "complaint by card", "no complaint card %s:%s", p, sentID)
	}
	return c, nil
}

const qUpdateComplaint = `UPDATE complaints SET contact_id = $1, run_id = $2, status = $3, text = $4,
	opened_at = $5, ack_due = $6, resolve_due = $7, ack_at = $8, ack_by = $9, owner_platform = $10,
	owner_id = $11, resolved_at = $12, resolved_by = $13, resolution_note = $14, closed_at = $15,
	confirmed = $16, reopened = $17, card_msg = $18, waiting_at = $19, resolve_left = $20, waited = $21
	WHERE id = $22`

// UpdateComplaint saves every field of c (ENOTFOUND).
func (t *tx) UpdateComplaint(c core.Complaint) error {
	n, err := t.exec(qUpdateComplaint, append(complaintArgs(c), c.ID)...)
	if err != nil {
		return fmt.Errorf("postgres: update complaint %d: %w", c.ID, err)
	}
	return affected(n, "complaint %s not found", c.Ref())
}

// Complaints returns the complaints matching f, oldest first.
func (t *tx) Complaints(f core.ComplaintFilter) ([]core.Complaint, error) {
	var w where
	if f.ContactID != 0 {
		w.add("c.contact_id = $", f.ContactID)
	}
	if len(f.Statuses) > 0 {
		statuses := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			statuses[i] = string(s)
		}
		w.add("c.status = ANY($)", statuses)
	}
	if !f.OpenedFrom.IsZero() {
		w.add("c.opened_at >= $", f.OpenedFrom.UnixMilli())
	}
	if !f.ActiveFrom.IsZero() {
		w.add("(c.closed_at IS NULL OR c.closed_at >= $)", f.ActiveFrom.UnixMilli())
	}
	if !f.OpenedTo.IsZero() {
		w.add("c.opened_at < $", f.OpenedTo.UnixMilli())
	}
	rows, err := t.query(`SELECT `+complaintCols+` FROM complaints c`+w.String()+` ORDER BY c.opened_at, c.id`, w.args...)
	return scanAll(rows, err, "complaints", scanComplaint)
}

const qAddBreach = `INSERT INTO breaches (complaint_id, kind, deadline, at) VALUES ($1, $2, $3, $4) RETURNING id`

// AddBreach inserts b and sets b.ID.
func (t *tx) AddBreach(b *core.Breach) error {
	id, err := t.insertID(qAddBreach, b.ComplaintID, string(b.Kind), ms(b.Deadline), msDue(b.At))
	if err != nil {
		return fmt.Errorf("postgres: add breach: %w", err)
	}
	b.ID = id
	return nil
}
