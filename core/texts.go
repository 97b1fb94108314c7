package core

import "time"

// Lang is a language the business offers, as a BCP 47 base tag: "en", "de", "pt".
type Lang string

// Args are the values a text refers to by name ({{.Ref}}). Count, when set, also picks the
// plural form ("1 survey", "2 surveys"; "1 Umfrage", "2 Umfragen").
type Args map[string]any

// Key names a text in the catalogs. Every key is a constant declared in this package (or in
// an adapter kit for the adapters' own words), so a test can check that each is in every
// catalog and that no catalog holds a key nobody says.
type Key string

// Texts renders what earshot says to people. Core decides who is spoken to, in which
// language and which text (a key and its arguments); an implementation holds the catalogs
// and each language's plurals, numbers and dates, so rendering happens in one place. It is
// safe for concurrent use.
type Texts interface {
	// Text renders key in lang with args. A language not offered renders in the default
	// one; a key missing from the language's catalog falls back to the default language,
	// then to the key itself — never an error: a catalog test guards completeness.
	Text(lang Lang, key Key, args Args) string
	// Match returns the offered language closest to a platform's locale ("de-AT" → de,
	// "pt-BR" → pt); ok is false when none is close enough ("zh" with en and de offered).
	Match(locale string) (lang Lang, ok bool)
	// Number writes v with the given number of fraction digits, the language's way ("7,5").
	Number(lang Lang, v float64, decimals int) string
	// DayTime writes t (already in the zone to show) as a weekday and a time of day, the
	// language's way ("Monday 12:00", "Montag 12:00").
	DayTime(lang Lang, t time.Time) string
	// Default is the business's language; Offered lists every language offered, the
	// default first.
	Default() Lang
	Offered() []Lang
}
