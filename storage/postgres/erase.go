package postgres

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"earshot/storage/internal/quote"
)

// eraseSteps remove identity and free text held on one contact. Their parameters are, as
// far as each uses them, the contact id, its platform, its old platform id and the
// tombstone that replaces it. Scores, states and times stay.
var eraseSteps = []struct {
	what string
	args int
	sql  string
}{
	{"invites", 1, `UPDATE invites SET name = '' WHERE used_by = $1`},
	{"touchpoints", 1, `UPDATE touchpoints SET ref = '', key = NULL WHERE contact_id = $1`},
	{"answers", 1, `UPDATE answers SET text = ''
		WHERE run_id IN (SELECT id FROM survey_runs WHERE contact_id = $1) AND text <> ''`},
	// The business's ids for them: their links, the ids on invites they opened and the
	// touchpoints that waited for them, which would tie the anonymous scores to the id.
	{"customer links", 1, `DELETE FROM customer_links WHERE contact_id = $1`},
	{"invite customer ids", 1, `UPDATE invites SET customer_ns = '', customer_id = '' WHERE used_by = $1`},
	{"waiting touches", 1, `DELETE FROM waiting_touches
		WHERE touchpoint_id IN (SELECT id FROM touchpoints WHERE contact_id = $1)`},
	{"thread", 1, `UPDATE thread_messages
		SET text = '` + quote.Erased + `',
		    account_id = CASE WHEN from_team THEN account_id ELSE '' END,
		    account_platform = CASE WHEN from_team THEN account_platform ELSE '' END
		WHERE complaint_id IN (SELECT id FROM complaints WHERE contact_id = $1)`},
	{"complaints", 1, `UPDATE complaints
		SET text = CASE WHEN text = '' THEN '' ELSE '` + quote.Erased + `' END,
		    resolution_note = CASE WHEN resolution_note = '' THEN '' ELSE '` + quote.Erased + `' END
		WHERE contact_id = $1`},
	// A pending message about them would go out empty: it is dropped, as dead without a
	// dead_at so that reports do not count it as a delivery failure.
	{"outbox pending", 1, `UPDATE outbox SET state = 'dead', last_error = 'erased', lease_until = NULL
		WHERE contact_id = $1 AND state = 'pending'`},
	{"outbox", 4, `UPDATE outbox SET payload = '{}',
		chat_id = CASE WHEN dm AND platform = $2 AND chat_id = $3 THEN $4 ELSE chat_id END
		WHERE contact_id = $1`},
}

const qEraseContact = `UPDATE contacts SET user_id = $1, name = '', locale = '', timezone = '',
	pending = '', pending_text = '', pending_run = NULL, pending_at = NULL, pending_complaint = NULL, erased_at = $2
	WHERE id = $3`

// EraseContact removes identity and free text held on the contact everywhere (ENOTFOUND),
// as on SQLite: its reference becomes an unguessable tombstone, its name, locale, zone and
// pending text go; its answers' texts become empty; its complaints' texts, resolution notes
// and thread messages become "[erased]" (and the customer's account in the thread goes); its
// invites' names and touchpoints' order references go; its links to the business's
// customer ids go, with the waiting touchpoints that became its touchpoints and the ids on
// the invites it opened; the payloads of outbox messages
// concerning it become an empty message (DMs to them lose their address too, and those
// still pending are dropped: state dead, reason "erased", no dead_at); and quotes of its
// texts in messages about no one customer (the owners' digest) become "[erased]".
// PostgreSQL reuses the space of the old row versions once vacuumed; it does not zero them.
func (t *tx) EraseContact(id int64, at time.Time) error {
	c, err := t.Contact(id)
	if err != nil {
		return err
	}
	texts, err := t.quotedTexts(id)
	if err != nil {
		return err
	}
	tomb, err := tombstone()
	if err != nil {
		return err
	}
	if _, err := t.exec(qEraseContact, tomb, msDue(at), id); err != nil {
		return fmt.Errorf("postgres: erase contact %d: %w", id, err)
	}
	args := []any{id, string(c.Ref.Platform), c.Ref.ID, tomb}
	for _, s := range eraseSteps {
		if _, err := t.exec(s.sql, args[:s.args]...); err != nil {
			return fmt.Errorf("postgres: erase contact %d: %s: %w", id, s.what, err)
		}
	}
	return t.scrubQuotes(texts)
}

// tombstone returns a reference id no platform account can have.
func tombstone() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("postgres: tombstone: %w", err)
	}
	return "erased-" + hex.EncodeToString(b), nil
}

// qQuotedTexts lists the free texts held on a contact, read before they are erased.
const qQuotedTexts = `
	SELECT text FROM answers
		WHERE run_id IN (SELECT id FROM survey_runs WHERE contact_id = $1) AND text <> ''
	UNION SELECT text FROM complaints WHERE contact_id = $1 AND text <> ''
	UNION SELECT resolution_note FROM complaints WHERE contact_id = $1 AND resolution_note <> ''
	UNION SELECT m.text FROM thread_messages m JOIN complaints c ON c.id = m.complaint_id
		WHERE c.contact_id = $1 AND m.text <> ''
	UNION SELECT pending_text FROM contacts WHERE id = $1 AND pending_text <> ''`

// qUnownedMessages reads the messages about no one customer (partial index outbox_unowned).
const qUnownedMessages = `SELECT id, payload FROM outbox WHERE contact_id IS NULL`

const qSetPayload = `UPDATE outbox SET payload = $1 WHERE id = $2`

// quotedTexts returns the contact's free texts.
func (t *tx) quotedTexts(contactID int64) ([]string, error) {
	rows, err := t.query(qQuotedTexts, contactID)
	return scanAll(rows, err, "quoted texts", func(s scanner) (string, error) {
		var v string
		return v, s.Scan(&v)
	})
}

// scrubQuotes replaces quotes of texts in messages about no one customer.
func (t *tx) scrubQuotes(texts []string) error {
	if len(texts) == 0 {
		return nil
	}
	type row struct {
		id      int64
		payload string
	}
	rows, err := t.query(qUnownedMessages)
	list, err := scanAll(rows, err, "unowned messages", func(s scanner) (row, error) {
		var r row
		return r, s.Scan(&r.id, &r.payload)
	})
	if err != nil {
		return err
	}
	for _, r := range list {
		var m map[string]any // generic, so fields this package does not know survive
		if err := json.Unmarshal([]byte(r.payload), &m); err != nil {
			return fmt.Errorf("postgres: outbox %d payload: %w", r.id, err)
		}
		if !quote.Value(m, texts) {
			continue
		}
		b, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("postgres: outbox %d payload: %w", r.id, err)
		}
		if _, err := t.exec(qSetPayload, string(b), r.id); err != nil {
			return fmt.Errorf("postgres: scrub outbox %d: %w", r.id, err)
		}
	}
	return nil
}
