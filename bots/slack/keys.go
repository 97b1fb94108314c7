package slack

import "earshot/core"

// Slack's own words (bots/i18n catalogs, adapters.yaml; the words all adapters say are in
// bots/internal/kit).
const (
	// keyShortened replaces the middle of an edited message too long for one Slack message.
	keyShortened core.Key = "slack_shortened"
	// keyAppDescription and keyCommandDescription are the manifest's, in the business's
	// language: Slack has no localized slash commands.
	keyAppDescription     core.Key = "slack_app_description"
	keyCommandDescription core.Key = "slack_command_description"
	// keyInviteApp and keyInviteLink tell a customer how to open an invite (Token), without
	// and with the link to the app's DM (URL).
	keyInviteApp  core.Key = "slack_invite_app"
	keyInviteLink core.Key = "slack_invite_link"
)
