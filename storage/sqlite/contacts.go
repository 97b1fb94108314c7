package sqlite

import (
	"fmt"

	"earshot/core"
)

const contactCols = `id, platform, user_id, name, locale, timezone, seen_at, created_at, opted_out_at,
	unreachable, erased_at, pending, pending_text, pending_run, pending_at, pending_complaint, language`

func scanContact(s scanner) (core.Contact, error) {
	var c core.Contact
	err := s.Scan(&c.ID, &c.Ref.Platform, &c.Ref.ID, &c.Name, &c.Locale, &c.TimeZone,
		timeOf(&c.SeenAt), timeOf(&c.CreatedAt), timeOf(&c.OptedOutAt), &c.Unreachable,
		timeOf(&c.ErasedAt), &c.Pending, &c.PendingText, nullIDOf(&c.PendingRun), timeOf(&c.PendingAt),
		nullIDOf(&c.PendingComplaint), &c.Language)
	return c, err
}

const qContact = `SELECT ` + contactCols + ` FROM contacts WHERE id = ?`

// Contact returns the contact with the given id (ENOTFOUND).
func (t *tx) Contact(id int64) (core.Contact, error) {
	c, err := scanContact(t.queryRow(qContact, id))
	if err != nil {
		return core.Contact{}, notFound(err, "contact", "contact %d not found", id)
	}
	return c, nil
}

const qContactByRef = `SELECT ` + contactCols + ` FROM contacts
	WHERE platform = ? AND user_id = ? AND erased_at IS NULL`

// ContactByRef returns the contact for a platform account (ENOTFOUND); erased contacts
// carry a tombstone instead of their old reference, so they are never found by it.
func (t *tx) ContactByRef(ref core.UserRef) (core.Contact, error) {
	c, err := scanContact(t.queryRow(qContactByRef, string(ref.Platform), ref.ID))
	if err != nil {
		return core.Contact{}, notFound(err, "contact by ref", "no contact %s", ref)
	}
	return c, nil
}

const qCreateContact = `INSERT INTO contacts (platform, user_id, name, locale, timezone, seen_at,
	created_at, opted_out_at, unreachable, erased_at, pending, pending_text, pending_run, pending_at,
	pending_complaint, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// CreateContact inserts c and sets c.ID; ECONFLICT if c.Ref is taken.
func (t *tx) CreateContact(c *core.Contact) error {
	res, err := t.exec(qCreateContact, contactArgs(*c)...)
	if isUnique(err) {
		return core.Errorf(core.ECONFLICT, "contact %s exists", c.Ref)
	}
	if err != nil {
		return fmt.Errorf("storage: create contact: %w", err)
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("storage: create contact: %w", err)
	}
	return nil
}

const qUpdateContact = `UPDATE contacts SET platform = ?, user_id = ?, name = ?, locale = ?,
	timezone = ?, seen_at = ?, created_at = ?, opted_out_at = ?, unreachable = ?, erased_at = ?,
	pending = ?, pending_text = ?, pending_run = ?, pending_at = ?, pending_complaint = ?, language = ?
	WHERE id = ?`

// qContactRef reads the indexed columns of a contact; qUpdateContactFields writes the
// others. Every inbound message updates its sender (SeenAt), almost never their reference.
const (
	qContactRef          = `SELECT platform, user_id, erased_at IS NOT NULL FROM contacts WHERE id = ?`
	qUpdateContactFields = `UPDATE contacts SET name = ?, locale = ?, timezone = ?, seen_at = ?,
		created_at = ?, opted_out_at = ?, unreachable = ?, erased_at = ?, pending = ?,
		pending_text = ?, pending_run = ?, pending_at = ?, pending_complaint = ?, language = ? WHERE id = ?`
)

// UpdateContact saves every field of c (ENOTFOUND; ECONFLICT if c.Ref is another's). A copy
// read before the contact was erased (ErasedAt zero) is refused with ECONFLICT rather than
// saved: it would bring the erased identity back.
func (t *tx) UpdateContact(c core.Contact) error {
	var old core.UserRef
	var wasErased bool
	if err := t.queryRow(qContactRef, c.ID).Scan(&old.Platform, &old.ID, &wasErased); err != nil {
		return notFound(err, "update contact", "contact %d not found", c.ID)
	}
	if wasErased && c.ErasedAt.IsZero() {
		return core.Errorf(core.ECONFLICT, "contact %d was erased", c.ID)
	}
	args := contactArgs(c)
	var err error
	if old == c.Ref {
		_, err = t.exec(qUpdateContactFields, append(args[2:], c.ID)...)
	} else {
		_, err = t.exec(qUpdateContact, append(args, c.ID)...)
	}
	if isUnique(err) {
		return core.Errorf(core.ECONFLICT, "contact %s exists", c.Ref)
	}
	if err != nil {
		return fmt.Errorf("storage: update contact %d: %w", c.ID, err)
	}
	return nil
}

func contactArgs(c core.Contact) []any {
	return []any{string(c.Ref.Platform), c.Ref.ID, c.Name, c.Locale, c.TimeZone, ms(c.SeenAt),
		ms(c.CreatedAt), ms(c.OptedOutAt), c.Unreachable, ms(c.ErasedAt), string(c.Pending),
		c.PendingText, nullID(c.PendingRun), ms(c.PendingAt), nullID(c.PendingComplaint), string(c.Language)}
}

const qSetContactLanguage = `UPDATE contacts SET language = ? WHERE id = ? AND erased_at IS NULL`

// SetContactLanguage records the language the contact chose (ENOTFOUND, also once erased).
func (t *tx) SetContactLanguage(id int64, l core.Lang) error {
	res, err := t.exec(qSetContactLanguage, string(l), id)
	if err != nil {
		return fmt.Errorf("storage: set contact %d language: %w", id, err)
	}
	return affected(res, "contact %d not found", id)
}
