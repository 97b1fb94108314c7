package fakediscord

import (
	"encoding/json"
	"time"
)

// Message is a message as the fake holds it (and as it serves it on the wire).
type Message struct {
	ID              string       `json:"id"`
	ChannelID       string       `json:"channel_id"`
	GuildID         string       `json:"guild_id,omitempty"`
	Author          User         `json:"author"`
	Content         string       `json:"content"`
	Embeds          []Embed      `json:"embeds"`
	Components      []Component  `json:"components"`
	Attachments     []Attachment `json:"attachments"`
	Flags           int          `json:"flags,omitempty"`
	Nonce           string       `json:"nonce,omitempty"`
	Timestamp       time.Time    `json:"timestamp"`
	EditedTimestamp *time.Time   `json:"edited_timestamp"`
	Reference       *MessageRef  `json:"message_reference,omitempty"`
	// Referenced is the message replied to, as Discord sends it in MESSAGE_CREATE.
	Referenced      *Message         `json:"referenced_message,omitempty"`
	AllowedMentions *json.RawMessage `json:"-"`
	// Edits counts the PATCHes applied.
	Edits int `json:"-"`
}

// Attachment is a file on a message.
type Attachment struct {
	ID          string `json:"id"`
	Filename    string `json:"filename"`
	URL         string `json:"url"`
	Size        int    `json:"size,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Description string `json:"description,omitempty"` // alt text
	// Data is what the bot uploaded.
	Data []byte `json:"-"`
}

// MessageRef is a reply's reference.
type MessageRef struct {
	MessageID string `json:"message_id"`
	ChannelID string `json:"channel_id,omitempty"`
}

// Embed is a rich embed.
type Embed struct {
	Type        string       `json:"type,omitempty"`
	Title       string       `json:"title,omitempty"`
	Description string       `json:"description,omitempty"`
	Color       int          `json:"color,omitempty"`
	Fields      []EmbedField `json:"fields,omitempty"`
	Footer      *EmbedFooter `json:"footer,omitempty"`
	Image       *EmbedImage  `json:"image,omitempty"`
}

// EmbedImage is an embed's picture; "attachment://name" names a file of the same message.
type EmbedImage struct {
	URL string `json:"url"`
}

// EmbedField is one field of an embed.
type EmbedField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline,omitempty"`
}

// EmbedFooter is an embed's footer.
type EmbedFooter struct {
	Text string `json:"text"`
}

// Component is a message component: an action row (type 1) holding buttons (type 2), or a
// text input (type 4) in a modal.
type Component struct {
	Type       int         `json:"type"`
	CustomID   string      `json:"custom_id,omitempty"`
	Label      string      `json:"label,omitempty"`
	Style      int         `json:"style,omitempty"`
	Disabled   bool        `json:"disabled,omitempty"`
	Value      string      `json:"value,omitempty"`
	Components []Component `json:"components,omitempty"`
}

// Buttons returns the custom ids of the message's buttons, row by row.
func (m Message) Buttons() []string {
	var out []string
	for _, row := range m.Components {
		for _, c := range row.Components {
			if c.Type == 2 {
				out = append(out, c.CustomID)
			}
		}
	}
	return out
}

func (m *Message) clone() Message {
	c := *m
	c.Embeds = append([]Embed(nil), m.Embeds...)
	c.Attachments = append([]Attachment(nil), m.Attachments...)
	c.Components = append([]Component(nil), m.Components...)
	return c
}

// messageBody is the JSON of a create or edit.
type messageBody struct {
	Content         *string          `json:"content"`
	Embeds          *[]Embed         `json:"embeds"`
	Components      *[]Component     `json:"components"`
	AllowedMentions *json.RawMessage `json:"allowed_mentions"`
	Nonce           json.RawMessage  `json:"nonce"`
	EnforceNonce    bool             `json:"enforce_nonce"`
	Flags           int              `json:"flags"`
	Reference       *MessageRef      `json:"message_reference"`
}

// nonce returns the nonce as a string (Discord accepts a string or an integer).
func (b messageBody) nonce() string {
	if len(b.Nonce) == 0 || string(b.Nonce) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(b.Nonce, &s) == nil {
		return s
	}
	return string(b.Nonce)
}

// validate applies Discord's limits to a message body.
func (b messageBody) validate(create bool) *apiError {
	if b.Content != nil && len([]rune(*b.Content)) > 2000 {
		e := formError("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
		return &e
	}
	if len(b.nonce()) > 25 {
		e := formError("nonce", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
		return &e
	}
	if b.Embeds != nil {
		if len(*b.Embeds) > 10 {
			e := formError("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
			return &e
		}
		for _, em := range *b.Embeds {
			if len([]rune(em.Description)) > 4096 {
				e := formError("embeds.0.description", "BASE_TYPE_MAX_LENGTH", "Must be 4096 or fewer in length.")
				return &e
			}
			if len([]rune(em.Title)) > 256 {
				e := formError("embeds.0.title", "BASE_TYPE_MAX_LENGTH", "Must be 256 or fewer in length.")
				return &e
			}
			if len(em.Fields) > 25 {
				e := formError("embeds.0.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
				return &e
			}
			for _, f := range em.Fields {
				if f.Name == "" || f.Value == "" || len([]rune(f.Value)) > 1024 || len([]rune(f.Name)) > 256 {
					e := formError("embeds.0.fields.0", "BASE_TYPE_BAD_LENGTH", "Field name and value must be 1-256 and 1-1024 long.")
					return &e
				}
			}
		}
	}
	if b.Components != nil {
		if e := validateComponents(*b.Components); e != nil {
			return e
		}
	}
	if create {
		empty := (b.Content == nil || *b.Content == "") && (b.Embeds == nil || len(*b.Embeds) == 0) &&
			(b.Components == nil || len(*b.Components) == 0)
		if empty {
			return &apiError{Code: 50006, Message: "Cannot send an empty message"}
		}
	}
	return nil
}

func validateComponents(rows []Component) *apiError {
	if len(rows) > 5 {
		e := formError("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
		return &e
	}
	for _, row := range rows {
		if row.Type != 1 || len(row.Components) == 0 || len(row.Components) > 5 {
			e := formError("components.0", "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "An action row holds 1 to 5 buttons.")
			return &e
		}
		for _, c := range row.Components {
			if c.Type != 2 || c.CustomID == "" || len([]rune(c.CustomID)) > 100 || len([]rune(c.Label)) > 80 {
				e := formError("components.0.components.0", "BASE_TYPE_BAD_LENGTH", "A button needs a custom_id of 1-100 and a label up to 80.")
				return &e
			}
		}
	}
	return nil
}

// apply copies the body's fields onto m.
func (b messageBody) apply(m *Message) {
	if b.Content != nil {
		m.Content = *b.Content
	}
	if b.Embeds != nil {
		m.Embeds = append([]Embed(nil), (*b.Embeds)...)
		for i := range m.Embeds {
			if m.Embeds[i].Type == "" {
				m.Embeds[i].Type = "rich"
			}
		}
	}
	if b.Components != nil {
		m.Components = append([]Component(nil), (*b.Components)...)
	}
	if b.AllowedMentions != nil {
		m.AllowedMentions = b.AllowedMentions
	}
	if b.Flags != 0 {
		m.Flags = b.Flags
	}
	if b.Reference != nil {
		m.Reference = b.Reference
	}
}
