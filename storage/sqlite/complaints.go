package sqlite

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

const qCreateComplaint = `INSERT INTO complaints (contact_id, run_id, status, text, opened_at,
	ack_due, resolve_due, ack_at, ack_by, owner_platform, owner_id, resolved_at, resolved_by,
	resolution_note, closed_at, confirmed, reopened, card_msg, waiting_at, resolve_left, waited)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// CreateComplaint inserts c and sets c.ID; ids start at 1001 (C-1001).
func (t *tx) CreateComplaint(c *core.Complaint) error {
	res, err := t.exec(qCreateComplaint, complaintArgs(*c)...)
	if err != nil {
		return fmt.Errorf("storage: create complaint: %w", err)
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("storage: create complaint: %w", err)
	}
	return nil
}

const qComplaint = `SELECT ` + complaintCols + ` FROM complaints c WHERE c.id = ?`

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
	WHERE o.platform = ? AND o.sent_id = ? AND o.sent_id <> ''
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

const qUpdateComplaint = `UPDATE complaints SET contact_id = ?, run_id = ?, status = ?, text = ?,
	opened_at = ?, ack_due = ?, resolve_due = ?, ack_at = ?, ack_by = ?, owner_platform = ?,
	owner_id = ?, resolved_at = ?, resolved_by = ?, resolution_note = ?, closed_at = ?,
	confirmed = ?, reopened = ?, card_msg = ?, waiting_at = ?, resolve_left = ?, waited = ? WHERE id = ?`

// UpdateComplaint saves every field of c (ENOTFOUND).
func (t *tx) UpdateComplaint(c core.Complaint) error {
	res, err := t.exec(qUpdateComplaint, append(complaintArgs(c), c.ID)...)
	if err != nil {
		return fmt.Errorf("storage: update complaint %d: %w", c.ID, err)
	}
	return affected(res, "complaint %s not found", c.Ref())
}

// Complaints returns the complaints matching f, oldest first.
func (t *tx) Complaints(f core.ComplaintFilter) ([]core.Complaint, error) {
	var where []string
	var args []any
	if f.ContactID != 0 {
		where, args = append(where, "c.contact_id = ?"), append(args, f.ContactID)
	}
	if len(f.Statuses) > 0 {
		where = append(where, "c.status IN ("+placeholders(len(f.Statuses))+")")
		for _, s := range f.Statuses {
			args = append(args, string(s))
		}
	}
	if !f.OpenedFrom.IsZero() {
		where, args = append(where, "c.opened_at >= ?"), append(args, f.OpenedFrom.UnixMilli())
	}
	if !f.ActiveFrom.IsZero() {
		where, args = append(where, "(c.closed_at IS NULL OR c.closed_at >= ?)"), append(args, f.ActiveFrom.UnixMilli())
	}
	if !f.OpenedTo.IsZero() {
		where, args = append(where, "c.opened_at < ?"), append(args, f.OpenedTo.UnixMilli())
	}
	q := `SELECT ` + complaintCols + ` FROM complaints c` + whereClause(where) + ` ORDER BY c.opened_at, c.id`
	rows, err := t.query(q, args...)
	return scanAll(rows, err, "complaints", scanComplaint)
}

const qAddBreach = `INSERT INTO breaches (complaint_id, kind, deadline, at) VALUES (?, ?, ?, ?)`

// AddBreach inserts b and sets b.ID.
func (t *tx) AddBreach(b *core.Breach) error {
	res, err := t.exec(qAddBreach, b.ComplaintID, string(b.Kind), ms(b.Deadline), msDue(b.At))
	if err != nil {
		return fmt.Errorf("storage: add breach: %w", err)
	}
	if b.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("storage: add breach: %w", err)
	}
	return nil
}
