package telegram

import (
	"earshot/bots/internal/kittest"
	"earshot/core/coretest/golden"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"earshot/core"
)

func scale(run int) []core.Choice {
	var cs []core.Choice
	for v := 1; v <= 10; v++ {
		cs = append(cs, core.Choice{Label: fmt.Sprint(v), Payload: fmt.Sprintf("s:%d:0:%d", run, v)})
	}
	return cs
}

// longText is 10,000 characters of words in lines of varying length.
func longText() string {
	var b strings.Builder
	for i := 0; b.Len() < 10000; i++ {
		fmt.Fprintf(&b, "word%03d ", i)
		if i%17 == 16 {
			b.WriteString("\n")
		}
	}
	return b.String()[:10000]
}

var renderCases = []struct {
	name string
	msg  core.Message
}{
	{"survey_question", core.Message{Text: "How courteous were we? (1 = not at all, 10 = very)", Choices: scale(7)}},
	{"escaping", core.Message{Title: "Complaint <C-1> & co", Text: "I typed <b>bold</b> & \"quotes\" 'too' > here",
		Footer: "Reply with /reply C-1 <text>"}},
	{"card", core.Message{Title: "Complaint C-12", Text: "The bike arrived\nwith a bent wheel.",
		Fields: []core.Field{{Label: "Customer", Value: "Dana <dana@example.com>", Short: true},
			{Label: "Platform", Value: "telegram"}, {Label: "Reply by", Value: "Tue 24 Nov 10:00"}},
		Choices: []core.Choice{{Label: "Acknowledge", Payload: "ack:12", Style: core.StylePrimary}, {Label: "Resolve", Payload: "res:12"}}}},
	{"yes_no", core.Message{Text: "Is your problem solved?", Choices: []core.Choice{{Label: "Yes", Payload: "ok:12:y"}, {Label: "No", Payload: "ok:12:n"}}}},
	{"long_labels", core.Message{Text: "Pass this to the team?", Choices: []core.Choice{
		{Label: "Yes, please pass it on to the team", Payload: "low:3:y"}, {Label: "No thanks", Payload: "low:3:n"}}}},
	{"scale_and_skip", core.Message{Text: "Rate us", Choices: append(scale(9), core.Choice{Label: "Skip", Payload: "s:9:0:skip"})}},
	{"pre", core.Message{Title: "Digest 2026-W47", Text: "courtesy  7.5  ▁▂▃▅▇\nspeed     6.0  <slow> & steady", Pre: true}},
	{"split_10000", core.Message{Title: "A long one", Text: longText(), Choices: []core.Choice{{Label: "OK", Payload: "file:y"}}}},
}

// golden renders a message the way the fake shows the wire: each part's HTML, then the
// keyboard rows as label=data.
func goldenText(m core.Message) string {
	var b strings.Builder
	parts := render(m, MaxText)
	for i, p := range parts {
		fmt.Fprintf(&b, "--- part %d/%d (%d UTF-16 units of HTML)\n%s\n", i+1, len(parts), units(p), p)
	}
	kb, err := keyboard(m.Choices)
	if err != nil {
		fmt.Fprintf(&b, "--- keyboard error: %v\n", err)
	}
	if kb != nil {
		b.WriteString("--- keyboard\n")
		for _, row := range kb.InlineKeyboard {
			var cells []string
			for _, btn := range row {
				cells = append(cells, btn.Text+"="+btn.CallbackData)
			}
			b.WriteString("[" + strings.Join(cells, "] [") + "]\n")
		}
	}
	return b.String()
}

func TestRenderGolden(t *testing.T) {
	for _, tc := range renderCases {
		t.Run(tc.name, func(t *testing.T) {
			got := goldenText(tc.msg)
			golden.Check(t, filepath.Join("testdata", tc.name+".golden"), []byte(got))
		})
	}
}

func TestRenderSplitKeepsEveryWord(t *testing.T) {
	text := longText()
	parts := render(core.Message{Text: text}, MaxText)
	if len(parts) != 3 {
		t.Fatalf("%d parts, want 3", len(parts))
	}
	var words []string
	for _, p := range parts {
		if n := units(p); n > MaxText {
			t.Errorf("part of %d units", n)
		}
		words = append(words, strings.Fields(p)...)
	}
	if want := strings.Fields(text); strings.Join(words, " ") != strings.Join(want, " ") {
		t.Errorf("the parts do not carry the text's words in order")
	}
}

func TestRenderCutsAWordLongerThanTheLimit(t *testing.T) {
	text := strings.Repeat("ß", 5000) // one "word"
	parts := render(core.Message{Text: text}, MaxText)
	if len(parts) != 2 || units(parts[0]) != MaxText || strings.Join(parts, "") != text {
		t.Fatalf("parts of %d and %d units", units(parts[0]), units(parts[len(parts)-1]))
	}
}

func TestKeyboardLayouts(t *testing.T) {
	rows := func(cs []core.Choice) []int {
		kb, err := keyboard(cs)
		if err != nil {
			t.Fatal(err)
		}
		var n []int
		for _, r := range kb.InlineKeyboard {
			n = append(n, len(r))
		}
		return n
	}
	five := scale(1)[:5]
	tests := []struct {
		name string
		cs   []core.Choice
		want string
	}{
		{"ten", scale(1), "[5 5]"},
		{"five", five, "[5]"},
		{"eleven", append(scale(1), core.Choice{Label: "11", Payload: "x"}), "[6 5]"},
		{"nps and skip", append(append(scale(0), scale(1)[9]), core.Choice{Label: "Skip", Payload: "s"}), "[6 5 1]"},
		{"two short", scale(1)[:2], "[2]"},
		{"three words", []core.Choice{{Label: "Alpha", Payload: "a"}, {Label: "Beta", Payload: "b"}, {Label: "Gamma", Payload: "c"}}, "[2 1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fmt.Sprint(rows(tt.cs)); got != tt.want {
				t.Errorf("rows = %s, want %s", got, tt.want)
			}
		})
	}
}

// The messages core builds, rendered the Telegram way: the same set every adapter renders.
func TestRenderCoreMessages(t *testing.T) {
	msgs := kittest.Messages(t)
	for _, name := range kittest.MessageNames {
		t.Run(name, func(t *testing.T) {
			golden.Check(t, filepath.Join("testdata", "core_"+name+".golden"), []byte(goldenText(msgs[name])))
		})
	}
}

// A survey question of every kind, as core builds it, rendered the telegram way: NPS, CSAT, CES,
// a single and a multiple choice, and the multiple choice with two options picked.
func TestRenderCoreQuestions(t *testing.T) {
	msgs := kittest.Questions(t)
	for _, name := range kittest.QuestionNames {
		t.Run(name, func(t *testing.T) {
			golden.Check(t, filepath.Join("testdata", "core_q_"+name+".golden"), []byte(goldenText(msgs[name])))
		})
	}
}
