package slack

import "earshot/core"

var _ core.InviteNoter = (*Bot)(nil)

// inviteNote is what a customer needs before a Slack invite can work: a Slack app talks only
// to people in the workspaces it is installed in.
const inviteNote = "the customer must be a member (or guest) of your Slack workspace: a Slack app cannot reach anyone outside it"

// InviteNote says what a customer needs before an invite can work here (core.InviteNoter).
func (b *Bot) InviteNote() string { return inviteNote }
