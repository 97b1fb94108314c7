package config

import (
	"strings"
	"testing"
)

func TestSurveyIntro(t *testing.T) {
	base := `
business: {name: Acme, timezone: Europe/Berlin}
surveys:
  - name: visit
    trigger: visit
    intro: %s
    questions:
      - {key: mood, text: "How was it?", type: scale, min: 1, max: 5}
`
	c, err := Parse([]byte(strings.Replace(base, "%s", `"Thanks for dropping by our {ref} shop."`, 1)), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Settings()
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Plan("visit"); p.Intro != "Thanks for dropping by our {ref} shop." {
		t.Fatalf("plan intro = %q", p.Intro)
	}
	_, err = Parse([]byte(strings.Replace(base, "%s", `"`+strings.Repeat("a", 201)+`"`, 1)), noEnv)
	if err == nil || !strings.Contains(err.Error(), "surveys[0].intro") {
		t.Fatalf("a 201-character intro: %v; want an error naming surveys[0].intro", err)
	}
}
