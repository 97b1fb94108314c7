package slack

// InviteNote is what a customer needs before a Slack invite can work: a Slack app talks only
// to people in the workspaces it is installed in. `earshot invite` and the API show it with
// the Slack link.
const InviteNote = "the customer must be a member (or guest) of your Slack workspace: a Slack app cannot reach anyone outside it"
