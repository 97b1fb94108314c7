package config

import (
	"maps"
	"slices"

	"go.yaml.in/yaml/v3"

	"earshot/core"
)

// Text is a text the business writes for its customers (a question, an option's label, a
// survey's intro). The file gives it as a string, which every language reads, or as a map
// by language: text: {en: "How fast were we?", de: "Wie schnell waren wir?"}.
type Text struct {
	All    string            // written as a string: what every language reads
	ByLang map[string]string // written as a map by language; nil when written as a string
}

// For returns the text in lang: the string, or the map's entry ("" when it lacks lang).
func (t Text) For(lang string) string {
	if t.ByLang != nil {
		return t.ByLang[lang]
	}
	return t.All
}

// IsZero reports whether no text was written (yaml's omitempty).
func (t Text) IsZero() bool { return t.All == "" && t.ByLang == nil }

// Equal reports whether t and u are written alike.
func (t Text) Equal(u Text) bool {
	return t.All == u.All && (t.ByLang == nil) == (u.ByLang == nil) && maps.Equal(t.ByLang, u.ByLang)
}

// MarshalYAML writes the text as it was written: a string or a map.
func (t Text) MarshalYAML() (any, error) {
	if t.ByLang != nil {
		return t.ByLang, nil
	}
	return t.All, nil
}

// langs lists the languages of a map, sorted (none for a string).
func (t Text) langs() []string { return slices.Sorted(maps.Keys(t.ByLang)) }

// core returns the text in the business's language and, for a map, every language's text.
func (t Text) core(business string) (string, core.Localized) {
	if t.ByLang == nil {
		return t.All, nil
	}
	in := core.Localized{}
	for l, s := range t.ByLang {
		in[core.Lang(l)] = s
	}
	return t.ByLang[business], in
}

// decodeNode reads a string or a map of language to string.
func (t *Text) decodeNode(d *decoder, n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.ScalarNode:
		*t = Text{}
		t.All, _ = d.expand(n.Value)
	case yaml.MappingNode:
		*t = Text{ByLang: map[string]string{}}
		d.stringMap(n, path, func(key string, v *yaml.Node, sub string) {
			if v.Kind != yaml.ScalarNode {
				d.fail(sub, "expected the text in %s, not %s", key, describe(v))
				return
			}
			t.ByLang[key], _ = d.expand(v.Value)
		})
	default:
		d.fail(path, "expected a text, or a map of texts by language ({en: …, de: …}), not %s", describe(n))
	}
}
