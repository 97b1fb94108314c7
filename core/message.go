package core

import "time"

// MaxPayload is the longest button payload core produces, in bytes. It fits Telegram's
// callback data (64 bytes), Slack's action values and Discord's custom ids.
const MaxPayload = 64

// Incoming is one inbound event from a platform, already translated by its adapter: a text
// message, a command, or a button press. The adapter fills what its platform knows.
type Incoming struct {
	// Platform and EventID identify the event for deduplication: a redelivered event with
	// the same pair has no second effect. EventID must be unique per platform
	// (Telegram update_id, Slack event_id, Discord message or interaction id).
	Platform Platform
	EventID  string

	From UserRef // who sent it
	Chat ChatRef // where: a DM with the bot, or a group/channel
	// Direct is true when Chat is a one-to-one chat between From and the bot.
	Direct bool

	// Text is the message text or the command line ("/ack C-12", "ack C-12", "7/10").
	// For a button with a note (Action.NeedsNote) it is the note typed into the form.
	Text string
	// Action is the payload of the button pressed, exactly as core made it; empty for text.
	Action string
	// ThreadID is the platform id of the message whose thread this was posted in (the card
	// of a complaint), empty when not in a thread.
	ThreadID string

	// What the platform tells of the sender; empty fields change nothing on the contact.
	Name     string
	Locale   string // BCP 47 language tag, as the platform gives it
	TimeZone string // IANA zone, when the platform knows it

	// Inline asks for replies to the sender to come back in Response.Replies instead of
	// through the outbox: the platform shows them privately (a slash command's ephemeral
	// answer, an interaction response). Messages to anyone else still use the outbox.
	Inline bool

	At time.Time // when the platform says it happened; zero means now
}

// Response is what Handle gives back to the adapter synchronously.
type Response struct {
	// Duplicate is true when the event was seen before and had no effect now.
	Duplicate bool
	// Notice is a short line for the person who pressed a button (a Telegram callback answer,
	// a toast); empty when there is nothing to say.
	Notice string
	// Replies are messages for the sender when Incoming.Inline was set.
	Replies []Message
}

// Message is one outbound message in neutral form. Adapters render it in their platform's
// format and escape every piece of text: all text here is plain, never markup.
type Message struct {
	Title string // a heading shown bold; optional
	Text  string // the body
	// Pre marks Text as preformatted: shown in a monospace block, line breaks kept.
	Pre     bool
	Fields  []Field  // label/value pairs, for cards
	Choices []Choice // buttons under the message
	// Footer is a small line under everything else; optional.
	Footer string
	// Event, when set, is a notification for a webhook endpoint (To.Platform is Webhook);
	// the fields above are then empty.
	Event *Event `json:",omitempty"`
	// Image is a picture shown with the message (the digest's chart); nil for none.
	// Adapters that cannot upload it yet send the message without it: the text says it all.
	Image *Image `json:",omitempty"`
}

// Image is a PNG picture attached to a message.
type Image struct {
	Name string // a file name, "digest-2026-W47.png"
	PNG  []byte
	Alt  string // what it shows, in words, for people who cannot see it
}

// Field is one label/value pair of a card.
type Field struct {
	Label string
	Value string
	Short bool // may share a line with its neighbour
}

// Choice is a button. Payload is opaque to adapters, at most MaxPayload bytes, and comes back
// as Incoming.Action when pressed.
type Choice struct {
	Label   string
	Payload string
	Style   Style
	// NeedsNote asks the adapter to collect a short note first where its platform has forms
	// (a Slack or Discord modal); the note comes back as Incoming.Text with the Action.
	// Platforms without forms send the Action with empty Text.
	NeedsNote bool
	NoteLabel string // the form's label, when NeedsNote
}

// Style hints at a button's colour.
type Style string

// Button styles.
const (
	StyleDefault Style = ""
	StylePrimary Style = "primary"
	StyleDanger  Style = "danger"
)
