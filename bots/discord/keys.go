package discord

import "earshot/core"

// Discord's own words (bots/i18n catalogs, adapters.yaml; the words all adapters say are in
// bots/internal/kit).
const (
	// keyThreadName names a complaint card's thread when the card's title is not known.
	keyThreadName core.Key = "discord_thread_name"
	// keyInviteDM and keyInviteProfile tell a customer how to open an invite (Token), without
	// and with the link to the bot's profile (URL).
	keyInviteDM      core.Key = "discord_invite_dm"
	keyInviteProfile core.Key = "discord_invite_profile"
)
