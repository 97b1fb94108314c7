package discord

import "earshot/core"

// keyThreadName names a complaint card's thread when the card's title is not known (bots/i18n
// catalogs, adapters.yaml; the words all adapters say are in bots/internal/kit).
const keyThreadName core.Key = "discord_thread_name"
