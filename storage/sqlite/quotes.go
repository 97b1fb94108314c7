package sqlite

import (
	"encoding/json"
	"fmt"

	"earshot/storage/internal/quote"
)

// Messages that concern no one customer (the owners' digest, a member's /complaints list:
// core leaves the contact id off what it sends to team members) may quote a customer's
// words, whole or as an excerpt. Erasing the customer replaces those quotes with "[erased]"
// and leaves the rest of the message alone. Messages that carry the customer's contact id
// (cards, warnings, relays) are emptied whole by the erase.

// qQuotedTexts lists the free texts held on a contact, read before they are erased.
const qQuotedTexts = `
	SELECT text FROM answers
		WHERE run_id IN (SELECT id FROM survey_runs WHERE contact_id = ?1) AND text <> ''
	UNION SELECT text FROM complaints WHERE contact_id = ?1 AND text <> ''
	UNION SELECT resolution_note FROM complaints WHERE contact_id = ?1 AND resolution_note <> ''
	UNION SELECT m.text FROM thread_messages m JOIN complaints c ON c.id = m.complaint_id
		WHERE c.contact_id = ?1 AND m.text <> ''
	UNION SELECT pending_text FROM contacts WHERE id = ?1 AND pending_text <> ''`

// qUnownedMessages reads the messages about no one customer (partial index outbox_unowned).
const qUnownedMessages = `SELECT id, payload FROM outbox WHERE contact_id IS NULL`

const qSetPayload = `UPDATE outbox SET payload = ? WHERE id = ?`

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
			return fmt.Errorf("storage: outbox %d payload: %w", r.id, err)
		}
		if !quote.Value(m, texts) {
			continue
		}
		b, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("storage: outbox %d payload: %w", r.id, err)
		}
		if _, err := t.exec(qSetPayload, string(b), r.id); err != nil {
			return fmt.Errorf("storage: scrub outbox %d: %w", r.id, err)
		}
	}
	return nil
}
