package kit

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Splitter cuts text to a platform's limit. Platforms count differently (Telegram in UTF-16
// code units, Slack and Discord in characters) and escape differently (Slack's "&amp;",
// Discord's backslashes), so both are parameters.
type Splitter struct {
	Limit int
	// UTF16 counts UTF-16 code units, as Telegram does; otherwise characters (runes).
	UTF16 bool
	// SafeCut moves a cut at byte offset cut of s back so that it does not split an escape;
	// nil: any rune boundary will do.
	SafeCut func(s string, cut int) int
}

// RuneCount counts s in the splitter's unit.
func (sp Splitter) RuneCount(s string) int {
	if !sp.UTF16 {
		return utf8.RuneCountInString(s)
	}
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// prefix returns the byte length of the longest prefix of s within n units; at least one
// rune when n > 0, so that progress is always made.
func (sp Splitter) prefix(s string, n int) int {
	u := 0
	for i, r := range s {
		w := 1
		if sp.UTF16 {
			w = utf16.RuneLen(r)
		}
		if u+w > n {
			if i == 0 && n > 0 {
				_, size := utf8.DecodeRuneInString(s)
				return size
			}
			return i
		}
		u += w
	}
	return len(s)
}

// Split cuts s into pieces of at most Limit units: at the last line break that fits, else
// the last space, else anywhere SafeCut allows. The separator at a cut is dropped, as is
// trailing white space of a piece; pieces left empty are dropped.
func (sp Splitter) Split(s string) []string {
	var out []string
	for sp.RuneCount(s) > sp.Limit {
		cut := sp.prefix(s, sp.Limit)
		next := -1
		if i := strings.LastIndexByte(s[:cut], '\n'); i > 0 {
			cut, next = i, i+1
		} else if i := strings.LastIndexFunc(s[:cut], unicode.IsSpace); i > 0 {
			_, size := utf8.DecodeRuneInString(s[i:])
			cut, next = i, i+size
		} else {
			if sp.SafeCut != nil {
				if c := sp.SafeCut(s, cut); c > 0 {
					cut = c
				}
			}
			next = cut
		}
		if p := strings.TrimRightFunc(s[:cut], unicode.IsSpace); p != "" {
			out = append(out, p)
		}
		s = s[next:]
	}
	if strings.TrimSpace(s) != "" {
		out = append(out, s)
	}
	return out
}

// Cut shortens s to at most Limit units, ending with "…" when it had to cut.
func (sp Splitter) Cut(s string) string {
	if sp.RuneCount(s) <= sp.Limit {
		return s
	}
	cut := sp.prefix(s, sp.Limit-1)
	if sp.SafeCut != nil {
		cut = sp.SafeCut(s, cut)
	}
	return s[:cut] + "…"
}
