package core

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxInboundText is the longest text kept from one inbound message, in bytes; longer text
// is cut at a rune boundary and marked.
const MaxInboundText = 8000

// Command is a parsed command line: "/reply C-12 on its way" is {Name: "reply",
// Args: "C-12 on its way"}.
type Command struct {
	Name string
	Args string
}

// ParseCommand reads a command from text. A leading slash always makes a command (known or
// not: an unknown one gets a helpful answer); without a slash, only in a direct chat, a word
// of the command table (Commands) counts, and one whose command takes no arguments only when
// it stands alone. A "@botname" suffix on the command word is dropped.
func ParseCommand(text string, direct bool) (Command, bool) {
	t := strings.TrimSpace(text)
	slash := strings.HasPrefix(t, "/")
	if slash {
		t = t[1:]
	} else if !direct {
		return Command{}, false
	}
	word, rest, _ := strings.Cut(t, " ")
	if i := strings.IndexAny(word, "\n\t"); i >= 0 {
		word, rest = word[:i], word[i+1:]+" "+rest
	}
	word, _, _ = strings.Cut(word, "@")
	name := strings.ToLower(word)
	rest = strings.TrimSpace(rest)
	if name == "" {
		return Command{}, false
	}
	if !slash {
		spec, known := LookupCommand(name)
		if !known || (!spec.TakesArgs() && rest != "") {
			return Command{}, false
		}
	}
	return Command{Name: name, Args: rest}, true
}

// ParseScore reads a scale answer: "7", " 7 ", "7/10", "7 / 10", "7." — a whole number in
// [min, max], optionally followed by "/max". ok is false for anything else.
func ParseScore(text string, min, max int) (score int, ok bool) {
	t := strings.TrimSpace(text)
	t = strings.TrimRight(t, ".!")
	if num, den, found := strings.Cut(t, "/"); found {
		d, err := strconv.Atoi(strings.TrimSpace(den))
		if err != nil || d != max {
			return 0, false
		}
		t = strings.TrimSpace(num)
	}
	if t == "" || len(t) > 3 {
		return 0, false
	}
	for _, r := range t {
		if !unicode.IsDigit(r) || r > unicode.MaxASCII {
			return 0, false
		}
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < min || n > max {
		return 0, false
	}
	return n, true
}

// yesNo reads a typed yes or no in English, which every customer may answer in besides their
// own language (conv.yesNo reads theirs from the catalog); ok is false for anything else.
func yesNo(text string) (yes, ok bool) {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(text), ".!")) {
	case "yes", "y", "yes please", "yeah", "yep", "ok", "sure", "solved":
		return true, true
	case "no", "n", "nope", "no thanks", "not yet":
		return false, true
	}
	return false, false
}

// cleanText makes inbound text safe to store: valid UTF-8, no NULs, trimmed, and at most
// MaxInboundText bytes (cut at a rune boundary, marked with an ellipsis).
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	s = strings.TrimSpace(s)
	if len(s) > MaxInboundText {
		cut := MaxInboundText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + " …"
	}
	return s
}

// excerpt returns s cut to n runes on one line.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
