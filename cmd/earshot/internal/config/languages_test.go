package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"earshot/core"
)

// bilingual is a business offering en and de with a survey written in both.
const bilingual = `
business: {name: Fahrradladen, timezone: Europe/Berlin, language: %LANG%, languages: [en, de]}
surveys:
  - name: visit
    trigger: visit
    intro: {en: "Thanks for dropping by ({ref}).", de: "Danke für Ihren Besuch ({ref})."}
    questions:
      - {key: speed, text: {en: "How fast were we?", de: "Wie schnell waren wir?"}, type: scale}
      - key: reason
        text: {en: "What went wrong?", de: "Was ist schiefgelaufen?"}
        type: choice
        options:
          - {key: delivery, label: {en: Delivery, de: Lieferung}}
          - {key: dhl, label: DHL}
`

func TestTextsByLanguage(t *testing.T) {
	for _, lang := range []string{"en", "de"} {
		c, err := Parse([]byte(strings.ReplaceAll(bilingual, "%LANG%", lang)), noEnv)
		if err != nil {
			t.Fatal(err)
		}
		s, err := c.Settings()
		if err != nil {
			t.Fatal(err)
		}
		p, _ := s.Plan("visit")
		speed, reason := p.Questions[0], p.Questions[1]
		want := map[string]string{"en": "How fast were we?", "de": "Wie schnell waren wir?"}[lang]
		if speed.Text != want {
			t.Errorf("%s business: question text %q, want %q", lang, speed.Text, want)
		}
		if got := speed.TextFor("de"); got != "Wie schnell waren wir?" {
			t.Errorf("%s business: German text %q", lang, got)
		}
		if got := speed.TextFor("en"); got != "How fast were we?" {
			t.Errorf("%s business: English text %q", lang, got)
		}
		if got := p.IntroFor("de"); got != "Danke für Ihren Besuch ({ref})." {
			t.Errorf("German intro %q", got)
		}
		// A label written as a map is translated; one written as a string reads the same
		// in every language.
		if got := reason.Options[0].LabelFor("de"); got != "Lieferung" {
			t.Errorf("German label %q", got)
		}
		dhl := reason.Options[1]
		if dhl.Label != "DHL" || dhl.LabelIn != nil || dhl.LabelFor("de") != "DHL" || dhl.LabelFor("en") != "DHL" {
			t.Errorf("a string label: %+v", dhl)
		}
		if want := core.Lang(lang); c.Offered()[0] != string(want) || len(c.Offered()) != 2 {
			t.Errorf("offered %v", c.Offered())
		}
		// The string label is allowed, with a warning that it is not translated.
		if w := strings.Join(c.Warnings(), "\n"); !strings.Contains(w, "surveys[0].questions[1].options[1].label: one text for every language") {
			t.Errorf("warnings lack the untranslated label:\n%s", w)
		}
		if strings.Contains(strings.Join(c.Warnings(), "\n"), "questions[0].text") {
			t.Errorf("a translated text is warned about: %v", c.Warnings())
		}
	}
}

