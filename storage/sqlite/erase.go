package sqlite

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"earshot/storage/internal/quote"
)

// erased replaces free text that had content.
const erased = quote.Erased

// eraseSteps remove identity and free text held on one contact. Their arguments are the
// contact id, its platform, its old platform id and the tombstone that replaces it. Scores,
// states and times stay.
//
// A message concerns the contact when it carries their contact id or is a DM to their
// account (a reply written before every DM carried the id, or an owner's DM to a person
// who is also a customer): both are found, so nothing sent to them keeps their address.
var eraseSteps = []struct{ what, sql string }{
	{"invites", `UPDATE invites SET name = '', ref = '' WHERE used_by = ?1`},
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
		WHERE (contact_id = ?1 OR (dm AND platform = ?2 AND chat_id = ?3)) AND state = 'pending'`},
	// A DM's sent id names the chat ("4242002/6" on Telegram): it goes with the address.
	// Errors may quote the address too.
	{"outbox", `UPDATE outbox SET payload = '{}',
		last_error = CASE WHEN last_error IN ('', 'erased') THEN last_error ELSE '` + erased + `' END,
		sent_id = CASE WHEN dm AND platform = ?2 AND chat_id = ?3 THEN '' ELSE sent_id END,
		chat_id = CASE WHEN dm AND platform = ?2 AND chat_id = ?3 THEN ?4 ELSE chat_id END
		WHERE contact_id = ?1 OR (dm AND platform = ?2 AND chat_id = ?3)`},
	// Event ids that name the account (Slack's "action:U0123:ts") go; the others hold no
	// one's id. A redelivery of such an event after the erase is taken as new.
	{"inbound", `DELETE FROM inbound WHERE platform = ?2
		AND instr(':' || event_id || ':', ':' || ?3 || ':') > 0`},
}

const qEraseContact = `UPDATE contacts SET user_id = ?, name = '', locale = '', timezone = '', language = '',
	pending = '', pending_text = '', pending_run = NULL, pending_at = NULL, pending_complaint = NULL, erased_at = ?
	WHERE id = ?`

// EraseContact removes identity and free text held on the contact everywhere (ENOTFOUND):
// its reference becomes an unguessable tombstone, its name, locale, language, zone and pending text go;
// its links to the business's customer ids go, with the waiting touchpoints that became
// its touchpoints and the ids on the invites it opened; its answers' texts become empty; its complaints' texts, resolution notes and thread
// messages become "[erased]" (and the customer's account in the thread goes); its invites'
// names and references and its touchpoints' order references go; the payloads of outbox
// messages concerning it become an empty message (DMs to them lose their address and sent
// id too, and those still pending are dropped: state dead, reason "erased", no dead_at);
// inbound event ids naming its account go; and quotes of its texts in messages about no
// one customer (the owners' digest, a member's /complaints list) become "[erased]". Every
// outbox row is found through an index (outbox_contact, outbox_dm_chat, outbox_unowned). A message enqueued
// to the contact after this (the confirmation that the erase happened) loses its address
// when it is sent or dies (MarkSent, MarkDead).
//
// The transaction also records that a compaction is owed (see compact.go): until one
// succeeds, old copies of the erased rows may remain in the write-ahead log and the file.
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
	if err := t.scrubQuotes(texts); err != nil {
		return err
	}
	return t.oweCompaction()
}

// tombstone returns a reference id no platform account can have.
func tombstone() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("storage: tombstone: %w", err)
	}
	return "erased-" + hex.EncodeToString(b), nil
}
