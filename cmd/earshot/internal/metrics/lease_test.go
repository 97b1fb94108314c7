package metrics

import "testing"

func TestLeaseHeld(t *testing.T) {
	m := New()
	expect(t, scrape(t, m), nil, []string{`earshot_lease_held{`})
	m.Lease("adapter:telegram", true)
	m.Lease("adapter:discord", false)
	expect(t, scrape(t, m), []string{`earshot_lease_held{name="adapter:telegram"} 1`, `earshot_lease_held{name="adapter:discord"} 0`}, nil)
	m.Lease("adapter:telegram", false)
	expect(t, scrape(t, m), []string{`earshot_lease_held{name="adapter:telegram"} 0`}, []string{`earshot_lease_held{name="adapter:telegram"} 1`})
}
