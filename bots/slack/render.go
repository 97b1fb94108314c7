package slack

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"earshot/bots/internal/kit"
	"earshot/core"

	sl "github.com/slack-go/slack"
)

// Slack's limits that rendering respects.
const (
	maxSectionText  = 3000
	maxFieldText    = 2000
	maxHeaderText   = 150
	maxButtonText   = 75
	maxBlocks       = 50
	maxFieldsPerSec = 10
	buttonsPerRow   = 5
	maxFallback     = 3000 // notification text; Slack allows 40,000 but shows far less
	maxNoteLabel    = 200
	maxViewText     = 24 // a modal's title and its submit and close buttons
)

// part is one Slack message of a rendered core.Message.
type part struct {
	Blocks []sl.Block
	Text   string   // the plain fallback, already escaped
	texts  []string // what each block shows, for repacking
}

// escape makes plain text safe inside mrkdwn and message text: Slack parses only &, < and >
// as control characters, so "<!channel>" or "<https://evil|bank>" show literally.
func escape(s string) string { return escaper.Replace(s) }

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// truncate cuts s to at most n runes, ending with "…" when it cut; it never cuts an escape
// entity in half.
func truncate(s string, n int) string { return kit.Splitter{Limit: n, SafeCut: safeCut}.Cut(s) }

// safeCut moves a cut at byte offset cut back before an entity ("&amp;") it would split.
func safeCut(s string, cut int) int {
	if amp := strings.LastIndexByte(s[:cut], '&'); amp >= 0 && cut-amp < 5 &&
		!strings.Contains(s[amp:cut], ";") {
		return amp
	}
	return cut
}

// split cuts escaped text into pieces of at most limit runes, preferring line breaks, then
// spaces, and never splitting an entity. Empty pieces are dropped.
func split(s string, limit int) []string {
	return kit.Splitter{Limit: limit, SafeCut: safeCut}.Split(s)
}

func mrkdwn(s string) *sl.TextBlockObject {
	// verbatim: Slack neither links URLs nor channel names in what people typed.
	return sl.NewTextBlockObject(sl.MarkdownType, s, false, true)
}

func plain(s string) *sl.TextBlockObject {
	return sl.NewTextBlockObject(sl.PlainTextType, s, true, false)
}

// builder collects blocks with the text each one shows, for fallbacks.
type builder struct {
	blocks []sl.Block
	texts  []string
}

func (b *builder) add(blk sl.Block, text string) {
	b.blocks = append(b.blocks, blk)
	b.texts = append(b.texts, text)
}

func (b *builder) sections(escaped string) {
	for _, p := range split(escaped, maxSectionText) {
		b.add(sl.NewSectionBlock(mrkdwn(p), nil, nil), p)
	}
}

// render turns m into one or more Slack messages: ≤ 50 blocks each, sections ≤ 3,000
// characters, buttons and footer on the last one.
func render(m core.Message) []part {
	var b builder
	if t := strings.TrimSpace(m.Title); t != "" {
		if runeLen(t) <= maxHeaderText && !strings.Contains(t, "\n") {
			b.add(sl.NewHeaderBlock(plain(t)), escape(t))
		} else {
			b.sections("*" + escape(t) + "*")
		}
	}
	if m.Text != "" {
		if m.Pre {
			const fence = "```"
			for _, p := range split(escape(m.Text), maxSectionText-2*len(fence)-2) {
				b.add(sl.NewSectionBlock(mrkdwn(fence+"\n"+p+"\n"+fence), nil, nil), p)
			}
		} else {
			b.sections(escape(m.Text))
		}
	}
	renderFields(&b, m.Fields)
	renderChoices(&b, m.Choices)
	if f := strings.TrimSpace(m.Footer); f != "" {
		t := truncate(escape(f), maxSectionText)
		b.add(sl.NewContextBlock("", mrkdwn(t)), t)
	}
	if len(b.blocks) == 0 {
		b.sections("…")
	}
	return paginate(b)
}

func fieldText(f core.Field) string {
	return "*" + escape(f.Label) + "*\n" + escape(f.Value)
}

