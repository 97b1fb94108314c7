// Package quote finds a customer's words quoted in messages about no one customer (the
// owners' digest, a member's /complaints list), whole or as an excerpt, and replaces them
// with "[erased]" when the customer is erased. Both storage drivers use it.
package quote

import (
	"strings"
	"unicode/utf8"
)

// Erased replaces free text that had content.
const Erased = "[erased]"

// Value replaces quotes in every string inside v (a decoded JSON map or slice) and
// reports whether it changed anything.
func Value(v any, texts []string) bool {
	changed := false
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok {
				if out := String(s, texts); out != s {
					x[k], changed = out, true
				}
			} else if Value(e, texts) {
				changed = true
			}
		}
	case []any:
		for i, e := range x {
			if s, ok := e.(string); ok {
				if out := String(s, texts); out != s {
					x[i], changed = out, true
				}
			} else if Value(e, texts) {
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

// String replaces each quote of a text in s with "[erased]". A quote is found by the
// text's first words, as typed or with its white space collapsed (core's excerpts), and
// runs as far as it agrees with the text, plus the "…" of a truncated excerpt.
func String(s string, texts []string) string {
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
		b.WriteString(Erased)
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
