package telegram

import (
	"strings"
	"testing"

	"earshot/bots/telegram/faketelegram"
)

// TestEndToEndDashboardCommand: an owner who sends /dashboard to the bot in private gets
// the private link in that chat; in the team group nobody gets it; a customer is refused.
func TestEndToEndDashboardCommand(t *testing.T) {
	e := newE2E(t, false)
	e.say(faketelegram.Post{From: lee, Text: "/dashboard"})
	m := e.await(lee.ID, "https://bot.acme.example/dashboard/login?token=")
	if !strings.Contains(m.Text, "Your owners' page") {
		t.Fatalf("owner's reply: %q", m.Text)
	}

	e.say(faketelegram.Post{From: lee, ChatID: team, Text: "/dashboard@earshot_test_bot"})
	g := e.await(team, "in a private chat")
	if strings.Contains(g.Text, "token=") {
		t.Fatalf("the link was shown in the group: %q", g.Text)
	}

	e.say(faketelegram.Post{From: dana, Text: "/dashboard"})
	r := e.await(dana.ID, "Only owners can use /dashboard.")
	if strings.Contains(r.Text, "token=") {
		t.Fatalf("a customer got a link: %q", r.Text)
	}
}
