package slack

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"earshot/core/coretest"
	"earshot/core/coretest/golden"
)

// The committed manifest is the generated one: a command added to core's table reaches
// Slack's usage hint by go test ./bots/slack -update, and this test fails until then.
func TestManifestIsGenerated(t *testing.T) {
	golden.Check(t, "manifest.yaml", Manifest(coretest.Texts(t)))
}

// A German business gets its manifest in German (Slack has one language per app), and it
// stays valid YAML whatever the words.
func TestManifestInTheBusinessLanguage(t *testing.T) {
	var m struct {
		Display struct {
			Description string `yaml:"description"`
		} `yaml:"display_information"`
		Features struct {
			Commands []struct {
				Command, Description string
				Hint                 string `yaml:"usage_hint"`
			} `yaml:"slash_commands"`
		} `yaml:"features"`
	}
	if err := yaml.Unmarshal(Manifest(coretest.Texts(t, "de", "en")), &m); err != nil {
		t.Fatal(err)
	}
	if m.Display.Description != "Fragt Kunden, wie es war, nimmt ihre Beschwerden auf und hält das Team am Ball." {
		t.Errorf("app description: %q", m.Display.Description)
	}
	if len(m.Features.Commands) != 1 || m.Features.Commands[0].Description != "Befehle für Team und Inhaber" ||
		!strings.HasPrefix(m.Features.Commands[0].Hint, "complaints [open|acknowledged|resolved|all] | ack C-12") {
		t.Errorf("slash command: %+v", m.Features.Commands)
	}
}
