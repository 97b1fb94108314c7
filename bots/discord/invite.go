package discord

// InviteNote is what a customer needs before a Discord invite can work: Discord lets a bot
// exchange DMs only with people who share a server with it (and allow DMs from its members).
// `earshot invite` and the API show it with the Discord link.
const InviteNote = "the customer must share a server with the bot (your community server, say) and allow direct messages from its members"
