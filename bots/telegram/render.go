package telegram

import (
	"fmt"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"earshot/bots/internal/kit"
	"earshot/core"
)

// MaxText is Telegram's limit on a message's visible text, in UTF-16 code units.
const MaxText = 4096

// lineKind is how one rendered line is marked up.
type lineKind int

const (
	linePlain lineKind = iota
	lineBold
	linePre
	lineField
	lineFooter
)

// line is one line of a message before markup: its visible text decides where messages
// split, its kind decides its markup.
type line struct {
	kind  lineKind
	label string // lineField: the label, shown bold with a colon
	text  string
}

func (l line) visible() string {
	if l.kind == lineField {
		return l.label + ": " + l.text
	}
	return l.text
}

// render turns a message into one or more HTML texts, each at most limit visible UTF-16
// units, split between lines, else between words, else between characters. Every piece of
// text is escaped; markup never spans two parts.
func render(m core.Message, limit int) []string {
	var lines []line
	section := func(ls ...line) {
		if len(ls) == 0 {
			return
		}
		if len(lines) > 0 {
			lines = append(lines, line{})
		}
		lines = append(lines, ls...)
	}
	if t := strings.TrimSpace(m.Title); t != "" {
		section(line{kind: lineBold, text: oneLine(t)})
	}
	if strings.TrimSpace(m.Text) != "" {
		kind := linePlain
		body := strings.TrimSpace(m.Text)
		if m.Pre {
			kind, body = linePre, strings.Trim(m.Text, "\n")
		}
		var ls []line
		for _, t := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
			ls = append(ls, line{kind: kind, text: t})
		}
		section(ls...)
	}
	var fields []line
	for _, f := range m.Fields {
		fields = append(fields, line{kind: lineField, label: oneLine(f.Label), text: f.Value})
	}
	section(fields...)
	if t := strings.TrimSpace(m.Footer); t != "" {
		section(line{kind: lineFooter, text: oneLine(t)})
	}

	var parts []string
	var cur []line
	size := 0
	flush := func() {
		if s := markup(trimBlank(cur)); s != "" {
			parts = append(parts, s)
		}
		cur, size = nil, 0
	}
	for _, l := range lines {
		for _, piece := range cut(l, limit) {
			n := units(piece.visible())
			sep := 0
			if len(cur) > 0 {
				sep = 1
			}
			if size+sep+n > limit {
				flush()
				sep = 0
			}
			cur = append(cur, piece)
			size += sep + n
		}
	}
	flush()
	return parts
}

// cut splits a line whose visible text exceeds limit into pieces that fit, on word
// boundaries where it can.
func cut(l line, limit int) []line {
	if units(l.visible()) <= limit {
		return []line{l}
	}
	if l.kind == lineField { // a huge value: show the label alone, then the value as text
		return append([]line{{kind: lineBold, text: l.label + ":"}}, cut(line{kind: linePlain, text: l.text}, limit)...)
	}
	var out []line
	for i, piece := range (kit.Splitter{Limit: limit, UTF16: true}).Split(l.text) {
		if i > 0 {
			piece = strings.TrimLeftFunc(piece, unicode.IsSpace)
		}
		out = append(out, line{kind: l.kind, text: piece})
	}
	return out
}

// markup renders lines as Telegram HTML: consecutive preformatted lines share one <pre>.
func markup(ls []line) string {
	var b strings.Builder
	for i := 0; i < len(ls); i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		l := ls[i]
		switch l.kind {
		case linePlain:
			b.WriteString(esc(l.text))
		case lineBold:
			b.WriteString("<b>" + esc(l.text) + "</b>")
		case lineField:
			b.WriteString("<b>" + esc(l.label) + ":</b> " + esc(l.text))
		case lineFooter:
			b.WriteString("<i>" + esc(l.text) + "</i>")
		case linePre:
			b.WriteString("<pre>")
			for j := i; j < len(ls) && ls[j].kind == linePre; j++ {
				if j > i {
					b.WriteByte('\n')
				}
				b.WriteString(esc(ls[j].text))
				i = j
			}
			b.WriteString("</pre>")
		}
	}
	return b.String()
}

// esc escapes text for Telegram HTML: < > & and both quotes.
func esc(s string) string { return html.EscapeString(strings.ToValidUTF8(s, "\uFFFD")) }

func trimBlank(ls []line) []line {
	for len(ls) > 0 && ls[0].visible() == "" && ls[0].kind != linePre {
		ls = ls[1:]
	}
	for len(ls) > 0 && ls[len(ls)-1].visible() == "" && ls[len(ls)-1].kind != linePre {
		ls = ls[:len(ls)-1]
	}
	return ls
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// units counts UTF-16 code units, as Telegram does.
func units(s string) int { return kit.Splitter{UTF16: true}.RuneCount(s) }

// inlineKeyboard is an inline keyboard as sent to Telegram. The SDK's own button type is not
// used: go-telegram/bot v1.19.0 encodes every button with "copy_text":{"text":""}, a
// copy-text button with no text, which Telegram may refuse (BUTTON_COPY_TEXT_INVALID,
// go-telegram/bot#167). These types send exactly the text and the callback data.
type inlineKeyboard struct {
	InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
}

type inlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

// keyboard lays out choices as an inline keyboard: a run of short labels (a 1–10 scale)
// in rows of at most five, balanced (ten buttons make two rows of five); other choices two
// per row, or one per row when a label is long. It refuses callback data Telegram refuses.
func keyboard(choices []core.Choice) (*inlineKeyboard, error) {
	if len(choices) == 0 {
		return nil, nil
	}
	for _, c := range choices {
		if n := len(c.Payload); n < 1 || n > core.MaxPayload {
			return nil, fmt.Errorf("button %q: callback data is %d bytes; Telegram takes 1 to %d", c.Label, n, core.MaxPayload)
		}
		if strings.TrimSpace(c.Label) == "" {
			return nil, fmt.Errorf("button with callback data %q has no label", c.Payload)
		}
	}
	kb := &inlineKeyboard{}
	button := func(c core.Choice) inlineButton {
		return inlineButton{Text: oneLine(c.Label), CallbackData: c.Payload}
	}
	short := func(c core.Choice) bool { return utf8.RuneCountInString(strings.TrimSpace(c.Label)) <= 3 }
	scaleRun := func(k int) int { // how many short labels start at k
		n := 0
		for k+n < len(choices) && short(choices[k+n]) {
			n++
		}
		return n
	}
	for i := 0; i < len(choices); {
		if n := scaleRun(i); n >= 3 {
			rows := (n + 4) / 5
			if n == 11 {
				rows = 2 // an NPS, 0-10: 0–5 above 6–10, six short buttons still readable on a phone
			}
			per := (n + rows - 1) / rows
			for k := i; k < i+n; k += per {
				var row []inlineButton
				for _, c := range choices[k:min(k+per, i+n)] {
					row = append(row, button(c))
				}
				kb.InlineKeyboard = append(kb.InlineKeyboard, row)
			}
			i += n
			continue
		}
		row := []inlineButton{button(choices[i])}
		if i+1 < len(choices) && scaleRun(i+1) < 3 &&
			utf8.RuneCountInString(choices[i].Label) <= 20 && utf8.RuneCountInString(choices[i+1].Label) <= 20 {
			row = append(row, button(choices[i+1]))
			i++
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, row)
		i++
	}
	return kb, nil
}
