package slack

import (
	"testing"

	"earshot/core/coretest/golden"
)

// The committed manifest is the generated one: a command added to core's table reaches
// Slack's usage hint by go test ./bots/slack -update, and this test fails until then.
func TestManifestIsGenerated(t *testing.T) {
	golden.Check(t, "manifest.yaml", Manifest())
}
