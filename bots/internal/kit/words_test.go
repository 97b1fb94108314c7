package kit

import (
	"errors"
	"fmt"
	"testing"

	"earshot/core"
	"earshot/core/coretest"
)

// The adapter's own words go to a person in their platform's language in a direct chat
// (when offered), in the business's language in a shared one, else in the business's.
func TestLang(t *testing.T) {
	texts := coretest.Texts(t, "en", "de", "pt")
	for _, tc := range []struct {
		direct bool
		locale string
		want   core.Lang
	}{
		{true, "de-AT", "de"}, {true, "pt-BR", "pt"}, {true, "zh", "en"}, {true, "", "en"},
		{false, "de", "en"}, {false, "pt-BR", "en"},
	} {
		if got := Lang(texts, core.Incoming{Direct: tc.direct, Locale: tc.locale}); got != tc.want {
			t.Errorf("direct %v, locale %q: %s, want %s", tc.direct, tc.locale, got, tc.want)
		}
	}
	if got := LangOf(coretest.Texts(t, "de", "en"), false, "en-US"); got != "de" {
		t.Errorf("the team channel of a German business: %s", got)
	}
}

// A coded refusal keeps core's words; an internal failure, even one core coded as internal,
// becomes the polite line in the person's language, never its detail.
func TestRefusal(t *testing.T) {
	texts := coretest.Texts(t, "en", "de")
	for _, tc := range []struct {
		err  error
		lang core.Lang
		want string
	}{
		{nil, "de", ""},
		{core.Errorf(core.EFORBIDDEN, "Nur Inhaber können /digest verwenden."), "en", "Nur Inhaber können /digest verwenden."},
		{fmt.Errorf("kit: wrapped: %w", core.Errorf(core.ENOTFOUND, "There is no complaint C-9.")), "de", "There is no complaint C-9."},
		{errors.New("storage: disk I/O error at /var/lib/earshot.db"), "de", "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es gleich noch einmal."},
		{core.Errorf(core.EINTERNAL, "starting up"), "en", "Something went wrong on our side. Please try again in a moment."},
	} {
		if got := Refusal(texts, tc.lang, tc.err); got != tc.want {
			t.Errorf("Refusal(%v, %s) = %q, want %q", tc.err, tc.lang, got, tc.want)
		}
	}
}

// Menu offers every language, the business's first, and describes core's keys in each.
func TestMenu(t *testing.T) {
	langs, describe := Menu(coretest.Texts(t, "de", "en", "fr"))
	if fmt.Sprint(langs) != "[de en fr]" {
		t.Errorf("langs %v", langs)
	}
	if got := describe("fr", string(core.KeyCmdHelp)); got != "ce que je sais faire" {
		t.Errorf("French /help: %q", got)
	}
}