func TestOneLanguageWarnsOfNoString(t *testing.T) {
	c, err := Parse([]byte("business: {name: Shop, language: de}\nsurveys: [{name: v, trigger: v, questions: [{key: a, text: \"Wie war es?\", type: text}]}]\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range c.Warnings() {
		if strings.Contains(w, "one text for every language") {
			t.Errorf("with one language offered a string is the text: %s", w)
		}
	}
	s, _ := c.Settings()
	if p, _ := s.Plan("v"); p.Questions[0].Text != "Wie war es?" || p.Questions[0].TextIn != nil {
		t.Errorf("question %+v", p.Questions[0])
	}
}

// TestBuiltinSurveySpeaksEveryLanguage: without surveys of its own, a business offering any
// languages asks the built-in survey in each of them.
func TestBuiltinSurveySpeaksEveryLanguage(t *testing.T) {
	c, err := Parse([]byte("business: {name: Boulangerie, language: fr, languages: [fr, de, es, it, nl, pt, en]}\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.Settings()
	p, _ := s.Plan("after-delivery")
	if got := p.Questions[1].Text; got != "Comment jugez-vous notre rapidité\u00a0?" {
		t.Errorf("French business: %q", got)
	}
	if got := p.Questions[1].TextFor("nl"); got != "Hoe snel waren we?" {
		t.Errorf("Dutch: %q", got)
	}
	if w := strings.Join(c.Warnings(), "\n"); strings.Contains(w, "surveys") {
		t.Errorf("warnings about the built-in survey's texts:\n%s", w)
	}
}

func TestLanguageProblems(t *testing.T) {
	const survey = `
surveys:
  - name: v
    trigger: v
    %INTRO%
    questions:
      - {key: a, text: %TEXT%, type: choice, options: [{key: x, label: %LABEL%}, {key: y, label: Y}]}
`
	plan := func(text, label, intro string) string {
		r := strings.NewReplacer("%TEXT%", text, "%LABEL%", label, "%INTRO%", intro)
		return r.Replace(survey)
	}
	ende := "business: {name: Shop, language: en, languages: [en, de]}\n"
	long := strings.Repeat("ü", 81)
	for _, tc := range []struct{ name, yaml, want string }{
		{"unsupported business.language", "business: {name: Shop, language: xx}\n",
			`business.language: "xx": earshot speaks en, de, fr, es, it, nl, pt`},
		{"a locale is not a language", "business: {name: Shop, language: de-DE}\n",
			`business.language: "de-DE": earshot speaks`},
		{"empty business.language", "business: {name: Shop, language: \"\"}\n",
			"business.language: empty: use a language code like en"},
		{"unsupported in business.languages", "business: {name: Shop, languages: [en, zh]}\n",
			`business.languages[1]: "zh": earshot speaks en, de`},
		{"a language listed twice", "business: {name: Shop, languages: [de, en, de]}\n",
			`business.languages[2]: "de" is listed twice`},
		{"a text missing an offered language", ende + plan(`{en: "Why?"}`, "X", ""),
			`surveys[0].questions[0].text: no de: business.languages offers it, so add de: "…"`},
		{"a text missing the business's language", ende + plan(`{de: "Warum?"}`, "X", ""),
			`surveys[0].questions[0].text: no en: a text by language needs business.language's (en)`},
		{"a label missing an offered language", ende + plan(`{en: "Why?", de: "Warum?"}`, "{en: X}", ""),
			"surveys[0].questions[0].options[0].label: no de"},
		{"an intro missing an offered language", ende + plan(`{en: "Why?", de: "Warum?"}`, "X", `intro: {en: "Hi {ref}."}`),
			"surveys[0].intro: no de"},
		{"a text in a language earshot does not speak", plan(`{en: "Why?", klingon: "qatlh?"}`, "X", ""),
			`surveys[0].questions[0].text.klingon: "klingon" is not a language earshot speaks`},
		{"an empty translation", ende + plan(`{en: "Why?", de: " "}`, "X", ""),
			"surveys[0].questions[0].text.de: empty: write the text in de, or leave de out"},
		{"a translated label too long", ende + plan(`{en: "Why?", de: "Warum?"}`, "{en: X, de: "+long+"}", ""),
			"surveys[0].questions[0].options[0].label.de: 81 characters"},
		{"a translated intro on two lines", ende + plan(`{en: "Why?", de: "Warum?"}`, "{en: X, de: X}", `intro: {en: "Hi.", de: "Hallo\n\n  du."}`),
			"surveys[0].intro.de: one sentence on one line"},
		{"a text neither string nor map", plan(`["Why?"]`, "X", ""),
			"surveys[0].questions[0].text: expected a text, or a map of texts by language ({en: …, de: …}), not a list"},
		{"a text map of lists", plan(`{en: ["Why?"]}`, "X", ""),
			"surveys[0].questions[0].text.en: expected the text in en, not a list"},
		{"a text map with a key twice", plan(`{en: "Why?", en: "How?"}`, "X", ""),
			"surveys[0].questions[0].text.en: duplicate key"},
		{"a bad override key", ende + "messages: {de: {words_yess: \"ja\"}}\n",
			`messages.de.words_yess: no such message (did you mean "words_yes"?)`},
		{"an override for a language not offered", ende + "messages: {fr: {words_yes: \"oui\"}}\n",
			`messages.fr: "fr" is not an offered language (en, de)`},
		{"an override that is not a valid text", ende + "messages: {de: {words_yes: \"ja {{.\"}}\n",
			"messages.de.words_yes: not a valid text"},
		{"an override naming a value the sentence lacks", ende + "messages: {de: {day_time: \"{{.Day}} um {{.Zeit}}\"}}\n",
			"messages.de.day_time: {{.Zeit}} is not a value of this sentence (it has {{.Day}}, {{.Time}})"},
		{"forms by count for a sentence that counts nothing", ende + "messages: {de: {words_no: {one: nein, other: nee}}}\n",
			"messages.de.words_no: a sentence that counts nothing: write it as one string"},
		{"a form that is no plural form", ende + "messages: {de: {words_no: {sone: nein, other: nee}}}\n",
			"messages.de.words_no.sone: not a plural form (zero, one, two, few, many, other)"},
		{"messages not by language", "messages: [de]\n",
			"messages: expected sentences by language"},
		{"messages of a language not by key", "messages: {de: ja}\n",
			"messages.de: expected sentences by key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), noEnv)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, tc.want)
			}
			if len(Problems(err)) == 0 {
				t.Errorf("%v is not a *Error naming a path", err)
			}
		})
	}
}

// TestOverridesChangeWhatCustomersRead: a sentence of messages: replaces the catalog's in
// its language only, through the catalogs every command builds from the configuration.
func TestOverridesChangeWhatCustomersRead(t *testing.T) {
	c, err := Parse([]byte(`
business: {name: Shop, language: en, languages: [de]}
messages:
  de: {words_yes: "jo, passt", day_time: "{{.Day}} um {{.Time}} Uhr"}
`), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	texts, err := c.Texts()
	if err != nil {
		t.Fatal(err)
	}
	if got := texts.Text("de", core.KeyYesWords, nil); got != "jo, passt" {
		t.Errorf("German yes words = %q", got)
	}
	monday := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	if got := texts.DayTime("de", monday); got != "Montag um 12:00 Uhr" {
		t.Errorf("German day and time = %q", got)
	}
	if got := texts.DayTime("en", monday); got != "Monday 12:00" {
		t.Errorf("English untouched: %q", got)
	}
	if texts.Default() != "en" || !reflect.DeepEqual(texts.Offered(), []core.Lang{"en", "de"}) {
		t.Errorf("default %s, offered %v", texts.Default(), texts.Offered())
	}
}

// TestCountingOverride: a sentence that counts things takes its forms by count; written as
// one string it is refused, naming the forms the language needs.
func TestCountingOverride(t *testing.T) {
	key := countingKey(t)
	good := "business: {name: Shop, language: en, languages: [de]}\nmessages: {de: {" + key +
		": {one: \"{{.Count}} Stück\", other: \"{{.Count}} Stücke\"}}}\n"
	c, err := Parse([]byte(good), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	texts, err := c.Texts()
	if err != nil {
		t.Fatal(err)
	}
	if one, two := texts.Text("de", core.Key(key), core.Args{"Count": 1}), texts.Text("de", core.Key(key), core.Args{"Count": 2}); one != "1 Stück" || two != "2 Stücke" {
		t.Errorf("%s = %q, %q", key, one, two)
	}
	_, err = Parse([]byte(strings.Replace(good, `{one: "{{.Count}} Stück", other: "{{.Count}} Stücke"}`, `"{{.Count}} Stück"`, 1)), noEnv)
	if want := "messages.de." + key + ": counts things: write every form de uses, {one: …, other: …} (missing: one)"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a counting sentence as one string: %v", err)
	}
}

// countingKey finds a sentence of the English catalog written by count.
func countingKey(t *testing.T) string {
	files, _ := filepath.Glob("../../../../bots/i18n/catalog/en/*.yaml")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for k, v := range m {
			if forms, ok := v.(map[string]any); ok && len(forms) > 0 {
				if _, hasCount := forms["other"]; hasCount && strings.Contains(forms["other"].(string), "{{.Count}}") {
					return k
				}
			}
		}
	}
	t.Fatal("no sentence of the English catalog counts things ({{.Count}} in a plural form): the scan is broken")
	return ""
}

// TestLanguagesRoundTrip: texts by language and messages print as YAML that loads back the
// same.
func TestLanguagesRoundTrip(t *testing.T) {
	src := strings.ReplaceAll(bilingual, "%LANG%", "de") + "messages: {de: {words_yes: \"jo\"}}\n"
	c, err := Parse([]byte(src), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse([]byte(c.String()), noEnv)
	if err != nil {
		t.Fatalf("%v\n%s", err, c.String())
	}
	a, b := c.Surveys[0], again.Surveys[0]
	if !a.Intro.Equal(b.Intro) || !a.Questions[0].Text.Equal(b.Questions[0].Text) ||
		!a.Questions[1].Options[1].Label.Equal(b.Questions[1].Options[1].Label) {
		t.Errorf("texts differ after a round trip:\n%+v\n%+v", a, b)
	}
	if !reflect.DeepEqual(c.Messages, again.Messages) || !reflect.DeepEqual(c.Business.Languages, again.Business.Languages) {
		t.Errorf("messages %v / %v, languages %v / %v", c.Messages, again.Messages, c.Business.Languages, again.Business.Languages)
	}
}
