package i18n

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"earshot/core"
)

func catalogKeys(t *testing.T, l core.Lang) map[string]any {
	t.Helper()
	files, err := catalogOf(catalogFS, l)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	for _, f := range files {
		for k, v := range f.keys {
			m[k] = v
		}
	}
	return m
}

// TestEveryKeyInEveryLanguage: the catalogs hold the same keys, and each text renders in
// its language for every count a sentence may be given (so each plural form the language's
// CLDR rules pick is there).
func TestEveryKeyInEveryLanguage(t *testing.T) {
	en := catalogKeys(t, "en")
	bundle, err := load()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range Supported {
		cat := catalogKeys(t, l)
		for k := range en {
			if _, ok := cat[k]; !ok {
				t.Errorf("%s: missing %s", l, k)
			}
		}
		for k := range cat {
			if _, ok := en[k]; !ok {
				t.Errorf("%s: %s is not in the English catalog", l, k)
			}
		}
		loc := goi18n.NewLocalizer(bundle, string(l))
		for k, v := range cat {
			_, plural := v.(map[string]any)
			counts := []any{nil}
			if plural {
				counts = []any{0, 1, 2, 3, 5, 11, 21, 100, 1000000}
			}
			for _, n := range counts {
				cfg := &goi18n.LocalizeConfig{MessageID: k, PluralCount: n, TemplateData: map[string]any{"Count": n}}
				s, tag, err := loc.LocalizeWithTag(cfg)
				if err != nil || s == "" || tag != language.Make(string(l)) {
					t.Errorf("%s.%s with count %v: %q in %v, %v", l, k, n, s, tag, err)
				}
			}
		}
	}
}

