package core_test

import (
	"strings"
	"testing"
)

// TestTeamHelpSaysTheNoteGoesToTheCustomer: a team member reading /help learns that the
// resolve note is sent to the customer before writing one.
func TestTeamHelpSaysTheNoteGoesToTheCustomer(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("lee", "/help")
	text := e.last("lee")
	if !strings.Contains(text, "/resolve C-12 [note]") || !strings.Contains(text, "the note goes to the customer") {
		t.Fatalf("team help = %q", text)
	}
}
