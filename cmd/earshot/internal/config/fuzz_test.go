package config

import (
	"os"
	"testing"
)

// FuzzParse checks that no file makes Parse panic, and that whatever Parse accepts is valid
// and converts to core settings.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile(examplePath); err == nil {
		f.Add(string(data))
	}
	for _, s := range []string{
		"", "- a\n", "business: [\n", "throttle: ${X}\n", "a: &x [*x]\n",
		"surveys:\n- {name: s, trigger: t, questions: [{key: k, text: q, type: scale, min: 0, max: 10}]}\n",
		"q: &q {type: scale}\nsurveys: [{<<: *q}]\n",
		"business: {languages: [de]}\nmessages: {de: {day_time: \"{{.Day}}\", words_no: {one: a, other: b}}}\n",
		"surveys: [{name: s, trigger: t, intro: {en: x}, questions: [{key: k, text: &t {en: a, de: b}, type: text}, {key: l, text: *t, type: choice, options: [{key: a, label: {en: A}}]}]}]\n", "business: {<<: [*a]}\n", "team: {members: [{accounts: [slack:U1, slack:U1]}]}\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		c, err := Parse([]byte(data), noEnv)
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse accepted an invalid config: %v", err)
		}
		if _, err := c.Settings(); err != nil {
			t.Fatalf("Settings: %v", err)
		}
		_ = c.String()
	})
}
