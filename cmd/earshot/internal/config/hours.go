package config

import (
	"fmt"
	"strings"
	"time"

	"earshot/core"
)

// validateHours parses business.hours and business.holidays once, in the business time
// zone, and checks complaints.clock.
func (c *Config) validateHours(p *problems) {
	c.hours = nil
	switch c.Complaints.Clock {
	case "", string(core.ClockCalendar), string(core.ClockBusiness):
	default:
		p.add("complaints.clock", "%q: use calendar (every hour counts) or business (only business.hours)", c.Complaints.Clock)
	}
	bad := false
	for i, day := range c.Business.Holidays {
		if _, err := time.Parse(time.DateOnly, strings.TrimSpace(day)); err != nil {
			p.add(fmt.Sprintf("business.holidays[%d]", i), "%q is not a date like 2026-12-24", day)
			bad = true
		}
	}
	if strings.TrimSpace(c.Business.Hours) == "" {
		if len(c.Business.Holidays) > 0 {
			p.add("business.holidays", "holidays without business.hours: set the opening hours too")
		}
		return
	}
	if c.loc == nil || bad {
		return // the zone or a holiday was refused already
	}
	holidays := make([]string, len(c.Business.Holidays))
	for i, d := range c.Business.Holidays {
		holidays[i] = strings.TrimSpace(d)
	}
	h, err := core.ParseBusinessHours(c.Business.Hours, holidays, c.loc)
	if err != nil {
		p.add("business.hours", "%v", err)
		return
	}
	c.hours = h
}
