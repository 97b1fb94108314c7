// Package i18n holds every sentence earshot says, in every language it speaks, and renders
// them: it implements core.Texts. The catalogs are YAML files embedded in the binary, a folder
// per language and a file per part of the product (catalog/de/customer.yaml …; the same files
// in every language), read by go-i18n, which applies CLDR plural rules; languages
// are matched with golang.org/x/text/language and numbers are written with
// golang.org/x/text/message. A business may override any sentence per language.
//
// Core and the adapters decide what to say (a core.Key and its arguments) and to whom; this
// package is the one place where that becomes words.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"earshot/core"
)

//go:embed catalog/*/*.yaml
var catalogFS embed.FS

// Supported lists the languages earshot has catalogs for.
var Supported = []core.Lang{"en", "de", "fr", "es", "it", "nl", "pt"}

// Plural is a sentence whose words depend on a count, one text per CLDR plural category the
// language uses. A sentence without plural forms is Other alone.
type Plural struct {
	Zero, One, Two, Few, Many, Other string
}

// Options configure a Catalog.
type Options struct {
	// Default is the business's language (business.language).
	Default core.Lang
	// Offered are the languages customers may have (business.languages); empty means
	// Default alone. Default is offered whether listed or not.
	Offered []core.Lang
	// Overrides replace sentences: language → key → text (business's messages:).
	Overrides map[core.Lang]map[core.Key]Plural
}

// Catalog renders keys in the offered languages. It is safe for concurrent use.
type Catalog struct {
	def     core.Lang
	offered []core.Lang
	matcher language.Matcher
	loc     map[core.Lang]*goi18n.Localizer
	print   map[core.Lang]*message.Printer
}

var _ core.Texts = (*Catalog)(nil)

// New loads the embedded catalogs and the overrides. An unsupported language is an error;
// so is a bad override (a key no catalog has, a template that is not valid, a language not
// offered …): every one of those at once, joined, each an *OverrideError naming its path.
func New(o Options) (*Catalog, error) {
	if o.Default == "" {
		o.Default = "en"
	}
	offered := []core.Lang{o.Default}
	for _, l := range o.Offered {
		if !slices.Contains(offered, l) {
			offered = append(offered, l)
		}
	}
	for _, l := range offered {
		if !slices.Contains(Supported, l) {
			return nil, fmt.Errorf("i18n: no catalog for %q (earshot speaks %s)", l, langList(Supported))
		}
	}
	bundle, err := load()
	if err != nil {
		return nil, err
	}
	if err := addOverrides(bundle, offered, o.Overrides); err != nil {
		return nil, err
	}
	c := &Catalog{def: o.Default, offered: offered, loc: map[core.Lang]*goi18n.Localizer{},
		print: map[core.Lang]*message.Printer{}}
	tags := make([]language.Tag, len(offered))
	for i, l := range offered {
		tags[i] = language.Make(string(l))
		c.loc[l] = goi18n.NewLocalizer(bundle, string(l), string(o.Default))
		c.print[l] = message.NewPrinter(tags[i])
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

// load parses every embedded catalog into one bundle whose fallback is English.
func load() (*goi18n.Bundle, error) {
	bundle := goi18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	for _, l := range Supported {
		texts, err := catalogOf(catalogFS, l)
		if err != nil {
			return nil, err
		}
		for _, f := range texts {
			// go-i18n reads the language from the file name: area.de.yaml.
			if _, err := bundle.ParseMessageFileBytes(f.data, f.area+"."+string(l)+".yaml"); err != nil {
				return nil, fmt.Errorf("i18n: catalog %s/%s.yaml: %w", l, f.area, err)
			}
		}
	}
	return bundle, nil
}

// catalogFile is one part of a language's catalog (catalog/de/customer.yaml).
type catalogFile struct {
	area string
	data []byte
	keys map[string]any
}

// catalogOf reads a language's files, refusing a key that two of them define (YAML would
// keep one silently).
func catalogOf(fsys fs.FS, l core.Lang) ([]catalogFile, error) {
	entries, err := fs.ReadDir(fsys, "catalog/"+string(l))
	if err != nil {
		return nil, fmt.Errorf("i18n: catalog %s: %w", l, err)
	}
	seen := map[string]string{}
	var out []catalogFile
	for _, e := range entries {
		name := e.Name()
		area, ok := strings.CutSuffix(name, ".yaml")
		if !ok || e.IsDir() {
			continue
		}
		b, err := fs.ReadFile(fsys, "catalog/"+string(l)+"/"+name)
		if err != nil {
			return nil, fmt.Errorf("i18n: catalog %s/%s: %w", l, name, err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n: catalog %s/%s: %w", l, name, err)
		}
		for k := range m {
			if other, dup := seen[k]; dup {
				return nil, fmt.Errorf("i18n: catalog %s: %s is in both %s.yaml and %s.yaml", l, k, other, area)
			}
			seen[k] = area
		}
		out = append(out, catalogFile{area: area, data: b, keys: m})
	}
	return out, nil
}

// Text renders key in lang; see core.Texts.
func (c *Catalog) Text(lang core.Lang, key core.Key, args core.Args) string {
	loc, ok := c.loc[lang]
	if !ok {
		loc = c.loc[c.def]
	}
	cfg := &goi18n.LocalizeConfig{MessageID: string(key), TemplateData: map[string]any(args)}
	if n, ok := args["Count"]; ok {
		cfg.PluralCount = n
	}
	s, err := loc.Localize(cfg)
	if err != nil && s == "" {
		return string(key)
	}
	return s
}

// Match returns the offered language closest to a platform's locale; see core.Texts.
func (c *Catalog) Match(locale string) (core.Lang, bool) {
	locale = strings.ReplaceAll(strings.TrimSpace(locale), "_", "-")
	if locale == "" {
		return "", false
	}
	tag, err := language.Parse(locale)
	if err != nil {
		return "", false
	}
	_, i, conf := c.matcher.Match(tag)
	if conf == language.No {
		return "", false
	}
	return c.offered[i], true
}

// Number writes v the language's way ("7.5", "7,5").
func (c *Catalog) Number(lang core.Lang, v float64, decimals int) string {
	p, ok := c.print[lang]
	if !ok {
		p = c.print[c.def]
	}
	return p.Sprintf("%.*f", decimals, v)
}

var weekdayKeys = [7]core.Key{"weekday_sunday", "weekday_monday", "weekday_tuesday", "weekday_wednesday",
	"weekday_thursday", "weekday_friday", "weekday_saturday"}

// DayTime writes t as a weekday and a 24-hour time ("Montag 12:00").
func (c *Catalog) DayTime(lang core.Lang, t time.Time) string {
	return c.Text(lang, "day_time", core.Args{"Day": c.Text(lang, weekdayKeys[t.Weekday()], nil), "Time": t.Format("15:04")})
}

// Default is the business's language.
func (c *Catalog) Default() core.Lang { return c.def }

// Offered lists the offered languages, the default first.
func (c *Catalog) Offered() []core.Lang { return slices.Clone(c.offered) }

// Keys lists every key of the English catalog, sorted.
func Keys() []string {
	files, err := catalogOf(catalogFS, "en")
	if err != nil {
		return nil
	}
	var keys []string
	for _, f := range files {
		for k := range f.keys {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func langList(ls []core.Lang) string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

func sortedLangs[V any](m map[core.Lang]V) []core.Lang {
	out := make([]core.Lang, 0, len(m))
	for l := range m {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

func sortedKeys[V any](m map[core.Key]V) []core.Key {
	out := make([]core.Key, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
