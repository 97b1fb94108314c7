package storage

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// erased replaces free text that had content.
const erased = "[erased]"

// eraseSteps remove identity and free text held on one contact. Their arguments are the
// contact id, its platform, its old platform id and the tombstone that replaces it. Scores,
// states and times stay.
var eraseSteps = []struct{ what, sql string }{
	{"invites", `UPDATE invites SET name = '' WHERE used_by = ?1`},
	{"touchpoints", `UPDATE touchpoints SET ref = '', key = NULL WHERE contact_id = ?1`},
	{"answers", `UPDATE answers SET text = ''
		WHERE run_id IN (SELECT id FROM survey_runs WHERE contact_id = ?1) AND text <> ''`},
	// The business's ids for them: their links, the ids on invites they opened and the
	// touchpoints that waited for them, which would tie the anonymous scores to the id.
	{"customer links", `DELETE FROM customer_links WHERE contact_id = ?1`},
	{"invite customer ids", `UPDATE invites SET customer_ns = '', customer_id = '' WHERE used_by = ?1`},
	{"waiting touches", `DELETE FROM waiting_touches
		WHERE touchpoint_id IN (SELECT id FROM touchpoints WHERE contact_id = ?1)`},
	{"thread", `UPDATE thread_messages
		SET text = '` + erased + `',
		    account_id = CASE WHEN from_team THEN account_id ELSE '' END,
		    account_platform = CASE WHEN from_team THEN account_platform ELSE '' END
		WHERE complaint_id IN (SELECT id FROM complaints WHERE contact_id = ?1)`},
	{"complaints", `UPDATE complaints
		SET text = CASE WHEN text = '' THEN '' ELSE '` + erased + `' END,
		    resolution_note = CASE WHEN resolution_note = '' THEN '' ELSE '` + erased + `' END
		WHERE contact_id = ?1`},
	// A pending message about them would go out empty: it is dropped, as dead without a
	// dead_at so that reports do not count it as a delivery failure.
	{"outbox pending", `UPDATE outbox SET state = 'dead', last_error = 'erased', lease_until = NULL
		WHERE contact_id = ?1 AND state = 'pending'`},
	{"outbox", `UPDATE outbox SET payload = '{}',
		chat_id = CASE WHEN dm AND platform = ?2 AND chat_id = ?3 THEN ?4 ELSE chat_id END
		WHERE contact_id = ?1`},
}

const qEraseContact = `UPDATE contacts SET user_id = ?, name = '', locale = '', timezone = '',
	pending = '', pending_text = '', pending_run = NULL, pending_at = NULL, pending_complaint = NULL, erased_at = ?
	WHERE id = ?`

// EraseContact removes identity and free text held on the contact everywhere (ENOTFOUND):
// its reference becomes an unguessable tombstone, its name, locale, zone and pending text go;
// its links to the business's customer ids go, with the waiting touchpoints that became
// its touchpoints and the ids on the invites it opened; its answers' texts become empty; its complaints' texts, resolution notes and thread
// messages become "[erased]" (and the customer's account in the thread goes); its invites'
// names and touchpoints' order references go; the payloads of outbox messages concerning it
// become an empty message (DMs to them lose their address too, and those still pending are
// dropped: state dead, reason "erased", no dead_at); and quotes of its texts in messages
// about no one customer (the owners' digest) become "[erased]". Call (*DB).Compact afterwards so no old copy stays in the file.
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
		return fmt.Errorf("storage: erase contact %d: %w", id, err)
	}
	for _, s := range eraseSteps {
		if _, err := t.exec(s.sql, id, string(c.Ref.Platform), c.Ref.ID, tomb); err != nil {
			return fmt.Errorf("storage: erase contact %d: %s: %w", id, s.what, err)
		}
	}
	return t.scrubQuotes(texts)
}

// tombstone returns a reference id no platform account can have.
func tombstone() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("storage: tombstone: %w", err)
	}
	return "erased-" + hex.EncodeToString(b), nil
}
