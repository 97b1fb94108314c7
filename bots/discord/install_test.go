package discord

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestInstallURLMatchesReadme(t *testing.T) {
	if Permissions != 309237730304 {
		t.Errorf("Permissions = %d; update README.md when they change", Permissions)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "permissions="+strconv.FormatInt(Permissions, 10)) {
		t.Error("README.md's invite URL does not carry the permissions the bot needs")
	}
	want := "https://discord.com/oauth2/authorize?client_id=123&permissions=309237730304&scope=bot+applications.commands"
	if got := InstallURL("123"); got != want {
		t.Errorf("InstallURL = %s\nwant %s", got, want)
	}
}
