package dashboard

import (
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"earshot/bots/i18n"
	"earshot/core/coretest"
)

// TestGermanOwnerSeesTheirPageInGerman: an owner whose language: is de, of an English
// business, reads the owners' page in German — words, durations, decimals, the chart's
// description; the sign-in page before them stays in the business's English.
func TestGermanOwnerSeesTheirPageInGerman(t *testing.T) {
	set := settings()
	set.Team.Members[0].Language = "de" // Dana
	e := newEnvWith(t, coretest.Texts(t, "en", "de"), set)
	c := e.client()
	link := e.link(owner)
	if resp, body := e.get(c, link); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Open the owners' page") {
		t.Fatalf("the link: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := e.post(c, "/dashboard/login", url.Values{"token": {tokenOf(t, link)}}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", resp.StatusCode)
	}
	resp, body := e.get(c, "/dashboard")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("page: %d\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{
		`<html lang="de">`, "<h1>Woche 2026-W48</h1>", "Angemeldet als Dana", `<dd id="response-rate">100 %</dd>`,
		`<dd id="resolve-met">0 von 0</dd>`, "Standards: 12 Stunden bis zur Bestätigung, 2 Tage bis zur Lösung.",
		`aria-label="Courtesy, Wochendurchschnitt über 12 Wochen`, "<em>noch niemand</em>", "Alle Pläne",
		"Bestätigung überfällig", "<td>bestätigt</td>", "Diese Antworten herunterladen (CSV)",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("German page lacks %s", want)
		}
	}
	if m := regexp.MustCompile(`<span class="latest">[0-9]+\.[0-9]`).FindString(body); m != "" {
		t.Errorf("a decimal point on the German page: %s", m)
	}
	for _, english := range []string{"Signed in as", "Surveys</h2>", "nobody yet", "acknowledgement overdue"} {
		if strings.Contains(body, english) {
			t.Errorf("English on the German page: %s", english)
		}
	}
}

// TestTemplatesSayCatalogKeys: every {{t … "key"}} in the templates is a catalog key.
func TestTemplatesSayCatalogKeys(t *testing.T) {
	keys := map[string]bool{}
	for _, k := range i18n.Keys() {
		keys[k] = true
	}
	re := regexp.MustCompile(`\{\{t [$.A-Za-z]+ "([a-z_]+)"`)
	n := 0
	for _, name := range []string{"templates/layout.html", "templates/page.html"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			n++
			if !keys[m[1]] {
				t.Errorf("%s says %q, which no catalog has", name, m[1])
			}
		}
	}
	if n < 40 {
		t.Fatalf("found %d keys in the templates: the pattern is broken", n)
	}
}
