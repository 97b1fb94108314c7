package storage

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// erased replaces free text that had content.
const erased = "[erased]"

// eraseSteps remove identity and free text held on one contact (the first argument of each
// is the contact id). Scores, states and times stay.
var eraseSteps = []struct{ what, sql string }{
	{"invites", `UPDATE invites SET name = '' WHERE used_by = ?1`},
	{"touchpoints", `UPDATE touchpoints SET ref = '', key = NULL WHERE contact_id = ?1`},
	{"answers", `UPDATE answers SET text = '' WHERE contact_id = ?1 AND text <> ''`},
	{"thread", `UPDATE thread_messages
		SET text = '` + erased + `',
		    account_id = CASE WHEN from_team THEN account_id ELSE '' END,
		    account_platform = CASE WHEN from_team THEN account_platform ELSE '' END
		WHERE complaint_id IN (SELECT id FROM complaints WHERE contact_id = ?1)`},
	{"complaints", `UPDATE complaints
		SET text = CASE WHEN text = '' THEN '' ELSE '` + erased + `' END,
		    resolution_note = CASE WHEN resolution_note = '' THEN '' ELSE '` + erased + `' END
		WHERE contact_id = ?1`},
	{"outbox", `UPDATE outbox SET payload = '{}' WHERE contact_id = ?1`},
}

const qEraseContact = `UPDATE contacts SET user_id = ?, name = '', locale = '', timezone = '',
	pending = '', pending_text = '', pending_run = NULL, pending_at = NULL, erased_at = ?
	WHERE id = ?`

// EraseContact removes identity and free text held on the contact everywhere (ENOTFOUND):
// its reference becomes an unguessable tombstone, its name, locale, zone and pending text go;
// its answers' texts become empty; its complaints' texts, resolution notes and thread
// messages become "[erased]" (and the customer's account in the thread goes); its invites'
// names and touchpoints' order references go; the payloads of outbox messages concerning it
// become an empty message. Call (*DB).Compact afterwards so no old copy stays in the file.
func (t *tx) EraseContact(id int64, at time.Time) error {
	tomb, err := tombstone()
	if err != nil {
		return err
	}
	res, err := t.exec(qEraseContact, tomb, msDue(at), id)
	if err != nil {
		return fmt.Errorf("storage: erase contact %d: %w", id, err)
	}
	if err := affected(res, "contact %d not found", id); err != nil {
		return err
	}
	for _, s := range eraseSteps {
		if _, err := t.exec(s.sql, id); err != nil {
			return fmt.Errorf("storage: erase contact %d: %s: %w", id, s.what, err)
		}
	}
	return nil
}

// tombstone returns a reference id no platform account can have.
func tombstone() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("storage: tombstone: %w", err)
	}
	return "erased-" + hex.EncodeToString(b), nil
}
