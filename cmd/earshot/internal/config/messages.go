package config

import (
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"earshot/bots/i18n"
	"earshot/core"
)

// Messages are the business's own wording of earshot's sentences, by language and key:
// messages: {de: {complaint_received: "Reklamation {{.Ref}} ist da."}}. Each overrides the
// catalog's sentence in that language; bots/i18n checks the key, the template and that
// the language is offered.
type Messages map[string]map[string]Message

// Message is one sentence as the business words it: a string, or forms by count for a
// sentence that counts things ({one: "{{.Count}} Umfrage", other: "{{.Count}} Umfragen"}).
type Message struct {
	Zero, One, Two, Few, Many, Other string
	forms                            bool // written as forms by count
}

// pluralForms are the keys of a sentence written as forms by count (CLDR's categories).
var pluralForms = []string{"zero", "one", "two", "few", "many", "other"}

func (m *Message) form(name string) *string {
	return map[string]*string{"zero": &m.Zero, "one": &m.One, "two": &m.Two, "few": &m.Few,
		"many": &m.Many, "other": &m.Other}[name]
}

// MarshalYAML writes the sentence as it was written.
func (m Message) MarshalYAML() (any, error) {
	if !m.forms {
		return m.Other, nil
	}
	out := map[string]string{}
	for _, f := range pluralForms {
		if s := *m.form(f); s != "" {
			out[f] = s
		}
	}
	return out, nil
}

// decodeNode reads language → key → sentence.
func (ms *Messages) decodeNode(d *decoder, n *yaml.Node, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(path, "expected sentences by language ({de: {complaint_received: …}}), not %s", describe(n))
		return
	}
	*ms = Messages{}
	d.stringMap(n, path, func(lang string, v *yaml.Node, lpath string) {
		if v.Kind != yaml.MappingNode {
			d.fail(lpath, "expected sentences by key ({complaint_received: …}), not %s", describe(v))
			return
		}
		byKey := map[string]Message{}
		(*ms)[lang] = byKey
		d.stringMap(v, lpath, func(key string, v *yaml.Node, kpath string) {
			if m, ok := d.message(v, kpath); ok {
				byKey[key] = m
			}
		})
	})
}

// message reads one sentence: a string, or a mapping of plural forms.
func (d *decoder) message(n *yaml.Node, path string) (Message, bool) {
	var m Message
	switch n.Kind {
	case yaml.ScalarNode:
		m.Other, _ = d.expand(n.Value)
		return m, true
	case yaml.MappingNode:
		m.forms = true
		ok := true
		d.stringMap(n, path, func(form string, v *yaml.Node, fpath string) {
			p := m.form(form)
			switch {
			case p == nil:
				d.fail(fpath, "not a plural form (%s)", strings.Join(pluralForms, ", "))
				ok = false
			case v.Kind != yaml.ScalarNode:
				d.fail(fpath, "expected the sentence, not %s", describe(v))
				ok = false
			default:
				*p, _ = d.expand(v.Value)
			}
		})
		return m, ok
	}
	d.fail(path, "expected a sentence, or its forms by count ({one: …, other: …}), not %s", describe(n))
	return m, false
}

// overrides returns the messages as bots/i18n takes them.
func (ms Messages) overrides() map[core.Lang]map[core.Key]i18n.Plural {
	if len(ms) == 0 {
		return nil
	}
	out := map[core.Lang]map[core.Key]i18n.Plural{}
	for _, lang := range slices.Sorted(maps.Keys(ms)) {
		byKey := map[core.Key]i18n.Plural{}
		for key, m := range ms[lang] {
			byKey[core.Key(key)] = i18n.Plural{Zero: m.Zero, One: m.One, Two: m.Two, Few: m.Few, Many: m.Many, Other: m.Other}
		}
		out[core.Lang(lang)] = byKey
	}
	return out
}
