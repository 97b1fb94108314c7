package config

import (
	"strings"
	"testing"
	"time"

	"earshot/core"
)

const goodSecret = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

func TestWebhooksAndRetention(t *testing.T) {
	env := envOf(map[string]string{"HOOK_SECRET": goodSecret})
	c, err := Parse([]byte(`
webhooks:
  - {url: "https://crm.example.com/hooks/earshot", secret: "${HOOK_SECRET}", events: [complaint.opened, survey.completed]}
  - {name: sheet, url: "http://10.0.0.7:8080/in", secret: "${HOOK_SECRET}", allow_private: true}
retention: {customers: 730d}
`), env)
	if err != nil {
		t.Fatal(err)
	}
	set, err := c.Settings()
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Webhooks) != 2 || set.Webhooks[0].Name != "crm.example.com/hooks/earshot" || set.Webhooks[1].Name != "sheet" {
		t.Fatalf("webhooks = %+v", set.Webhooks)
	}
	if !set.Webhooks[0].Wants(core.EventComplaintOpened) || set.Webhooks[0].Wants(core.EventDigestSent) || !set.Webhooks[1].Wants(core.EventDigestSent) {
		t.Errorf("event filters wrong: %+v", set.Webhooks)
	}
	if set.RetainCustomers != 730*24*time.Hour {
		t.Errorf("retention = %v", set.RetainCustomers)
	}
	eps := c.WebhookEndpoints()
	if len(eps) != 2 || eps[1].URL != "http://10.0.0.7:8080/in" || !eps[1].AllowPrivate || eps[0].Secret != goodSecret {
		t.Errorf("endpoints = %+v", eps)
	}
	if strings.Contains(c.String(), goodSecret) || !slicesHave(c.Secrets(), goodSecret) {
		t.Errorf("the webhook secret is not treated as a secret")
	}
	if c.Redacted(); c.Webhooks[0].Secret != goodSecret {
		t.Error("Redacted changed the original's secret")
	}
}

func slicesHave(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestWebhookErrorsNameTheKey(t *testing.T) {
	env := envOf(map[string]string{"BAD": "whsec_c2hvcnQ=", "PLAIN": "supersecretvalue123"})
	for _, tc := range []struct{ yaml, want string }{
		{`webhooks: [{url: "ftp://x.example", secret: "` + goodSecret + `"}]`, "webhooks[0].url"},
		{`webhooks: [{url: "https://x.example"}]`, "webhooks[0].secret: required"},
		{`webhooks: [{url: "https://x.example", secret: "${BAD}"}]`, "webhooks[0].secret: the secret holds 5 bytes"},
		{`webhooks: [{url: "https://x.example", secret: "${PLAIN}"}]`, "webhooks[0].secret: the secret must look like whsec_"},
		{`webhooks: [{url: "https://x.example", secret: "` + goodSecret + `", events: [complaint.opend]}]`, `webhooks[0].events[0]: "complaint.opend" is not an event`},
		{`webhooks: [{url: "https://x.example/a", secret: "` + goodSecret + `"}, {url: "https://x.example/a", secret: "` + goodSecret + `"}]`, "webhooks[1].name"},
		{`retention: {customers: 2h}`, "retention.customers: 2h"},
	} {
		_, err := Parse([]byte(tc.yaml), env)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s\n  err = %v\n  want it to contain %q", tc.yaml, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "supersecretvalue123") {
			t.Errorf("the error shows the secret: %v", err)
		}
	}
}