func renderFields(b *builder, fields []core.Field) {
	var short []*sl.TextBlockObject
	var shortText []string
	flush := func() {
		if len(short) > 0 {
			b.add(sl.NewSectionBlock(nil, short, nil), strings.Join(shortText, "\n"))
			short, shortText = nil, nil
		}
	}
	for _, f := range fields {
		if f.Label == "" && f.Value == "" {
			continue
		}
		if f.Short {
			t := truncate(fieldText(f), maxFieldText)
			short = append(short, mrkdwn(t))
			shortText = append(shortText, t)
			if len(short) == maxFieldsPerSec {
				flush()
			}
			continue
		}
		flush()
		b.sections(fieldText(f))
	}
	flush()
}

// Action ids: "c<i>" for a plain choice, "n<i>:<note label>" for one that needs a note (an
// empty label: the form's field gets the adapter's own, in the presser's language).
func actionID(i int, c core.Choice) string {
	if c.NeedsNote {
		return fmt.Sprintf("n%d:%s", i, truncate(strings.TrimSpace(c.NoteLabel), maxNoteLabel))
	}
	return fmt.Sprintf("c%d", i)
}

// noteLabel returns the note label of an action id, and whether the choice needs a note.
func noteLabel(actionID string) (string, bool) {
	if !strings.HasPrefix(actionID, "n") {
		return "", false
	}
	_, label, ok := strings.Cut(actionID, ":")
	return label, ok
}

// renderChoices lays buttons out in actions blocks of at most five (Slack takes 25), balanced
// like Discord's rows: an NPS 0–10 is blocks of 4, 4 and 3 rather than a lone "10".
func renderChoices(b *builder, choices []core.Choice) {
	if len(choices) == 0 {
		return
	}
	rows := (len(choices) + buttonsPerRow - 1) / buttonsPerRow
	per := (len(choices) + rows - 1) / rows
	for row := 0; row*per < len(choices); row++ {
		var els []sl.BlockElement
		var labels []string
		for i := row * per; i < len(choices) && i < (row+1)*per; i++ {
			c := choices[i]
			label := strings.TrimSpace(c.Label)
			if label == "" {
				label = c.Payload
			}
			btn := sl.NewButtonBlockElement(actionID(i, c), c.Payload, plain(truncate(label, maxButtonText)))
			switch c.Style {
			case core.StylePrimary:
				btn = btn.WithStyle(sl.StylePrimary)
			case core.StyleDanger:
				btn = btn.WithStyle(sl.StyleDanger)
			}
			els = append(els, btn)
			labels = append(labels, "["+escape(label)+"]")
		}
		b.add(sl.NewActionBlock(fmt.Sprintf("choices-%d", row), els...), strings.Join(labels, " "))
	}
}

// paginate splits blocks into messages of at most 50 blocks, the first one shortest, so
// buttons and footer stay together on the last message.
func paginate(b builder) []part {
	var parts []part
	first := len(b.blocks) % maxBlocks
	if first == 0 {
		first = maxBlocks
	}
	for start, end := 0, first; start < len(b.blocks); start, end = end, end+maxBlocks {
		parts = append(parts, part{Blocks: b.blocks[start:end], Text: fallback(b.texts[start:end]), texts: b.texts[start:end]})
	}
	return parts
}

// fallback is the plain text of a message for notifications and old clients.
func fallback(texts []string) string {
	var nonEmpty []string
	for _, t := range texts {
		if t = strings.TrimSpace(t); t != "" {
			nonEmpty = append(nonEmpty, t)
		}
	}
	return truncate(strings.Join(nonEmpty, "\n"), maxFallback)
}

// single renders m as one message for chat.update: when it would need several, the middle
// is cut and the line shortened says so.
func single(m core.Message, shortened string) part {
	parts := render(m)
	if len(parts) == 1 {
		return parts[0]
	}
	first, last := parts[0], parts[len(parts)-1]
	keepLast := min(len(last.Blocks), maxBlocks-2)
	blocks := append([]sl.Block{}, first.Blocks[:min(len(first.Blocks), maxBlocks-1-keepLast)]...)
	blocks = append(blocks, sl.NewContextBlock("", mrkdwn(escape(shortened))))
	blocks = append(blocks, last.Blocks[len(last.Blocks)-keepLast:]...)
	return part{Blocks: blocks, Text: first.Text}
}
