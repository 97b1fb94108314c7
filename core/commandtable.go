package core

import "strings"

// Audience is who may use a command.
type Audience string

// Audiences. A team command needs a configured member; an owner command an owner; anyone
// may use a customer command (help included).
const (
	AudienceCustomer Audience = "customer"
	AudienceTeam     Audience = "team"
	AudienceOwner    Audience = "owner"
)

// CommandArg is one argument of a command.
type CommandArg struct {
	Name     string // one lower-case word: Discord's option name, shown in usage
	Required bool
	Example  string // what a value looks like ("C-12"), shown in usage; empty: <Name>
	Key      Key    // description key (keys_commands.go)
}

// CommandSpec is one command as every surface shows it. The table Commands is the only
// list: ParseCommand, /help, Telegram's command menus, Discord's application commands and
// Slack's manifest all come from it, so adding a command means adding a row here and its
// handler in core.
type CommandSpec struct {
	Name     string // the word after the slash, lower case
	Audience Audience
	Args     []CommandArg
	Key      Key // description key (keys_commands.go), rendered by Texts in each language
}

// TakesArgs reports whether the command takes any argument.
func (c CommandSpec) TakesArgs() bool { return len(c.Args) > 0 }

// Usage writes the command with its arguments: "/resolve C-12 [note]".
func (c CommandSpec) Usage() string {
	parts := []string{"/" + c.Name}
	for _, a := range c.Args {
		v := a.Example
		if v == "" {
			v = a.Name
		}
		if !a.Required {
			v = "[" + v + "]"
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, " ")
}

var commandTable = []CommandSpec{
	{Name: "start", Audience: AudienceCustomer, Key: KeyCmdStart,
		Args: []CommandArg{{Name: "token", Key: KeyArgToken}}},
	{Name: "complain", Audience: AudienceCustomer, Key: KeyCmdComplain,
		Args: []CommandArg{{Name: "text", Key: KeyArgComplaintText}}},
	{Name: "status", Audience: AudienceCustomer, Key: KeyCmdStatus},
	{Name: "stop", Audience: AudienceCustomer, Key: KeyCmdStop},
	{Name: "resume", Audience: AudienceCustomer, Key: KeyCmdResume},
	{Name: "forget", Audience: AudienceCustomer, Key: KeyCmdForget},
	{Name: "help", Audience: AudienceCustomer, Key: KeyCmdHelp},
	{Name: "language", Audience: AudienceCustomer, Key: KeyCmdLanguage,
		Args: []CommandArg{{Name: "language", Example: "de", Key: KeyArgLanguage}}},

	{Name: "complaints", Audience: AudienceTeam, Key: KeyCmdComplaints,
		Args: []CommandArg{{Name: "status", Example: "open|acknowledged|resolved|all", Key: KeyArgStatus}}},
	{Name: "ack", Audience: AudienceTeam, Key: KeyCmdAck,
		Args: []CommandArg{{Name: "ref", Required: true, Example: "C-12", Key: KeyArgRef}}},
	{Name: "reply", Audience: AudienceTeam, Key: KeyCmdReply,
		Args: []CommandArg{{Name: "ref", Required: true, Example: "C-12", Key: KeyArgRef},
			{Name: "text", Required: true, Key: KeyArgReplyText}}},
	{Name: "wait", Audience: AudienceTeam, Key: KeyCmdWait,
		Args: []CommandArg{{Name: "ref", Required: true, Example: "C-12", Key: KeyArgRef},
			{Name: "question", Key: KeyArgQuestion}}},
	{Name: "resolve", Audience: AudienceTeam, Key: KeyCmdResolve,
		Args: []CommandArg{{Name: "ref", Required: true, Example: "C-12", Key: KeyArgRef},
			{Name: "note", Key: KeyArgNote}}},

	{Name: "digest", Audience: AudienceOwner, Key: KeyCmdDigest},
	{Name: "scores", Audience: AudienceOwner, Key: KeyCmdScores},
	{Name: "dashboard", Audience: AudienceOwner, Key: KeyCmdDashboard},
}

// Commands returns the command table, customers' first, then the team's, then the owners'.
// The caller may not change it.
func Commands() []CommandSpec { return commandTable }

// CommandsFor returns the commands of the given audiences, in table order.
func CommandsFor(audiences ...Audience) []CommandSpec {
	var out []CommandSpec
	for _, c := range commandTable {
		for _, a := range audiences {
			if c.Audience == a {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// LookupCommand returns the command named name (lower case).
func LookupCommand(name string) (CommandSpec, bool) {
	for _, c := range commandTable {
		if c.Name == name {
			return c, true
		}
	}
	return CommandSpec{}, false
}
