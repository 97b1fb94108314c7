package discord

import (
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"

	"earshot/bots/internal/kit"
	"earshot/core"
)

// Discord's limits.
const (
	maxContent     = 2000
	maxDescription = 4096
	maxTitle       = 256
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFields      = 25
	maxFooter      = 2048
	maxButtonLabel = 80
	maxRows        = 5
	perRow         = 5
	maxModalText   = 45
)

// notePrefix marks the custom_id of a button that opens a modal for a note first, and the
// modal's own custom_id; the rest is the choice's payload.
const notePrefix = "note|"

const noteInputID = "note"

// noMentions is set on every message: text from customers never pings anyone.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// rendered is one Discord message.
type rendered struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
}

// render turns m into Discord messages: more than one when its text is over Discord's limits.
// primary is the index of the message that carries the buttons (or the card), whose id is the
// delivery's SentID. With single, text over the limits is cut instead of split (edits).
func render(m core.Message, single bool) (msgs []rendered, primary int) {
	if m.Title != "" || len(m.Fields) > 0 || m.Pre {
		return renderEmbed(m, single), 0
	}
	text := escape(m.Text)
	if m.Footer != "" {
		if text != "" {
			text += "\n"
		}
		text += "-# " + escape(m.Footer)
	}
	var parts []string
	if single {
		parts = []string{cut(text, maxContent)}
	} else {
		parts = split(text, maxContent)
	}
	for _, p := range parts {
		msgs = append(msgs, rendered{Content: p})
	}
	primary = len(msgs) - 1
	msgs[primary].Components = buttons(m.Choices)
	return msgs, primary
}

func renderEmbed(m core.Message, single bool) []rendered {
	var desc []string
	switch {
	case m.Pre:
		desc = codeBlocks(m.Text, maxDescription)
	default:
		desc = split(escape(m.Text), maxDescription)
	}
	if single && len(desc) > 1 {
		desc = []string{cut(strings.Join(desc, "\n"), maxDescription)}
	}
	first := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Title: cut(escape(m.Title), maxTitle),
		Description: desc[0]}
	for i, f := range m.Fields {
		if i == maxFields {
			break
		}
		name, value := cut(escape(f.Label), maxFieldName), cut(escape(f.Value), maxFieldValue)
		if strings.TrimSpace(name) == "" {
			name = "\u200b"
		}
		if strings.TrimSpace(value) == "" {
			value = "—"
		}
		first.Fields = append(first.Fields, &discordgo.MessageEmbedField{Name: name, Value: value, Inline: f.Short})
	}
	msgs := []rendered{{Embeds: []*discordgo.MessageEmbed{first}, Components: buttons(m.Choices)}}
	for _, d := range desc[1:] {
		msgs = append(msgs, rendered{Embeds: []*discordgo.MessageEmbed{{Type: discordgo.EmbedTypeRich, Description: d}}})
	}
	if m.Footer != "" {
		last := msgs[len(msgs)-1].Embeds[0]
		last.Footer = &discordgo.MessageEmbedFooter{Text: cut(m.Footer, maxFooter)} // footers show no markdown
	}
	return msgs
}

// buttons lays choices out in action rows of at most five, balanced: as few rows as five
// per row need, filled evenly (a 1–10 scale is two rows of five, an NPS 0–10 rows of 4, 4
// and 3 rather than a lone "10"). Beyond five rows of five, Discord's limit, none is shown.
func buttons(choices []core.Choice) []discordgo.MessageComponent {
	choices = choices[:min(len(choices), maxRows*perRow)]
	if len(choices) == 0 {
		return nil
	}
	rows := (len(choices) + perRow - 1) / perRow
	per := (len(choices) + rows - 1) / rows
	var out []discordgo.MessageComponent
	var row discordgo.ActionsRow
	for _, c := range choices {
		label := cut(c.Label, maxButtonLabel) // labels show no markdown
		if strings.TrimSpace(label) == "" {
			label = "…"
		}
		id := c.Payload
		if c.NeedsNote {
			id = notePrefix + c.Payload
		}
		row.Components = append(row.Components, discordgo.Button{Label: label, Style: buttonStyle(c.Style), CustomID: id})
		if len(row.Components) == per {
			out = append(out, row)
			row = discordgo.ActionsRow{}
		}
	}
	if len(row.Components) > 0 {
		out = append(out, row)
	}
	return out
}

func buttonStyle(s core.Style) discordgo.ButtonStyle {
	switch s {
	case core.StylePrimary:
		return discordgo.PrimaryButton
	case core.StyleDanger:
		return discordgo.DangerButton
	}
	return discordgo.SecondaryButton
}

var (
	inlineMarkup = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`, `~`, `\~`, "`", "\\`", `|`, `\|`,
		`<`, `\<`, `>`, `\>`, `[`, `\[`, `]`, `\]`)
	listItem = regexp.MustCompile(`^(\s*)(\d+)\.(\s)`)
)

// escape makes plain text show literally in Discord markdown: emphasis, code, spoilers,
// quotes, links, headings, lists, subtext and <@…>/<#…>/<t:…> tags are escaped. Pings are
// prevented separately, by allowed_mentions on every message.
func escape(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	lines := strings.Split(inlineMarkup.Replace(s), "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t")
		lead := l[:len(l)-len(t)]
		switch {
		case strings.HasPrefix(t, "#"), strings.HasPrefix(t, "-"), strings.HasPrefix(t, "+"):
			lines[i] = lead + `\` + t
		case listItem.MatchString(l):
			lines[i] = listItem.ReplaceAllString(l, `$1$2\.$3`)
		}
	}
	return strings.Join(lines, "\n")
}

// codeBlocks wraps text in ``` blocks of at most limit characters each.
func codeBlocks(text string, limit int) []string {
	text = strings.ReplaceAll(strings.ToValidUTF8(text, "\uFFFD"), "```", "`\u200b``")
	var out []string
	for _, p := range split(text, limit-8) {
		out = append(out, "```\n"+p+"\n```")
	}
	return out
}

// markdownCut moves a cut back off a lone backslash, so that an escape is never split from
// the character it escapes.
func markdownCut(s string, cut int) int {
	if cut > 1 && s[cut-1] == '\\' && s[cut-2] != '\\' {
		return cut - 1
	}
	return cut
}

// split cuts s into parts of at most limit characters, at a line break where it can, else at
// a space, else anywhere but inside an escape. It returns at least one part.
func split(s string, limit int) []string {
	if out := (kit.Splitter{Limit: limit, SafeCut: markdownCut}).Split(s); len(out) > 0 {
		return out
	}
	return []string{""}
}

// cut shortens s to at most limit characters, ending with "…" when it had to.
func cut(s string, limit int) string { return kit.Splitter{Limit: limit, SafeCut: markdownCut}.Cut(s) }
