package faketelegram

import (
	"fmt"
	"maps"
	"strings"
	"time"
)

// Message is a message as a chat shows it now, after edits.
type Message struct {
	ID      int
	ChatID  int64
	From    int64 // the sender's user id (the bot's id for the bot's messages)
	FromBot bool
	Text    string // the visible text
	HTML    string // for bot messages: the text as sent, before parsing
	// Keyboard is the inline keyboard shown under the message, row by row.
	Keyboard [][]Button
	ReplyTo  int // the id of the message this one replies to
	Edits    int
	// Media is "photo", "sticker", … for a message that carries one (Text is then its
	// caption); Photo is the bytes of a photo the bot uploaded.
	Media string
	Photo []byte
}

// Button is an inline keyboard button.
type Button struct {
	Text string
	Data string // callback_data
	URL  string
}

// Labels returns the keyboard's button labels, row by row.
func (m Message) Labels() [][]string {
	var out [][]string
	for _, row := range m.Keyboard {
		var r []string
		for _, b := range row {
			r = append(r, b.Text)
		}
		out = append(out, r)
	}
	return out
}

// Call is one API call the server received.
type Call struct {
	Method string
	Params map[string]string
	// Code is 200 for success, or the error_code returned.
	Code        int
	Description string
	At          time.Time
}

// Command is a registered bot command.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// Messages returns every message in the chat, oldest first.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	out := make([]Message, 0, len(c.messages))
	for _, m := range c.messages {
		kb := make([][]Button, len(m.keyboard))
		for i, row := range m.keyboard {
			kb[i] = append([]Button(nil), row...)
		}
		out = append(out, Message{ID: m.id, ChatID: chatID, From: m.from.ID, FromBot: m.fromBot,
			Text: m.text, HTML: m.html, Keyboard: kb, ReplyTo: m.replyTo, Edits: m.edits,
			Media: m.media, Photo: m.photo})
	}
	return out
}

// BotMessages returns the bot's messages in the chat, oldest first.
func (s *Server) BotMessages(chatID int64) []Message {
	var out []Message
	for _, m := range s.Messages(chatID) {
		if m.FromBot {
			out = append(out, m)
		}
	}
	return out
}

// Calls returns the calls of the method (case-insensitive), or every call for "". A call is
// recorded just after its effect (a message in a chat) and before its answer is sent.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || strings.EqualFold(c.Method, method) {
			c.Params = maps.Clone(c.Params)
			out = append(out, c)
		}
	}
	return out
}

// CallbackAnswer returns the text the bot answered a callback query with; answered is false
// until it did.
func (s *Server) CallbackAnswer(queryID string) (text string, answered bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queries[queryID]
	if q == nil {
		return "", false
	}
	return q.text, q.answered
}

// Commands returns the commands registered for a scope: "default", "all_private_chats",
// "all_group_chats", "chat:<id>", with "/<language_code>" appended when one was given.
func (s *Server) Commands(scope string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Command(nil), s.commands[scope]...)
}

// Webhook returns the webhook URL and secret token set; empty when none.
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hookURL, s.hookSecret
}

// WebhookAttempts counts the POSTs made to webhooks.
func (s *Server) WebhookAttempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hookHits
}

// Confirmed returns the confirmed offset: every update below it is forgotten.
func (s *Server) Confirmed() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.confirmed
}

// Pending returns the ids of updates not yet confirmed.
func (s *Server) Pending() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int64
	for _, u := range s.pending {
		out = append(out, u.UpdateID)
	}
	return out
}

// Wait polls cond until it holds or timeout passes; the error names what was awaited.
func (s *Server) Wait(timeout time.Duration, what string, cond func() bool) error {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("faketelegram: timed out after %v waiting for %s", timeout, what)
		}
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		t := time.NewTimer(10 * time.Millisecond)
		select {
		case <-changed:
		case <-t.C:
		}
		t.Stop()
	}
}

// WaitMessage waits until the chat shows a message matching match and returns the newest
// such message.
func (s *Server) WaitMessage(chatID int64, timeout time.Duration, match func(Message) bool) (Message, error) {
	var found Message
	err := s.Wait(timeout, fmt.Sprintf("a matching message in chat %d", chatID), func() bool {
		ms := s.Messages(chatID)
		for i := len(ms) - 1; i >= 0; i-- {
			if match(ms[i]) {
				found = ms[i]
				return true
			}
		}
		return false
	})
	if err != nil {
		return Message{}, fmt.Errorf("%w; chat shows:\n%s", err, s.Transcript(chatID))
	}
	return found, nil
}

// WaitBotText waits for a bot message in the chat whose text contains substr.
func (s *Server) WaitBotText(chatID int64, timeout time.Duration, substr string) (Message, error) {
	return s.WaitMessage(chatID, timeout, func(m Message) bool {
		return m.FromBot && strings.Contains(m.Text, substr)
	})
}

// WaitConfirmed waits until the update is confirmed (the offset passed it).
func (s *Server) WaitConfirmed(updateID int64, timeout time.Duration) error {
	return s.Wait(timeout, fmt.Sprintf("update %d to be confirmed", updateID), func() bool {
		return s.Confirmed() > updateID
	})
}

// WaitCallbackAnswer waits until the callback query is answered and returns the text.
func (s *Server) WaitCallbackAnswer(queryID string, timeout time.Duration) (string, error) {
	var text string
	err := s.Wait(timeout, "callback query "+queryID+" to be answered", func() bool {
		var ok bool
		text, ok = s.CallbackAnswer(queryID)
		return ok
	})
	return text, err
}

// Transcript renders a chat as text, one message per block, for test failure output.
func (s *Server) Transcript(chatID int64) string {
	var b strings.Builder
	for _, m := range s.Messages(chatID) {
		who := fmt.Sprint(m.From)
		if m.FromBot {
			who = "bot"
		}
		fmt.Fprintf(&b, "#%d %s: %s\n", m.ID, who, m.Text)
		for _, row := range m.Labels() {
			fmt.Fprintf(&b, "   %v\n", row)
		}
	}
	return b.String()
}
