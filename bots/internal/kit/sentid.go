package kit

import "strings"

// SentID encodes a delivered message as "<chat>/<message>": a message id is unique only
// within its chat on every platform, and an edit or a thread needs both. Incoming.ThreadID
// uses the same encoding, so the core can match a reply to the card it answers.
func SentID(chat, message string) string { return chat + "/" + message }

// ParseSentID splits a SentID; ok is false unless both parts are there.
func ParseSentID(id string) (chat, message string, ok bool) {
	chat, message, ok = strings.Cut(id, "/")
	return chat, message, ok && chat != "" && message != ""
}
