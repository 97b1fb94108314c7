package discord

import "earshot/core"

var _ core.InviteNoter = (*Bot)(nil)

// inviteNote is what a customer needs before a Discord invite can work: Discord lets a bot
// exchange DMs only with people who share a server with it (and allow DMs from its members).
const inviteNote = "the customer must share a server with the bot (your community server, say) and allow direct messages from its members"

// InviteNote says what a customer needs before an invite can work here (core.InviteNoter).
func (b *Bot) InviteNote() string { return inviteNote }
