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
	Key      string // description key
}

// CommandSpec is one command as every surface shows it. The table Commands is the only
// list: ParseCommand, /help, Telegram's command menus, Discord's application commands and
// Slack's manifest all come from it, so adding a command means adding a row here and its
// handler in core.
type CommandSpec struct {
	Name     string // the word after the slash, lower case
	Audience Audience
	Args     []CommandArg
	Key      string // description key: CommandText(Key) in English, later in each language
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
	{Name: "start", Audience: AudienceCustomer, Key: "cmd.start",
		Args: []CommandArg{{Name: "token", Key: "arg.token"}}},
	{Name: "complain", Audience: AudienceCustomer, Key: "cmd.complain",
		Args: []CommandArg{{Name: "text", Key: "arg.complaint_text"}}},
	{Name: "status", Audience: AudienceCustomer, Key: "cmd.status"},
	{Name: "stop", Audience: AudienceCustomer, Key: "cmd.stop"},
	{Name: "resume", Audience: AudienceCustomer, Key: "cmd.resume"},
	{Name: "forget", Audience: AudienceCustomer, Key: "cmd.forget"},
	{Name: "help", Audience: AudienceCustomer, Key: "cmd.help"},

	{Name: "complaints", Audience: AudienceTeam, Key: "cmd.complaints",
		Args: []CommandArg{{Name: "status", Example: "open|acknowledged|resolved|all", Key: "arg.status"}}},
	{Name: "ack", Audience: AudienceTeam, Key: "cmd.ack",
		Args: []CommandArg{{Name: "ref", Required: true, Example: "C-12", Key: "arg.ref"}}},
	{Name: "reply", Audience: AudienceTeam, Key: "cmd.reply",
		Args: []CommandArg{{Name: "ref", Required: true, Example: "C-12", Key: "arg.ref"},
			{Name: "text", Required: true, Key: "arg.reply_text"}}},
	{Name: "wait", Audience: AudienceTeam, Key: "cmd.wait",
		Args: []CommandArg{{Name: "ref", Required: true, Example: "C-12", Key: "arg.ref"},
			{Name: "question", Key: "arg.question"}}},
	{Name: "resolve", Audience: AudienceTeam, Key: "cmd.resolve",
		Args: []CommandArg{{Name: "ref", Required: true, Example: "C-12", Key: "arg.ref"},
			{Name: "note", Key: "arg.note"}}},

	{Name: "digest", Audience: AudienceOwner, Key: "cmd.digest"},
	{Name: "scores", Audience: AudienceOwner, Key: "cmd.scores"},
	{Name: "dashboard", Audience: AudienceOwner, Key: "cmd.dashboard"},
}

// commandTexts are the English descriptions, by key. Each is at most 100 characters
// (Discord's limit on a description) and starts in lower case (help shows "/x — text").
var commandTexts = map[string]string{
	"cmd.start":      "start talking to us (with the invite's code, if you have one)",
	"cmd.complain":   "tell us about a problem; the team replies in this chat",
	"cmd.status":     "your open complaints and surveys",
	"cmd.stop":       "no more surveys",
	"cmd.resume":     "surveys again",
	"cmd.forget":     "erase your data",
	"cmd.help":       "what I can do",
	"cmd.complaints": "the complaints list",
	"cmd.ack":        "take ownership of a complaint",
	"cmd.reply":      "answer the customer through the bot",
	"cmd.wait":       "ask the customer; the resolve clock waits for their answer",
	"cmd.resolve":    "mark solved; the note goes to the customer, who is asked to confirm",
	"cmd.digest":     "this week so far",
	"cmd.scores":     "scores with their trend",
	"cmd.dashboard":  "a private link to the owners' page",

	"arg.token":          "the code from your invite",
	"arg.complaint_text": "what happened",
	"arg.status":         "open, acknowledged, resolved or all",
	"arg.ref":            "the complaint, like C-12",
	"arg.reply_text":     "your reply",
	"arg.note":           "what was done",
	"arg.question":       "what to ask the customer",
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

// CommandText returns the English text of a command or argument description key, or the key
// itself when it has none. It is the describe function to give a CommandMenu until message
// catalogs exist: CommandText("cmd.ack") is "take ownership of a complaint".
func CommandText(lang, key string) string {
	if t, ok := commandTexts[key]; ok {
		return t
	}
	return key
}
