package discord

import (
	"earshot/bots/internal/kittest"
	"earshot/core/coretest/golden"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"earshot/core"
)

func scale() []core.Choice {
	var cs []core.Choice
	for i := 1; i <= 10; i++ {
		n := string(rune('0' + i%10))
		if i == 10 {
			n = "10"
		}
		cs = append(cs, core.Choice{Label: n, Payload: "s:7:q1:" + n})
	}
	return cs
}

// goldenBody renders m as the JSON bodies Deliver posts.
func goldenBody(t *testing.T, m core.Message) []byte {
	t.Helper()
	msgs, primary := render(m, false)
	var bodies []any
	for i, r := range msgs {
		bodies = append(bodies, map[string]any{"primary": i == primary, "body": messageSend{
			MessageSend: &discordgo.MessageSend{Content: r.Content, Embeds: r.Embeds, Components: r.Components,
				AllowedMentions: noMentions()}, Nonce: nonce(17, i), EnforceNonce: true}})
	}
	out, err := json.MarshalIndent(bodies, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

func TestRenderGolden(t *testing.T) {
	tests := []struct {
		name string
		msg  core.Message
	}{
		{"question", core.Message{Text: "How courteous were we?", Footer: "Question 1 of 4", Choices: scale()}},
		{"card", core.Message{Title: "Complaint C-12", Text: "The bike arrived with a *bent* wheel.",
			Fields: []core.Field{{Label: "Customer", Value: "Dana (telegram:42)", Short: true},
				{Label: "Reply by", Value: "2026-11-24 09:00", Short: true}, {Label: "Status", Value: ""}},
			Choices: []core.Choice{{Label: "Acknowledge", Payload: "ack:12", Style: core.StylePrimary},
				{Label: "Resolve", Payload: "resolve:12", Style: core.StyleDanger, NeedsNote: true, NoteLabel: "What was done?"}},
			Footer: "Opened 2026-11-23 10:00"}},
		{"digest", core.Message{Title: "Week 2026-W47", Pre: true,
			Text: "courtesy  7.5 (+0.4) ▁▂▄▆█\nspeed     6.0 (-1.0)\n```not a fence```"}},
		{"markdown", core.Message{Text: "# not a heading\n- not a list\n1. not a list\n> not a quote\n" +
			"**bold** _it_ ~~s~~ ||spoiler|| `code` [link](https://x.example) <@123> @everyone \\o/"}},
		{"confirm", core.Message{Text: "Is your problem solved?", Choices: []core.Choice{
			{Label: "Yes", Payload: "confirm:12:yes", Style: core.StylePrimary}, {Label: "No", Payload: "confirm:12:no"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := goldenBody(t, tt.msg)
			golden.Check(t, filepath.Join("testdata", tt.name+".golden"), got)
		})
	}
}

func TestRenderScaleRows(t *testing.T) {
	msgs, primary := render(core.Message{Text: "Score?", Choices: scale()}, false)
	rows := msgs[primary].Components
	if len(rows) != 2 {
		t.Fatalf("rows = %d, want 2", len(rows))
	}
	for i, r := range rows {
		if n := len(r.(discordgo.ActionsRow).Components); n != 5 {
			t.Errorf("row %d has %d buttons, want 5", i, n)
		}
	}
}

func TestSplitContent(t *testing.T) {
	para := strings.Repeat("word ", 150) // 750 characters
	long := para + "\n" + para + "\n" + para + "\n" + strings.Repeat("x", 2500)
	msgs, primary := render(core.Message{Text: long, Choices: []core.Choice{{Label: "OK", Payload: "ok"}}}, false)
	if len(msgs) < 3 {
		t.Fatalf("parts = %d, want at least 3", len(msgs))
	}
	var joined strings.Builder
	for i, m := range msgs {
		if n := utf8.RuneCountInString(m.Content); n > maxContent || n == 0 {
			t.Errorf("part %d has %d characters", i, n)
		}
		if (m.Components != nil) != (i == primary) {
			t.Errorf("part %d components %v, primary %d", i, m.Components != nil, primary)
		}
		joined.WriteString(m.Content)
	}
	if primary != len(msgs)-1 {
		t.Errorf("primary = %d, want the last part (with the buttons)", primary)
	}
	if !strings.HasPrefix(msgs[0].Content, "word word") || strings.HasSuffix(msgs[0].Content, " wor") {
		t.Errorf("first part does not end on a boundary: …%q", msgs[0].Content[len(msgs[0].Content)-10:])
	}
	strip := func(s string) string { return strings.NewReplacer("\n", "", " ", "").Replace(s) }
	if strip(joined.String()) != strip(long) {
		t.Error("split lost or changed text")
	}
}

func TestSplitKeepsEscapes(t *testing.T) {
	s := escape(strings.Repeat("*", 3000))
	for i, p := range split(s, maxContent) {
		if strings.Count(p, `\`) != strings.Count(p, "*") {
			t.Errorf("part %d splits an escape", i)
		}
	}
}

func TestEmbedDescriptionSplit(t *testing.T) {
	msgs, primary := render(core.Message{Title: "Digest", Text: strings.Repeat("line of text\n", 700)}, false)
	if primary != 0 || len(msgs) != 3 {
		t.Fatalf("messages = %d primary %d, want 3 and 0", len(msgs), primary)
	}
	for i, m := range msgs {
		if n := utf8.RuneCountInString(m.Embeds[0].Description); n > maxDescription {
			t.Errorf("embed %d description has %d characters", i, n)
		}
	}
}

func TestEscapeInvalidUTF8(t *testing.T) {
	if got := escape("ok \xff"); !utf8.ValidString(got) {
		t.Errorf("escape(%q) = %q, not valid UTF-8", "ok \xff", got)
	}
}

// The messages core builds, rendered the Discord way: the same set every adapter renders.
func TestRenderCoreMessages(t *testing.T) {
	msgs := kittest.Messages(t)
	for _, name := range kittest.MessageNames {
		t.Run(name, func(t *testing.T) {
			golden.Check(t, filepath.Join("testdata", "core_"+name+".golden"), goldenBody(t, msgs[name]))
		})
	}
}

// A survey question of every kind, as core builds it, rendered the discord way: NPS, CSAT, CES,
// a single and a multiple choice, and the multiple choice with two options picked.
func TestRenderCoreQuestions(t *testing.T) {
	msgs := kittest.Questions(t)
	for _, name := range kittest.QuestionNames {
		t.Run(name, func(t *testing.T) {
			golden.Check(t, filepath.Join("testdata", "core_q_"+name+".golden"), goldenBody(t, msgs[name]))
		})
	}
}

// TestButtonRowsStayInDiscordsLimits: every survey layout is at most five rows of at most
// five buttons, balanced, and keeps every button up to 25.
func TestButtonRowsStayInDiscordsLimits(t *testing.T) {
	n := func(k int) []core.Choice {
		cs := make([]core.Choice, k)
		for i := range cs {
			cs[i] = core.Choice{Label: strconv.Itoa(i), Payload: "s:1:0:" + strconv.Itoa(i)}
		}
		return cs
	}
	for k, want := range map[int]string{2: "[2]", 5: "[5]", 7: "[4 3]", 10: "[5 5]", 11: "[4 4 3]", 12: "[4 4 4]",
		22: "[5 5 5 5 2]", 25: "[5 5 5 5 5]", 30: "[5 5 5 5 5]"} {
		var rows []int
		for _, r := range buttons(n(k)) {
			rows = append(rows, len(r.(discordgo.ActionsRow).Components))
		}
		if got := fmt.Sprint(rows); got != want {
			t.Errorf("%d buttons: rows %s, want %s", k, got, want)
		}
	}
}
