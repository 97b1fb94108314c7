package core_test

import (
	"strings"
	"testing"

	"earshot/core"
)

// TestDashboardCommandFromChat: /dashboard from the command table. An owner who DMs it gets a
// private link that opens the page once; in the team channel the link is not shown; a
// member and a customer are refused politely; without http.public_url the owner is told how
// to set it.
func TestDashboardCommandFromChat(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) { s.PublicURL = "https://bot.example.com" })
	e.dm("sam", "/dashboard")
	e.wantLast("sam", "Your owners' page")
	text := e.last("sam")
	i := strings.Index(text, "https://bot.example.com/dashboard/login?token=")
	if i < 0 {
		t.Fatalf("owner's reply = %q", text)
	}
	link, _, _ := strings.Cut(text[i:], "\n")
	token := strings.TrimPrefix(link, "https://bot.example.com/dashboard/login?token=")
	if _, err := e.svc.OpenDashboard(e.ctx, token); err != nil {
		t.Fatalf("the link from /dashboard: %v", err)
	}
	if _, err := e.svc.OpenDashboard(e.ctx, token); core.ErrorCode(err) != core.ECONFLICT {
		t.Fatalf("the link used twice: %v", err)
	}

	e.inTeam("sam", "/dashboard")
	if got := e.last("team"); !strings.Contains(got, "private chat") || strings.Contains(got, "token=") {
		t.Fatalf("in the team channel: %q", got)
	}
	e.dm("lee", "/dashboard")
	e.wantLast("lee", "Only owners can use /dashboard.")
	e.dm("maria", "/dashboard")
	e.wantLast("maria", "Only owners can use /dashboard.")
	if strings.Contains(e.last("lee")+e.last("maria"), "token=") {
		t.Fatal("a non-owner got a link")
	}

	bare := newEnv(t, nil)
	bare.dm("sam", "/dashboard")
	bare.wantLast("sam", "Set http.public_url in the configuration")
}

// TestDashboardInHelp: owners see /dashboard in /help; members do not.
func TestDashboardInHelp(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("sam", "/help")
	e.wantLast("sam", "/dashboard")
	e.dm("lee", "/help")
	if strings.Contains(e.last("lee"), "/dashboard") {
		t.Fatalf("a member's help: %q", e.last("lee"))
	}
}
