package config

import (
	"strings"
	"testing"
)

// TestMemberLanguage: a member's language: reaches core.Member; one the business does not
// offer is a problem naming the member and the languages offered.
func TestMemberLanguage(t *testing.T) {
	c, err := Parse([]byte("business: {language: de}\nteam: {members: [{name: Sam, role: owner, accounts: [slack:U1], language: DE}, "+
		"{name: Lee, role: member, accounts: [slack:U2]}]}\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	set, err := c.Settings()
	if err != nil {
		t.Fatal(err)
	}
	if got := set.Team.Members; got[0].Language != "de" || got[1].Language != "" {
		t.Fatalf("members = %+v", got)
	}
	c, err = Parse([]byte("business: {language: en, languages: [de]}\n"+
		"team: {members: [{name: Sam, role: owner, accounts: [slack:U1], language: de}]}\n"), noEnv)
	if err != nil {
		t.Fatalf("a language of business.languages: %v", err)
	}
	_, err = Parse([]byte("team: {members: [{name: Sam, role: owner, accounts: [slack:U1], language: fr}]}\n"), noEnv)
	if err == nil || !strings.Contains(err.Error(), `team.members[0].language: "fr" is not offered: use one of en`) {
		t.Fatalf("a language not offered: %v", err)
	}
}
