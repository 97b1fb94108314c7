package config

import (
	"fmt"
	"net/url"
	"strings"

	"earshot/bots/webhook"
	"earshot/core"
)

// Webhook is one of the business's endpoints for events (webhooks: in the file).
type Webhook struct {
	// Name identifies the endpoint; events waiting in the outbox are addressed to it, so it
	// should not change while they wait. Empty: the URL's host and path.
	Name string `yaml:"name"`
	URL  string `yaml:"url"`
	// Secret signs each delivery (Standard Webhooks: whsec_ and base64); from ${VAR}.
	Secret string `yaml:"secret"`
	// Events the endpoint receives; empty: all of them.
	Events []string `yaml:"events"`
	// AllowPrivate lets the URL resolve to a loopback, link-local or private address.
	AllowPrivate bool `yaml:"allow_private"`
}

// Retention says how long personal data is kept.
type Retention struct {
	// Customers erases a customer, as /forget does, after this long without activity
	// (no message from them, no touchpoint); 0 or absent: kept until erased.
	Customers Duration `yaml:"customers"`
}

// name is the endpoint's name, or its URL's host and path.
func (w Webhook) name() string {
	if w.Name != "" {
		return w.Name
	}
	u, err := url.Parse(w.URL)
	if err != nil {
		return w.URL
	}
	return u.Host + strings.TrimSuffix(u.Path, "/")
}

func (c *Config) validateWebhooks(p *problems) {
	seen := map[string]string{}
	for i, w := range c.Webhooks {
		at := fmt.Sprintf("webhooks[%d]", i)
		if err := webhook.CheckURL(w.URL); err != nil {
			p.add(at+".url", "%v", err)
		}
		if w.Secret == "" {
			p.add(at+".secret", "required: a signing secret (whsec_…), from the environment: ${EARSHOT_WEBHOOK_SECRET}")
		} else if err := webhook.CheckSecret(w.Secret); err != nil {
			p.add(at+".secret", "%v", err)
		}
		if prev, dup := seen[w.name()]; dup {
			p.add(at+".name", "%q is also the name of %s: give each endpoint its own name:", w.name(), prev)
		}
		seen[w.name()] = at
		for j, e := range w.Events {
			if !core.EventType(e).Known() {
				p.add(fmt.Sprintf("%s.events[%d]", at, j), "%q is not an event (want one of %s)", e, eventList())
			}
		}
	}
	if c.Retention.Customers < 0 {
		p.add("retention.customers", "must not be negative")
	} else if d := c.Retention.Customers.Std(); d > 0 && d < 24*60*60*1e9 {
		p.add("retention.customers", "%s is less than a day: customers would be erased while they talk to you", c.Retention.Customers)
	}
}

func eventList() string {
	s := make([]string, len(core.EventTypes))
	for i, e := range core.EventTypes {
		s[i] = string(e)
	}
	return strings.Join(s, ", ")
}

// webhookSubs is the endpoints as core sees them.
func (c *Config) webhookSubs() []core.WebhookSub {
	var out []core.WebhookSub
	for _, w := range c.Webhooks {
		sub := core.WebhookSub{Name: w.name()}
		for _, e := range w.Events {
			sub.Events = append(sub.Events, core.EventType(e))
		}
		out = append(out, sub)
	}
	return out
}

// WebhookEndpoints is the endpoints as the webhook sender needs them.
func (c *Config) WebhookEndpoints() []webhook.Endpoint {
	var out []webhook.Endpoint
	for _, w := range c.Webhooks {
		out = append(out, webhook.Endpoint{Name: w.name(), URL: w.URL, Secret: w.Secret, AllowPrivate: w.AllowPrivate})
	}
	return out
}
