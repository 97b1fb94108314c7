package fakeslack

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Slack's limits, as the fake enforces them.
const (
	MaxMessageText    = 40000 // characters of a message's text
	MaxMessageBlocks  = 50
	MaxViewBlocks     = 100
	MaxSectionText    = 3000
	MaxSectionFields  = 10
	MaxFieldText      = 2000
	MaxHeaderText     = 150
	MaxActionElements = 25
	MaxButtonText     = 75
	MaxActionID       = 255
	MaxButtonValue    = 2000
	MaxContextItems   = 10
	MaxBlockID        = 255
)

type textObj struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type element struct {
	Type     string   `json:"type"`
	Text     *textObj `json:"text"`
	ActionID string   `json:"action_id"`
	Value    string   `json:"value"`
	Style    string   `json:"style"`
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// ValidateBlocks checks a blocks array against Slack's limits and returns what is wrong, in
// Slack's "[ERROR] …" style; none means valid.
func ValidateBlocks(raw []byte, maxBlocks int) []string {
	var blocks []anyBlock
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return []string{"[ERROR] blocks must be a JSON array of block objects"}
	}
	var out []string
	bad := func(i int, format string, args ...any) {
		out = append(out, fmt.Sprintf("[ERROR] "+format+" [json-pointer:/blocks/%d]", append(args, i)...))
	}
	if len(blocks) > maxBlocks {
		out = append(out, fmt.Sprintf("[ERROR] no more than %d items allowed [json-pointer:/blocks]", maxBlocks))
	}
	actionIDs := map[string]bool{}
	for i, b := range blocks {
		if runes(b.BlockID) > MaxBlockID {
			bad(i, "block_id must be at most %d characters", MaxBlockID)
		}
		switch b.Type {
		case "section":
			if b.Text == nil && len(b.Fields) == 0 {
				bad(i, "section needs text or fields")
			}
			if b.Text != nil && (b.Text.Text == "" || runes(b.Text.Text) > MaxSectionText) {
				bad(i, "section text must be 1 to %d characters, got %d", MaxSectionText, runes(b.Text.Text))
			}
			if len(b.Fields) > MaxSectionFields {
				bad(i, "no more than %d fields allowed", MaxSectionFields)
			}
			for _, f := range b.Fields {
				if f.Text == "" || runes(f.Text) > MaxFieldText {
					bad(i, "field text must be 1 to %d characters", MaxFieldText)
				}
			}
		case "header":
			if b.Text == nil || b.Text.Type != "plain_text" || b.Text.Text == "" || runes(b.Text.Text) > MaxHeaderText {
				bad(i, "header text must be plain_text of 1 to %d characters", MaxHeaderText)
			}
		case "actions":
			if len(b.Elements) == 0 || len(b.Elements) > MaxActionElements {
				bad(i, "actions need 1 to %d elements", MaxActionElements)
			}
			for _, raw := range b.Elements {
				var e element
				if json.Unmarshal(raw, &e) != nil || e.Type != "button" {
					continue
				}
				switch {
				case e.Text == nil || e.Text.Type != "plain_text" || e.Text.Text == "" || runes(e.Text.Text) > MaxButtonText:
					bad(i, "button text must be plain_text of 1 to %d characters", MaxButtonText)
				case runes(e.ActionID) > MaxActionID:
					bad(i, "action_id must be at most %d characters", MaxActionID)
				case runes(e.Value) > MaxButtonValue:
					bad(i, "button value must be at most %d characters", MaxButtonValue)
				case e.Style != "" && e.Style != "primary" && e.Style != "danger":
					bad(i, "button style must be primary or danger")
				case e.ActionID != "" && actionIDs[e.ActionID]:
					bad(i, "action_id %q is not unique", e.ActionID)
				}
				actionIDs[e.ActionID] = true
			}
		case "context":
			if len(b.Elements) == 0 || len(b.Elements) > MaxContextItems {
				bad(i, "context needs 1 to %d elements", MaxContextItems)
			}
			for _, raw := range b.Elements {
				var e textObj
				if json.Unmarshal(raw, &e) != nil || runes(e.Text) > MaxSectionText {
					bad(i, "context text must be at most %d characters", MaxSectionText)
				}
			}
		case "divider", "input", "image", "rich_text", "markdown":
		default:
			bad(i, "unsupported block type %q", b.Type)
		}
	}
	return out
}

// Button is a button of a message, as a person sees it.
type Button struct {
	BlockID, ActionID, Text, Value, Style string
}

type anyBlock struct {
	Type     string            `json:"type"`
	BlockID  string            `json:"block_id"`
	Text     *textObj          `json:"text"`
	Fields   []textObj         `json:"fields"`
	Elements []json.RawMessage `json:"elements"`
}

// Buttons returns the buttons of the message, in order.
func (m Message) Buttons() []Button { return buttons(m.Blocks) }

func buttons(raw json.RawMessage) []Button {
	var blocks []anyBlock
	_ = json.Unmarshal(raw, &blocks)
	var out []Button
	for _, b := range blocks {
		if b.Type != "actions" {
			continue
		}
		for _, e := range b.Elements {
			var el struct {
				Type     string  `json:"type"`
				Text     textObj `json:"text"`
				ActionID string  `json:"action_id"`
				Value    string  `json:"value"`
				Style    string  `json:"style"`
			}
			if json.Unmarshal(e, &el) == nil && el.Type == "button" {
				out = append(out, Button{BlockID: b.BlockID, ActionID: el.ActionID, Text: el.Text.Text, Value: el.Value, Style: el.Style})
			}
		}
	}
	return out
}

// Shown returns every piece of text the message shows (fallback text excluded), one per line.
func (m Message) Shown() string { return shown(m.Blocks) }

// Shown returns every piece of text the ephemeral message shows, or its text without blocks.
func (e Ephemeral) Shown() string {
	if len(e.Blocks) == 0 {
		return e.Text
	}
	return shown(e.Blocks)
}

func shown(raw json.RawMessage) string {
	var blocks []anyBlock
	_ = json.Unmarshal(raw, &blocks)
	var sb strings.Builder
	add := func(s string) {
		if s != "" {
			sb.WriteString(s)
			sb.WriteByte('\n')
		}
	}
	for _, b := range blocks {
		if b.Text != nil {
			add(b.Text.Text)
		}
		for _, f := range b.Fields {
			add(f.Text)
		}
		for _, e := range b.Elements {
			var el struct {
				Type string `json:"type"`
			}
			_ = json.Unmarshal(e, &el)
			if el.Type == "mrkdwn" || el.Type == "plain_text" {
				var t textObj
				_ = json.Unmarshal(e, &t)
				add(t.Text)
			}
		}
	}
	return sb.String()
}