// TestEveryKeyIsSaid: no catalog key is left over — each appears as a string in the code of
// core or the adapters — and every core.Key constant is in the catalog.
func TestEveryKeyIsSaid(t *testing.T) {
	literals := map[string]bool{}
	keyConsts := map[string]string{} // value → name
	for _, dir := range []string{"../../core", "../../bots"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.BasicLit:
					if n.Kind == token.STRING {
						if s, err := strconv.Unquote(n.Value); err == nil {
							literals[s] = true
						}
					}
				case *ast.ValueSpec:
					if id, ok := n.Type.(*ast.Ident); ok && id.Name == "Key" && f.Name.Name == "core" {
						for i, name := range n.Names {
							if lit, ok := n.Values[i].(*ast.BasicLit); ok {
								v, _ := strconv.Unquote(lit.Value)
								keyConsts[v] = name.Name
							}
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	keys := map[string]bool{}
	for _, k := range Keys() {
		keys[k] = true
		if !literals[k] {
			t.Errorf("catalog key %s is said nowhere in core or bots", k)
		}
	}
	if len(keyConsts) == 0 {
		t.Fatal("found no core.Key constants: the scan is broken")
	}
	for v, name := range keyConsts {
		if !keys[v] {
			t.Errorf("core.%s = %q is in no catalog", name, v)
		}
	}
}

func mustNew(t *testing.T, o Options) *Catalog {
	t.Helper()
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMatch(t *testing.T) {
	c := mustNew(t, Options{Default: "en", Offered: []core.Lang{"de", "pt", "fr"}})
	for locale, want := range map[string]core.Lang{
		"de": "de", "de-AT": "de", "de_CH": "de", "pt-BR": "pt", "pt-PT": "pt", "fr-CA": "fr",
		"en-GB": "en", "EN-us": "en", "zh": "", "zh-Hans": "", "ja": "", "": "", "!!": "", "x-klingon": "",
	} {
		got, ok := c.Match(locale)
		if got != want || ok != (want != "") {
			t.Errorf("Match(%q) = %q, %v; want %q", locale, got, ok, want)
		}
	}
	only := mustNew(t, Options{Default: "de"})
	if got, ok := only.Match("en-US"); ok {
		t.Errorf("English is not offered, yet Match(en-US) = %q", got)
	}
}

func TestNumbersAndTimesTheLanguagesWay(t *testing.T) {
	c := mustNew(t, Options{Default: "en", Offered: Supported})
	monday := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		lang       core.Lang
		num, daytm string
	}{
		{"en", "7.5", "Monday 12:00"},
		{"de", "7,5", "Montag 12:00"},
		{"fr", "7,5", "lundi 12:00"},
		{"es", "7,5", "lunes 12:00"},
		{"it", "7,5", "lunedì 12:00"},
		{"nl", "7,5", "maandag 12:00"},
		{"pt", "7,5", "segunda-feira 12:00"},
	} {
		if got := c.Number(tc.lang, 7.5, 1); got != tc.num {
			t.Errorf("%s: Number(7.5) = %q, want %q", tc.lang, got, tc.num)
		}
		if got := c.DayTime(tc.lang, monday); got != tc.daytm {
			t.Errorf("%s: DayTime = %q, want %q", tc.lang, got, tc.daytm)
		}
	}
	if got := c.Number("de", 1234.56, 1); got != "1.234,6" {
		t.Errorf("de 1234.56 = %q", got)
	}
}

func TestFallbacks(t *testing.T) {
	c := mustNew(t, Options{Default: "de", Offered: []core.Lang{"en"}})
	if got := c.Text("ja", core.KeyYesWords, nil); !strings.HasPrefix(got, "ja,") {
		t.Errorf("a language not offered renders in the default: %q", got)
	}
	if got := c.Text("en", "no_such_key", nil); got != "no_such_key" {
		t.Errorf("an unknown key renders as itself: %q", got)
	}
	if c.Default() != "de" || len(c.Offered()) != 2 || c.Offered()[0] != "de" {
		t.Errorf("default %q, offered %v", c.Default(), c.Offered())
	}
}

func TestOverrides(t *testing.T) {
	c := mustNew(t, Options{Default: "en", Offered: []core.Lang{"de"},
		Overrides: map[core.Lang]map[core.Key]Plural{"de": {
			core.KeyYesWords: {Other: "jo, passt"},
			"day_time":       {Other: "{{.Day}} um {{.Time}} Uhr"},
		}}})
	if got := c.Text("de", core.KeyYesWords, nil); got != "jo, passt" {
		t.Errorf("override = %q", got)
	}
	if got := c.DayTime("de", time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)); got != "Montag um 12:00 Uhr" {
		t.Errorf("override with values = %q", got)
	}
	if got := c.Text("en", core.KeyYesWords, nil); !strings.HasPrefix(got, "yes") {
		t.Errorf("English untouched: %q", got)
	}
	over := func(l core.Lang, k core.Key, p Plural) Options {
		return Options{Default: "en", Overrides: map[core.Lang]map[core.Key]Plural{l: {k: p}}}
	}
	for name, o := range map[string]Options{
		`messages.fr: "fr" is not an offered language (en)`:    over("fr", core.KeyYesWords, Plural{Other: "oui"}),
		"messages.en.nope: no such message":                    over("en", "nope", Plural{Other: "x"}),
		"messages.en.words_yes: not a valid text":              over("en", core.KeyYesWords, Plural{Other: "{{.Broken"}),
		"messages.en.day_time: {{.Hour}} is not a value":       over("en", "day_time", Plural{Other: "{{.Day}} {{.Hour}}"}),
		"messages.en.words_no: the text is empty":              over("en", core.KeyNoWords, Plural{One: "x"}),
		"messages.en.words_no: a sentence that counts nothing": over("en", core.KeyNoWords, Plural{One: "x", Other: "y"}),
		`no catalog for "xx"`:                                  {Default: "xx"},
		"(it has {{.Day}}, {{.Time}})":                         over("en", "day_time", Plural{Other: "{{.When}}"}),
	} {
		_, err := New(o)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	// Every problem at once, each an *OverrideError naming its path.
	_, err := New(Options{Default: "en", Overrides: map[core.Lang]map[core.Key]Plural{
		"en": {"nope": {Other: "x"}, core.KeyNoWords: {Other: "{{"}}, "de": {core.KeyYesWords: {Other: "ja"}}}})
	var paths []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var oe *OverrideError
		if errors.As(e, &oe) {
			paths = append(paths, oe.Path())
		}
	}
	if want := []string{"messages.de", "messages.en.nope", "messages.en.words_no"}; !slices.Equal(paths, want) {
		t.Errorf("problems at %v, want %v", paths, want)
	}
}

// TestCountingOverrides: a sentence that counts things is overridden with every form the
// language uses, and no other.
func TestCountingOverrides(t *testing.T) {
	counts := map[string]any{"one": "{{.Count}} survey", "other": "{{.Count}} surveys"}
	has := fields(counts)
	for _, tc := range []struct {
		lang core.Lang
		p    Plural
		want string
	}{
		{"de", Plural{One: "{{.Count}} Umfrage", Other: "{{.Count}} Umfragen"}, ""},
		{"de", Plural{Other: "{{.Count}} Umfrage(n)"}, "counts things: write every form de uses, {one: …, other: …} (missing: one)"},
		{"de", Plural{One: "eine", Few: "ein paar", Other: "{{.Count}}"}, `de has no "few" form (it uses one, other)`},
		{"fr", Plural{One: "{{.Count}} enquête", Other: "{{.Count}} enquêtes"}, "missing: many"},
		{"fr", Plural{One: "{{.Count}} enquête", Many: "{{.Count}} d’enquêtes", Other: "{{.Count}} enquêtes"}, ""},
		{"de", Plural{One: "{{.Count}} {{.Name}}", Other: "x"}, "{{.Name}} is not a value of this sentence (it has {{.Count}})"},
	} {
		got := checkOverride(tc.lang, tc.p, counts, has, "surveys_sent")
		if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("%s %+v: %q, want %q", tc.lang, tc.p, got, tc.want)
		}
	}
	if got := formsOf("en"); !slices.Equal(got, []string{"one", "other"}) {
		t.Errorf("English forms %v", got)
	}
	if got := formsOf("pt"); !slices.Equal(got, []string{"one", "many", "other"}) {
		t.Errorf("Portuguese forms %v", got)
	}
}

// TestCatalogFilesAreTidy: a folder per supported language and no other, each with the same
// files as English's, each file UTF-8 without tabs.
func TestCatalogFilesAreTidy(t *testing.T) {
	entries, err := os.ReadDir("catalog")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(Supported) {
		t.Errorf("%d catalog folders for %d languages", len(entries), len(Supported))
	}
	names := func(l core.Lang) []string {
		files, err := os.ReadDir(filepath.Join("catalog", string(l)))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range files {
			out = append(out, f.Name())
			b, err := os.ReadFile(filepath.Join("catalog", string(l), f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "\t") {
				t.Errorf("%s/%s has a tab", l, f.Name())
			}
			if !utf8.Valid(b) {
				t.Errorf("%s/%s is not UTF-8", l, f.Name())
			}
		}
		return out
	}
	en := names("en")
	for _, l := range Supported {
		if got := names(l); !slices.Equal(got, en) {
			t.Errorf("catalog/%s holds %v, English %v", l, got, en)
		}
	}
}

// TestAKeyLivesInOneFile: two files of a language defining one key is refused at load, and
// the shipped catalogs have no such key.
func TestAKeyLivesInOneFile(t *testing.T) {
	twice := fstest.MapFS{
		"catalog/de/customer.yaml": {Data: []byte("thanks: \"Danke\"\n")},
		"catalog/de/team.yaml":     {Data: []byte("thanks: \"Danke schön\"\n")},
	}
	_, err := catalogOf(twice, "de")
	if err == nil || !strings.Contains(err.Error(), "thanks is in both customer.yaml and team.yaml") {
		t.Errorf("a key in two files: err = %v", err)
	}
	for _, l := range Supported {
		if _, err := catalogOf(catalogFS, l); err != nil {
			t.Error(err)
		}
	}
}
