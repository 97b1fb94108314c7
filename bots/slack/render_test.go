package slack

import (
	"bytes"
	"earshot/bots/internal/kittest"
	"earshot/core/coretest/golden"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"earshot/bots/slack/fakeslack"
	"earshot/core"
	sl "github.com/slack-go/slack"
)

func scale(prefix string) []core.Choice {
	var cs []core.Choice
	for i := 1; i <= 10; i++ {
		s := strconv.Itoa(i)
		cs = append(cs, core.Choice{Label: s, Payload: prefix + s})
	}
	return cs
}

func TestRenderGolden(t *testing.T) {
	cases := map[string]core.Message{
		"question": {Text: "How courteous were we?", Choices: scale("s:7:courtesy:"), Footer: "Question 1 of 4"},
		"card": {
			Title: "Complaint C-12",
			Text:  "The bike arrived broken. <!channel> see <https://evil|bank> & *bold*",
			Fields: []core.Field{
				{Label: "Customer", Value: "slack:UCUST (Dana)", Short: true},
				{Label: "Deadline", Value: "reply by 2026-11-24 09:00", Short: true},
				{Label: "Survey", Value: "after-delivery: courtesy 2, speed 3"},
			},
			Choices: []core.Choice{
				{Label: "Acknowledge", Payload: "ack:12", Style: core.StylePrimary},
				{Label: "Resolve", Payload: "resolve:12", NeedsNote: true, NoteLabel: "How was it resolved?", Style: core.StyleDanger},
			},
			Footer: "Open · reply within 12h",
		},
		"digest": {Title: "Week 2026-W47", Text: "courtesy  7.5  (+0.4)  ▁▂▃▅▆▇\nspeed     6.1  (-0.2)", Pre: true},
		"plain":  {Text: "Thanks!"},
	}
	for name, m := range cases {
		t.Run(name, func(t *testing.T) {
			golden.Check(t, filepath.Join("testdata", name+".golden"), renderJSON(t, m))
		})
	}
}

