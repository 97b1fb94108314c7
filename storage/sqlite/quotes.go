package sqlite

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
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
		if !scrubValue(m, texts) {
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

// scrubValue replaces quotes in every string inside v (a decoded JSON map or slice) and
// reports whether it changed anything.
func scrubValue(v any, texts []string) bool {
	changed := false
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok {
				if out := scrubString(s, texts); out != s {
					x[k], changed = out, true
				}
			} else if scrubValue(e, texts) {
				changed = true
			}
		}
	case []any:
		for i, e := range x {
			if s, ok := e.(string); ok {
				if out := scrubString(s, texts); out != s {
					x[i], changed = out, true
				}
			} else if scrubValue(e, texts) {
				changed = true
			}
		}
	}
	return changed
}

// Quotes shorter than minQuote bytes are left alone: "ok" or "no" would match everywhere.
const (
	minQuote    = 10
	needleRunes = 24
)

// scrubString replaces each quote of a text in s with "[erased]". A quote is found by the
// text's first words, as typed or with its white space collapsed (core's excerpts), and
// runs as far as it agrees with the text, plus the "…" of a truncated excerpt.
func scrubString(s string, texts []string) string {
	for _, text := range texts {
		for _, full := range []string{text, strings.Join(strings.Fields(text), " ")} {
			needle := prefixRunes(full, needleRunes)
			if len(needle) < minQuote {
				continue
			}
			s = replaceQuotes(s, needle, full)
		}
	}
	return s
}

func replaceQuotes(s, needle, full string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, needle)
		if i < 0 {
			if b.Len() == 0 {
				return s
			}
			b.WriteString(s)
			return b.String()
		}
		j := i + commonPrefix(s[i:], full)
		j += len(prefixOf(s[j:], "…"))
		b.WriteString(s[:i])
		b.WriteString(erased)
		s = s[j:]
	}
}

// prefixRunes returns the first n runes of s.
func prefixRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// commonPrefix returns the length in bytes of the longest common prefix of a and b that
// ends on a rune boundary.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) {
		ra, sa := utf8.DecodeRuneInString(a[n:])
		rb, _ := utf8.DecodeRuneInString(b[n:])
		if ra != rb {
			break
		}
		n += sa
	}
	return n
}

// prefixOf returns p if s starts with it, else "".
func prefixOf(s, p string) string {
	if strings.HasPrefix(s, p) {
		return p
	}
	return ""
}
