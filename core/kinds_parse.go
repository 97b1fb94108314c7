package core

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// ParseChoice reads a typed answer to a choice question: an option's number (from 1), its
// label (in any of the languages it is given in) or its key, case and surrounding
// punctuation ignored; with multiple, several of them separated by commas, semicolons,
// "and" (or und, et, y, e, en: the offered languages' words) or (numbers only) spaces:
// "1, 3", "Delivery and staff", "Lieferung und Preis", "1 3". It returns the option keys in
// the options' order, without repeats; ok is false when any part names no option, or a
// single choice names more than one.
func ParseChoice(text string, options []Option, multiple bool) (keys []string, ok bool) {
	if k, found := matchOption(text, options); found {
		return []string{k}, true
	}
	if !multiple {
		return nil, false
	}
	parts := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' })
	if len(parts) == 1 {
		parts = splitAnd(parts[0])
	}
	if len(parts) == 1 {
		parts = strings.Fields(parts[0]) // "1 3": numbers only, checked below
		for _, p := range parts {
			if _, err := strconv.Atoi(strings.Trim(p, " .!")); err != nil {
				return nil, false
			}
		}
	}
	picked := map[string]bool{}
	for _, p := range parts {
		if k, found := matchOption(p, options); found { // a label with "and" in it
			picked[k] = true
			continue
		}
		for _, q := range splitAnd(p) {
			k, found := matchOption(q, options)
			if !found {
				return nil, false
			}
			picked[k] = true
		}
	}
	for _, o := range options {
		if picked[o.Key] {
			keys = append(keys, o.Key)
		}
	}
	return keys, len(keys) > 0
}

// ands are the words for "and" in the languages earshot speaks.
var ands = map[string]bool{"and": true, "und": true, "et": true, "y": true, "e": true, "en": true, "&": true, "+": true}

// splitAnd splits "a and b" (or "a und b", "a & b") into its parts.
func splitAnd(s string) []string {
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, w := range strings.Fields(s) {
		if ands[strings.ToLower(w)] {
			flush()
			continue
		}
		cur = append(cur, w)
	}
	flush()
	if len(out) == 0 {
		return []string{s}
	}
	return out
}

// matchOption finds the option one typed word or phrase names.
func matchOption(s string, options []Option) (string, bool) {
	t := strings.TrimSpace(strings.Trim(strings.TrimSpace(s), ".!\"'"))
	if t == "" || len(t) > 200 {
		return "", false
	}
	if n, err := strconv.Atoi(t); err == nil {
		if n >= 1 && n <= len(options) {
			return options[n-1].Key, true
		}
		return "", false
	}
	for _, o := range options {
		if strings.EqualFold(t, strings.TrimSpace(o.Label)) || strings.EqualFold(t, o.Key) {
			return o.Key, true
		}
	}
	for _, o := range options {
		for _, l := range o.LabelIn {
			if strings.EqualFold(t, strings.TrimSpace(l)) {
				return o.Key, true
			}
		}
	}
	return "", false
}

// ParseTypedScore reads a typed score from min to max: what ParseScore reads ("9",
// "9/10"), and the score out of max written with words in any language, as long as its
// digits are there: "9 of 10", "9 von 10", "9 sur 10", "9 de 10", "9 su 10", "9 van 10",
// "9 out of 10". Digits other than ASCII ones (fullwidth "９") are read too.
func ParseTypedScore(text string, min, max int) (int, bool) {
	t := asciiDigits(strings.TrimSpace(text))
	if v, ok := ParseScore(t, min, max); ok {
		return v, true
	}
	fs := strings.Fields(strings.TrimRight(t, ".!"))
	if len(fs) < 3 || len(fs) > 4 || fs[len(fs)-1] != strconv.Itoa(max) {
		return 0, false
	}
	for _, w := range fs[1 : len(fs)-1] { // the words between: letters only
		if len(w) > 8 || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
			return 0, false
		}
	}
	return ParseScore(fs[0], min, max)
}

// asciiDigits writes any Unicode decimal digit as its ASCII digit.
func asciiDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r <= unicode.MaxASCII || !unicode.Is(unicode.Nd, r) {
			return r
		}
		// Decimal digits come in runs of ten from 0 to 9, adjacent runs back to back: the
		// first digit of the whole stretch is a zero.
		zero := r
		for zero > 0 && unicode.Is(unicode.Nd, zero-1) {
			zero--
		}
		return '0' + (r-zero)%10
	}, s)
}

// joinKeys is how a choice answer's keys are stored in Answer.Text.
func joinKeys(keys []string) string { return strings.Join(slices.Clip(keys), ",") }
