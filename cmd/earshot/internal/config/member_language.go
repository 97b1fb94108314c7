package config

import (
	"fmt"
	"slices"
	"strings"

	"earshot/core"
)

// A member's or owner's own language (team.members[].language): what earshot writes to them
// alone — their DMs, their replies, the owners' page — while the team's channel stays in
// business.language.

// memberLanguage is a member's language: as written, lower-case; "" for the business's.
func memberLanguage(m Member) core.Lang {
	return core.Lang(strings.ToLower(strings.TrimSpace(m.Language)))
}

// memberLanguagesOffered lists the languages a member may read: those the business offers.
func (c *Config) memberLanguagesOffered() []string {
	offered := []string{strings.ToLower(strings.TrimSpace(c.Business.Language))}
	for _, l := range c.Business.Languages {
		if l = strings.ToLower(strings.TrimSpace(l)); !slices.Contains(offered, l) {
			offered = append(offered, l)
		}
	}
	return offered
}

// validateMemberLanguages checks that each member's language is one the business offers.
func (c *Config) validateMemberLanguages(p *problems) {
	offered := c.memberLanguagesOffered()
	for i, m := range c.Team.Members {
		l := memberLanguage(m)
		if l == "" || slices.Contains(offered, string(l)) {
			continue
		}
		p.add(fmt.Sprintf("team.members[%d].language", i), "%q is not offered: use one of %s (business.language, "+
			"business.languages)", m.Language, strings.Join(offered, ", "))
	}
}