func renderJSON(t *testing.T, m core.Message) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep &lt; readable in the golden files
	enc.SetIndent("", "  ")
	if err := enc.Encode(render(m)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The messages core builds, rendered the Slack way: the same set every adapter renders.
func TestRenderCoreMessages(t *testing.T) {
	msgs := kittest.Messages(t)
	for _, name := range kittest.MessageNames {
		t.Run(name, func(t *testing.T) {
			golden.Check(t, filepath.Join("testdata", "core_"+name+".golden"), renderJSON(t, msgs[name]))
		})
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"<!channel>":            "&lt;!channel&gt;",
		"<https://evil|bank>":   "&lt;https://evil|bank&gt;",
		"a & b":                 "a &amp; b",
		"&lt; already":          "&amp;lt; already",
		"<@U123> hi":            "&lt;@U123&gt; hi",
		"plain text, no change": "plain text, no change",
	} {
		if got := escape(in); got != want {
			t.Errorf("escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRenderLimits(t *testing.T) {
	line := strings.Repeat("word ", 30) + "<&>\n"
	cases := map[string]core.Message{
		"long lines":      {Title: "Digest", Text: strings.Repeat(line, 3000)},
		"one long word":   {Text: strings.Repeat("&", 20000)},
		"long pre":        {Text: strings.Repeat("x <y>\n", 10000), Pre: true},
		"long title":      {Title: strings.Repeat("t", 400), Text: "x"},
		"many fields":     {Fields: manyFields(45)},
		"long field":      {Fields: []core.Field{{Label: "L", Value: strings.Repeat("v", 9000)}, {Label: "S", Value: strings.Repeat("v", 9000), Short: true}}},
		"buttons at end":  {Text: strings.Repeat(line, 400), Choices: scale("p"), Footer: "f"},
		"long labels":     {Text: "x", Choices: []core.Choice{{Label: strings.Repeat("b", 200), Payload: "p", NeedsNote: true, NoteLabel: strings.Repeat("n", 900)}}},
		"multibyte split": {Text: strings.Repeat("ü😀", 5000)},
	}
	for name, m := range cases {
		t.Run(name, func(t *testing.T) {
			parts := render(m)
			var all strings.Builder
			for i, p := range parts {
				raw, err := json.Marshal(p.Blocks)
				if err != nil {
					t.Fatal(err)
				}
				if problems := fakeslack.ValidateBlocks(raw, fakeslack.MaxMessageBlocks); len(problems) > 0 {
					t.Fatalf("part %d invalid: %v", i, problems[:min(3, len(problems))])
				}
				if p.Text == "" || runeLen(p.Text) > maxFallback {
					t.Errorf("part %d: fallback of %d runes", i, runeLen(p.Text))
				}
				all.WriteString(fakeslack.Message{Blocks: raw}.Shown())
			}
			if len(m.Choices) > 0 {
				last, _ := json.Marshal(parts[len(parts)-1].Blocks)
				if n := len(fakeslack.Message{Blocks: last}.Buttons()); n != len(m.Choices) {
					t.Errorf("last part has %d buttons, want %d", n, len(m.Choices))
				}
			}
			// Nothing is lost in splitting: every non-space character survives, in order.
			if m.Text != "" && !m.Pre {
				want := squash(escape(m.Text))
				if got := squash(all.String()); !strings.Contains(got, want) {
					t.Errorf("split text lost characters: got %d, want %d", len(got), len(want))
				}
			}
		})
	}
}

func manyFields(n int) []core.Field {
	var fs []core.Field
	for i := range n {
		fs = append(fs, core.Field{Label: "label", Value: strings.Repeat("v", i+1), Short: i%3 != 0})
	}
	return fs
}

func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func TestSplitKeepsEntities(t *testing.T) {
	s := escape(strings.Repeat("<", 1200)) // 4,800 runes of "&lt;"
	for i, p := range split(s, maxSectionText) {
		if strings.Count(p, "&") != strings.Count(p, ";") || strings.HasSuffix(p, "&l") {
			t.Errorf("piece %d cuts an entity: …%s", i, p[max(0, len(p)-6):])
		}
	}
}

func TestPlainText(t *testing.T) {
	for wire, want := range map[string]string{
		"7/10":                              "7/10",
		"&lt;!channel&gt; &amp; more":       "<!channel> & more",
		"see <https://example.com>":         "see https://example.com",
		"see <https://example.com|example>": "see example (https://example.com)",
		"mail <mailto:a@b.c|a@b.c>":         "mail a@b.c",
		"hi <@U123>":                        "hi <@U123>",
		"&amp;lt; stays":                    "&lt; stays",
	} {
		if got := plainText(wire); got != want {
			t.Errorf("plainText(%q) = %q, want %q", wire, got, want)
		}
	}
}

func TestSplitPrefersLinesThenWords(t *testing.T) {
	cases := []struct {
		in    string
		limit int
		want  []string
	}{
		{"short", 10, []string{"short"}},
		{"aaa bbb\nccc ddd", 10, []string{"aaa bbb", "ccc ddd"}},
		{"aaa bbb ccc ddd", 10, []string{"aaa bbb", "ccc ddd"}},
		{"abcdefghijkl", 5, []string{"abcde", "fghij", "kl"}},
		{"ab &amp; cd", 5, []string{"ab", "&amp;", " cd"}},
		{"xy&amp;z", 4, []string{"xy", "&amp", ";z"}}, // an entity longer than the limit is cut
	}
	for _, tc := range cases {
		got := split(tc.in, tc.limit)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("split(%q, %d) = %q, want %q", tc.in, tc.limit, got, tc.want)
		}
	}
}

// BenchmarkRenderCard measures rendering a complaint card (go test -bench RenderCard).
func BenchmarkRenderCard(b *testing.B) {
	card := core.Message{Title: "Complaint C-1042 · open", Text: strings.Repeat("The wheel was bent <again> & again. ", 20),
		Fields:  manyFields(6),
		Choices: []core.Choice{{Label: "Acknowledge", Payload: "ack:1042"}, {Label: "Resolve", Payload: "res:1042", NeedsNote: true}},
		Footer:  "/ack C-1042 · /reply C-1042 text"}
	for b.Loop() {
		render(card)
	}
}

// A survey question of every kind, as core builds it, rendered the slack way: NPS, CSAT, CES,
// a single and a multiple choice, and the multiple choice with two options picked.
func TestRenderCoreQuestions(t *testing.T) {
	msgs := kittest.Questions(t)
	for _, name := range kittest.QuestionNames {
		t.Run(name, func(t *testing.T) {
			golden.Check(t, filepath.Join("testdata", "core_q_"+name+".golden"), renderJSON(t, msgs[name]))
		})
	}
}

// TestActionBlocksStayInSlacksLimits: buttons go in actions blocks of at most five (Slack
// takes 25 elements a block), balanced: an NPS with Skip is three blocks of four.
func TestActionBlocksStayInSlacksLimits(t *testing.T) {
	for k, want := range map[int]string{2: "[2]", 7: "[4 3]", 10: "[5 5]", 11: "[4 4 3]", 12: "[4 4 4]", 22: "[5 5 5 5 2]"} {
		cs := make([]core.Choice, k)
		for i := range cs {
			cs[i] = core.Choice{Label: strconv.Itoa(i), Payload: "s:1:0:" + strconv.Itoa(i)}
		}
		var rows []int
		for _, p := range render(core.Message{Text: "Rate us", Choices: cs}) {
			for _, b := range p.Blocks {
				if a, ok := b.(*sl.ActionBlock); ok {
					rows = append(rows, len(a.Elements.ElementSet))
				}
			}
		}
		if got := fmt.Sprint(rows); got != want {
			t.Errorf("%d buttons: blocks %s, want %s", k, got, want)
		}
	}
}
