package slack

import (
	"encoding/json"
	"fmt"
	"strings"

	"earshot/core"
)

// Manifest returns the Slack app manifest (manifest.yaml beside this file), with the
// /earshot usage hint derived from core's command table and the descriptions in the
// business's language (t.Default()): Slack has no localized slash commands or app texts.
// TestManifestIsGenerated fails when the committed (English) file differs, and go test
// -update rewrites it.
func Manifest(t core.Texts) []byte {
	lang := t.Default()
	return []byte(fmt.Sprintf(manifestTemplate, quote(t.Text(lang, keyAppDescription, nil)),
		quote(t.Text(lang, keyCommandDescription, nil)), quote(usageHint())))
}

// quote writes s as a YAML double-quoted scalar (JSON's string syntax is one).
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// usageHint lists what follows /earshot: the team's and owners' commands and help, as they
// are typed ("ack C-12", "resolve C-12 [note]").
func usageHint() string {
	var hints []string
	for _, c := range core.CommandsFor(core.AudienceTeam, core.AudienceOwner) {
		hints = append(hints, strings.TrimPrefix(c.Usage(), "/"))
	}
	if help, ok := core.LookupCommand("help"); ok {
		hints = append(hints, help.Name)
	}
	return strings.Join(hints, " | ")
}

const manifestTemplate = `# Generated from core's command table by bots/slack (go test ./bots/slack -update); do not edit.
# Slack app manifest for earshot (https://api.slack.com/reference/manifests).
# Create the app from it: https://api.slack.com/apps → Create New App → From an app manifest.
# Socket Mode is on, so earshot needs no public URL. For HTTP mode see README.md.
display_information:
  name: earshot
  description: %s
  background_color: "#2c3e50"
features:
  app_home:
    home_tab_enabled: false
    messages_tab_enabled: true            # customers and owners talk to earshot in its DM
    messages_tab_read_only_enabled: false
  bot_user:
    display_name: earshot
    always_online: true
  slash_commands:
    - command: /earshot
      description: %s
      usage_hint: %s
      should_escape: false
oauth_config:
  scopes:
    bot:
      - chat:write          # post surveys, cards, replies; update them; ephemeral refusals
      - im:write            # conversations.open: DM customers and owners
      - im:history          # message.im: what customers type in the DM
      - users:read          # users.info: name, time zone and locale of a person
      - files:write         # the weekly digest's chart: files.getUploadURLExternal, completeUploadExternal
      - channels:history    # message.channels: replies in a card's thread (public team channel)
      - groups:history      # message.groups: the same when the team channel is private
      - commands            # /earshot
settings:
  event_subscriptions:
    bot_events:
      - message.im
      - message.channels
      - message.groups
  interactivity:
    is_enabled: true        # buttons and the resolution-note modal
  org_deploy_enabled: false
  socket_mode_enabled: true
  token_rotation_enabled: false
`
