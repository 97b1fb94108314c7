package postgres

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"earshot/storage/internal/quote"
)

// eraseSteps remove identity and free text held on one contact. args picks each one's
// parameters ($1, $2, …) from the contact id, its platform, its old platform id and the
// tombstone that replaces it. Scores, states and times stay.
//
// A message concerns the contact when it carries their contact id or is a DM to their
// account (a reply written before every DM carried the id, or an owner's DM to a person
// who is also a customer): both are found (outbox_contact, outbox_dm_chat), so nothing sent
// to them keeps their address. The steps are SQLite's, in PostgreSQL's dialect.
var eraseSteps = []struct {
	what string
	args []int
	sql  string
}{
	{"invites", []int{0}, `UPDATE invites SET name = '', ref = '' WHERE used_by = $1`},
	{"touchpoints", []int{0}, `UPDATE touchpoints SET ref = '', key = NULL WHERE contact_id = $1`},
	{"answers", []int{0}, `UPDATE answers SET text = ''
		WHERE run_id IN (SELECT id FROM survey_runs WHERE contact_id = $1) AND text <> ''`},
	// The business's ids for them: their links, the ids on invites they opened and the
	// touchpoints that waited for them, which would tie the anonymous scores to the id.
	{"customer links", []int{0}, `DELETE FROM customer_links WHERE contact_id = $1`},
	{"invite customer ids", []int{0}, `UPDATE invites SET customer_ns = '', customer_id = '' WHERE used_by = $1`},
	{"waiting touches", []int{0}, `DELETE FROM waiting_touches
		WHERE touchpoint_id IN (SELECT id FROM touchpoints WHERE contact_id = $1)`},
	{"thread", []int{0}, `UPDATE thread_messages
		SET text = '` + quote.Erased + `',
		    account_id = CASE WHEN from_team THEN account_id ELSE '' END,
		    account_platform = CASE WHEN from_team THEN account_platform ELSE '' END
		WHERE complaint_id IN (SELECT id FROM complaints WHERE contact_id = $1)`},
	{"complaints", []int{0}, `UPDATE complaints
		SET text = CASE WHEN text = '' THEN '' ELSE '` + quote.Erased + `' END,
		    resolution_note = CASE WHEN resolution_note = '' THEN '' ELSE '` + quote.Erased + `' END
		WHERE contact_id = $1`},
	// A pending message about them would go out empty: it is dropped, as dead without a
	// dead_at so that reports do not count it as a delivery failure.
	{"outbox pending", []int{0, 1, 2}, `UPDATE outbox SET state = 'dead', last_error = 'erased', lease_until = NULL
		WHERE (contact_id = $1 OR (dm AND platform = $2 AND chat_id = $3)) AND state = 'pending'`},
	// A DM's sent id names the chat ("4242002/6" on Telegram): it goes with the address.
	// Errors may quote the address too.
	{"outbox", []int{0, 1, 2, 3}, `UPDATE outbox SET payload = '{}',
		last_error = CASE WHEN last_error IN ('', 'erased') THEN last_error ELSE '` + quote.Erased + `' END,
		sent_id = CASE WHEN dm AND platform = $2 AND chat_id = $3 THEN '' ELSE sent_id END,
		chat_id = CASE WHEN dm AND platform = $2 AND chat_id = $3 THEN $4 ELSE chat_id END
		WHERE contact_id = $1 OR (dm AND platform = $2 AND chat_id = $3)`},
	// Event ids that name the account (Slack's "action:U0123:ts") go; the others hold no
	// one's id. A redelivery of such an event after the erase is taken as new.
	{"inbound", []int{1, 2}, `DELETE FROM inbound WHERE platform = $1
		AND strpos(':' || event_id || ':', ':' || $2 || ':') > 0`},
}

const qEraseContact = `UPDATE contacts SET user_id = $1, name = '', locale = '', timezone = '', language = '',
	pending = '', pending_text = '', pending_run = NULL, pending_at = NULL, pending_complaint = NULL, erased_at = $2
	WHERE id = $3`

// EraseContact removes identity and free text held on the contact everywhere (ENOTFOUND),
// as on SQLite: its reference becomes an unguessable tombstone, its name, locale, language, zone and
// pending text go; its answers' texts become empty; its complaints' texts, resolution notes
// and thread messages become "[erased]" (and the customer's account in the thread goes); its
// invites' names and references and its touchpoints' order references go; its links to the
// business's customer ids go, with the waiting touchpoints that became its touchpoints and
// the ids on the invites it opened; the payloads of
// outbox messages concerning it become an empty message (DMs to them lose their address and
// sent id too, and those still pending are dropped: state dead, reason "erased", no
// dead_at); inbound event ids naming its account go; and quotes of its texts in messages
// about no one customer (the owners' digest, a member's /complaints list) become
// "[erased]". A message enqueued to the contact after this (the confirmation that the erase
// happened) loses its address when it is sent or dies (MarkSent, MarkDead).
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
	all := []any{id, string(c.Ref.Platform), c.Ref.ID, tomb}
	for _, s := range eraseSteps {
		args := make([]any, len(s.args))
		for i, a := range s.args {
			args[i] = all[a]
		}
		if _, err := t.exec(s.sql, args...); err != nil {
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
