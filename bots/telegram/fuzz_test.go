package telegram

import (
	"strings"
	"testing"
	"unicode/utf8"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
)

// FuzzRender: whatever the text, every part is HTML Telegram accepts, within its limit, and
// shows the text's words in order.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"", "<b>", "a & b", "&amp;lt;", "\"'<>&", strings.Repeat("x ", 3000),
		strings.Repeat("🙂", 2100), "line\nline\n\n\nline", "<pre>x</pre>", "\x00\xff"} {
		f.Add(s, s, false)
		f.Add("Title "+s, s, true)
	}
	f.Fuzz(func(t *testing.T, title, text string, pre bool) {
		m := core.Message{Title: title, Text: text, Pre: pre, Footer: "ref <C-1> & more",
			Fields: []core.Field{{Label: "Customer", Value: text}}}
		var shown []string
		for _, p := range render(m, MaxText) {
			visible, n, err := faketelegram.ParseHTML(p)
			if err != nil {
				t.Fatalf("Telegram would refuse %q: %v", p, err)
			}
			if n > MaxText || strings.TrimSpace(visible) == "" {
				t.Fatalf("part of %d units, visible %q", n, visible)
			}
			shown = append(shown, strings.Fields(visible)...)
		}
		if !utf8.ValidString(text) || !utf8.ValidString(title) {
			return
		}
		joined := strings.Join(shown, " ")
		for _, w := range strings.Fields(text) {
			if !strings.Contains(joined, w) && len(w) < MaxText/4 {
				t.Fatalf("word %q of the text is not shown", w)
			}
		}
	})
}
