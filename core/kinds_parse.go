package core

import (
	"slices"
	"strconv"
	"strings"
)

// ParseChoice reads a typed answer to a choice question: an option's number (from 1), its
// label or its key, case and surrounding punctuation ignored; with multiple, several of them
// separated by commas, semicolons, "and" or (numbers only) spaces: "1, 3", "Delivery and
// staff", "1 3". It returns the option keys in the options' order, without repeats; ok is
// false when any part names no option, or a single choice names more than one.
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

// splitAnd splits "a and b" into its parts.
func splitAnd(s string) []string {
	var out []string
	for _, p := range strings.Split(s, " and ") {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
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
	return "", false
}

// choiceLabels returns the labels of a stored choice answer's keys, joined for display.
func choiceLabels(q Question, stored string) string {
	var out []string
	for _, k := range splitKeys(stored) {
		if o, ok := q.Option(k); ok {
			out = append(out, o.Label)
		} else {
			out = append(out, k)
		}
	}
	return strings.Join(out, ", ")
}

// joinKeys is how a choice answer's keys are stored in Answer.Text.
func joinKeys(keys []string) string { return strings.Join(slices.Clip(keys), ",") }
