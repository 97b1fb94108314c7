package postgres

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

const qContact = `SELECT ` + contactCols + ` FROM contacts WHERE id = $1`

// Contact returns the contact with the given id (ENOTFOUND).
func (t *tx) Contact(id int64) (core.Contact, error) {
	c, err := scanContact(t.queryRow(qContact, id))
	if err != nil {
		return core.Contact{}, notFound(err, "contact", "contact %d not found", id)
	}
	return c, nil
}

const qContactByRef = `SELECT ` + contactCols + ` FROM contacts
	WHERE platform = $1 AND user_id = $2 AND erased_at IS NULL`

// ContactByRef returns the contact for a platform account (ENOTFOUND); erased contacts
// carry a tombstone instead of their old reference, so they are never found by it.
func (t *tx) ContactByRef(ref core.UserRef) (core.Contact, error) {
	c, err := scanContact(t.queryRow(qContactByRef, string(ref.Platform), ref.ID))
	if err != nil {
		return core.Contact{}, notFound(err, "contact by ref", "no contact %s", ref)
	}
	return c, nil
}

// qCreateContact does nothing when the reference is taken, rather than fail: a failed
// statement would abort the whole transaction, and the caller may go on after ECONFLICT.
const qCreateContact = `INSERT INTO contacts (platform, user_id, name, locale, timezone, seen_at,
	created_at, opted_out_at, unreachable, erased_at, pending, pending_text, pending_run, pending_at,
	pending_complaint, language) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
	ON CONFLICT (platform, user_id) DO NOTHING RETURNING id`

// CreateContact inserts c and sets c.ID; ECONFLICT if c.Ref is taken.
func (t *tx) CreateContact(c *core.Contact) error {
	id, err := t.insertID(qCreateContact, contactArgs(*c)...)
	if isNoRows(err) {
		return core.Errorf(core.ECONFLICT, "contact %s exists", c.Ref)
	}
	if err != nil {
		return fmt.Errorf("postgres: create contact: %w", err)
	}
	c.ID = id
	return nil
}

const (
	qContactRef    = `SELECT platform, user_id, erased_at IS NOT NULL FROM contacts WHERE id = $1`
	qRefTaken      = `SELECT EXISTS (SELECT 1 FROM contacts WHERE platform = $1 AND user_id = $2 AND id <> $3)`
	qUpdateContact = `UPDATE contacts SET platform = $1, user_id = $2, name = $3, locale = $4,
		timezone = $5, seen_at = $6, created_at = $7, opted_out_at = $8, unreachable = $9, erased_at = $10,
		pending = $11, pending_text = $12, pending_run = $13, pending_at = $14, pending_complaint = $15,
		language = $16 WHERE id = $17`
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
	if old != c.Ref {
		var taken bool
		if err := t.queryRow(qRefTaken, string(c.Ref.Platform), c.Ref.ID, c.ID).Scan(&taken); err != nil {
			return fmt.Errorf("postgres: update contact %d: %w", c.ID, err)
		}
		if taken {
			return core.Errorf(core.ECONFLICT, "contact %s exists", c.Ref)
		}
	}
	if _, err := t.exec(qUpdateContact, append(contactArgs(c), c.ID)...); err != nil {
		return fmt.Errorf("postgres: update contact %d: %w", c.ID, err)
	}
	return nil
}

func contactArgs(c core.Contact) []any {
	return []any{string(c.Ref.Platform), c.Ref.ID, c.Name, c.Locale, c.TimeZone, ms(c.SeenAt),
		ms(c.CreatedAt), ms(c.OptedOutAt), c.Unreachable, ms(c.ErasedAt), string(c.Pending),
		c.PendingText, nullID(c.PendingRun), ms(c.PendingAt), nullID(c.PendingComplaint), string(c.Language)}
}

const qSetContactLanguage = `UPDATE contacts SET language = $1 WHERE id = $2 AND erased_at IS NULL`

// SetContactLanguage records the language the contact chose (ENOTFOUND, also once erased).
func (t *tx) SetContactLanguage(id int64, l core.Lang) error {
	n, err := t.exec(qSetContactLanguage, string(l), id)
	if err != nil {
		return fmt.Errorf("postgres: set contact %d language: %w", id, err)
	}
	if n == 0 {
		return core.Errorf(core.ENOTFOUND, "contact %d not found", id)
	}
	return nil
}
