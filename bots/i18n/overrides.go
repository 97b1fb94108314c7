package i18n

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"earshot/core"
)

// OverrideError is what is wrong with one of the business's own sentences
// (Options.Overrides, the configuration's messages:): the language itself when Key is
// empty, else the sentence messages.<Lang>.<Key>.
type OverrideError struct {
	Lang   core.Lang
	Key    core.Key
	Reason string
}

// Path is where the sentence stands in the configuration: "messages.de.complaint_received".
func (e *OverrideError) Path() string {
	if e.Key == "" {
		return "messages." + string(e.Lang)
	}
	return "messages." + string(e.Lang) + "." + string(e.Key)
}

func (e *OverrideError) Error() string { return "i18n: " + e.Path() + ": " + e.Reason }

// addOverrides checks every override and adds it to bundle. Every problem is returned at
// once, joined, each an *OverrideError: a language not offered, a key no catalog has, a
// broken template, a value the sentence does not have ({{.Reff}}), a counting sentence
// written without the language's forms by count, or a plain one written with them.
func addOverrides(bundle *goi18n.Bundle, offered []core.Lang, overrides map[core.Lang]map[core.Key]Plural) error {
	if len(overrides) == 0 {
		return nil
	}
	english, values, err := catalogShapes()
	if err != nil {
		return err
	}
	var errs []error
	for _, l := range sortedLangs(overrides) {
		if !slices.Contains(offered, l) {
			errs = append(errs, &OverrideError{Lang: l, Reason: fmt.Sprintf("%q is not an offered language (%s)", l, langList(offered))})
			continue
		}
		for _, k := range sortedKeys(overrides[l]) {
			p := overrides[l][k]
			reason := checkOverride(l, p, english[string(k)], values[string(k)], string(k))
			m := &goi18n.Message{ID: string(k), Zero: p.Zero, One: p.One, Two: p.Two, Few: p.Few, Many: p.Many, Other: p.Other}
			if reason == "" {
				if err := bundle.AddMessages(language.Make(string(l)), m); err != nil {
					reason = err.Error()
				}
			}
			if reason != "" {
				errs = append(errs, &OverrideError{Lang: l, Key: k, Reason: reason})
			}
		}
	}
	return errors.Join(errs...)
}

// catalogShapes returns each key's English entry (a string, or forms by count) and the
// values ({{.Ref}}) its sentences refer to in any language, Count for one that counts.
func catalogShapes() (map[string]any, map[string][]string, error) {
	english, values := map[string]any{}, map[string][]string{}
	for _, l := range Supported {
		files, err := catalogOf(catalogFS, l)
		if err != nil {
			return nil, nil, err
		}
		for _, f := range files {
			for k, v := range f.keys {
				if l == "en" {
					english[k] = v
				}
				for _, name := range fields(v) {
					if !slices.Contains(values[k], name) {
						values[k] = append(values[k], name)
					}
				}
			}
		}
	}
	for k := range values {
		slices.Sort(values[k])
	}
	return english, values, nil
}

// checkOverride says what is wrong with the override p of key in l, or "" when nothing is.
// orig is the English entry and has the values the sentence refers to in any language.
func checkOverride(l core.Lang, p Plural, orig any, has []string, key string) string {
	if orig == nil {
		return "no such message"
	}
	texts := []string{p.Zero, p.One, p.Two, p.Few, p.Many, p.Other}
	if p.Other == "" {
		return "the text is empty"
	}
	for _, text := range texts {
		if text == "" {
			continue
		}
		mt := goi18n.NewMessageTemplate(&goi18n.Message{ID: key, Other: text})
		if _, err := mt.Execute("other", map[string]any{}, nil); err != nil {
			return fmt.Sprintf("not a valid text: %v", err)
		}
	}
	for _, text := range texts {
		for _, f := range fieldsOf(text) {
			if !slices.Contains(has, f) {
				return fmt.Sprintf("{{.%s}} is not a value of this sentence (%s)", f, valueList(has))
			}
		}
	}
	forms := formsOf(l)
	written := map[string]string{"zero": p.Zero, "one": p.One, "two": p.Two, "few": p.Few, "many": p.Many, "other": p.Other}
	_, counts := orig.(map[string]any)
	if !counts {
		if p.Zero != "" || p.One != "" || p.Two != "" || p.Few != "" || p.Many != "" {
			return "a sentence that counts nothing: write it as one string, not by count"
		}
		return ""
	}
	var missing []string
	for _, f := range forms {
		if written[f] == "" {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return fmt.Sprintf("counts things: write every form %s uses, {%s} (missing: %s)",
			l, strings.Join(forms, ": …, ")+": …", strings.Join(missing, ", "))
	}
	for _, f := range []string{"zero", "one", "two", "few", "many"} {
		if written[f] != "" && !slices.Contains(forms, f) {
			return fmt.Sprintf("%s has no %q form (it uses %s)", l, f, strings.Join(forms, ", "))
		}
	}
	return ""
}

// formsCache holds formsOf's answer per language: it renders a thousand counts.
var formsCache sync.Map // core.Lang → []string

// formsOf lists the CLDR plural forms l uses for whole numbers, in CLDR's order, as
// go-i18n's rules pick them (so the check agrees with rendering).
func formsOf(l core.Lang) []string {
	if f, ok := formsCache.Load(l); ok {
		return slices.Clone(f.([]string))
	}
	f := findForms(l)
	formsCache.Store(l, f)
	return slices.Clone(f)
}

func findForms(l core.Lang) []string {
	all := []string{"zero", "one", "two", "few", "many", "other"}
	b := goi18n.NewBundle(language.English)
	tag := language.Make(string(l))
	if err := b.AddMessages(tag, &goi18n.Message{ID: "form", Zero: "zero", One: "one", Two: "two", Few: "few", Many: "many", Other: "other"}); err != nil {
		return []string{"other"}
	}
	loc := goi18n.NewLocalizer(b, string(l))
	used := map[string]bool{}
	counts := []int{1000000} // French, Spanish, Italian and Portuguese say "many" of millions
	for n := range 1001 {
		counts = append(counts, n)
	}
	for _, n := range counts {
		if s, err := loc.Localize(&goi18n.LocalizeConfig{MessageID: "form", PluralCount: n}); err == nil {
			used[s] = true
		}
	}
	return slices.DeleteFunc(all, func(f string) bool { return !used[f] })
}

var (
	action = regexp.MustCompile(`\{\{.*?\}\}`)
	field  = regexp.MustCompile(`\.([A-Za-z_][A-Za-z0-9_]*)`)
)

// fieldsOf lists the values a template refers to ({{.Ref}} → Ref).
func fieldsOf(text string) []string {
	var out []string
	for _, a := range action.FindAllString(text, -1) {
		for _, m := range field.FindAllStringSubmatch(a, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
	}
	return out
}

// fields lists the values a catalog entry (a string or forms by count) refers to, and
// Count for one that counts.
func fields(v any) []string {
	var out []string
	add := func(s string) {
		for _, f := range fieldsOf(s) {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	switch v := v.(type) {
	case string:
		add(v)
	case map[string]any:
		out = append(out, "Count")
		for _, form := range v {
			if s, ok := form.(string); ok {
				add(s)
			}
		}
	}
	slices.Sort(out)
	return out
}

func valueList(fs []string) string {
	if len(fs) == 0 {
		return "it has none"
	}
	return "it has {{." + strings.Join(fs, "}}, {{.") + "}}"
}
