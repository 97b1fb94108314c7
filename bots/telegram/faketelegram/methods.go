package faketelegram

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxTextLength is Telegram's limit on a message's text after entity parsing, in UTF-16
// code units.
const MaxTextLength = 4096

// chatLocked returns the chat with the id, creating it (private for positive ids, a group
// otherwise) if needed. s.mu must be held.
func (s *Server) chatLocked(id int64) *chat {
	c, ok := s.chats[id]
	if !ok {
		typ := "group"
		if id > 0 {
			typ = "private"
		} else if id < -1000000000000 {
			typ = "supergroup"
		}
		c = &chat{wire: wireChat{ID: id, Type: typ}}
		s.chats[id] = c
	}
	return c
}

// targetLocked resolves the chat_id of a call that sends to a chat, refusing what Telegram
// refuses. s.mu must be held.
func (s *Server) targetLocked(raw string) (*chat, *apiError) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id == 0 {
		return nil, badRequest("chat not found")
	}
	if id > 0 {
		if s.blocked[id] {
			return nil, forbidden("bot was blocked by the user")
		}
		if !s.started[id] {
			return nil, forbidden("bot can't initiate conversation with a user")
		}
		return s.chatLocked(id), nil
	}
	c, ok := s.chats[id]
	if !ok {
		return nil, badRequest("chat not found")
	}
	if c.migratedTo != 0 {
		return nil, &apiError{code: http.StatusBadRequest,
			description: "Bad Request: group chat was upgraded to a supergroup chat",
			params:      &wireParameters{MigrateToChatID: c.migratedTo}}
	}
	return c, nil
}

// parseText applies the parse mode and Telegram's length limits; it returns the visible text.
func parseText(text, mode string) (string, *apiError) {
	plain := text
	switch strings.ToLower(mode) {
	case "":
	case "html":
		var err error
		if plain, err = parseHTML(text); err != nil {
			return "", badRequest("can't parse entities: " + err.Error())
		}
	default:
		return "", badRequest("unsupported parse_mode " + strconv.Quote(mode) + " in this fake")
	}
	plain = strings.TrimSpace(plain)
	if plain == "" {
		return "", badRequest("message text is empty")
	}
	if textLength(plain) > MaxTextLength {
		return "", badRequest("message is too long")
	}
	return plain, nil
}

// parseKeyboard reads an inline keyboard from reply_markup; nil when absent.
func parseKeyboard(raw string) ([][]Button, *apiError) {
	if raw == "" {
		return nil, nil
	}
	var kb struct {
		InlineKeyboard [][]map[string]json.RawMessage `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(raw), &kb); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	var out [][]Button
	for _, row := range kb.InlineKeyboard {
		var r []Button
		for _, b := range row {
			var btn Button
			_ = json.Unmarshal(b["text"], &btn.Text)
			_ = json.Unmarshal(b["callback_data"], &btn.Data)
			_ = json.Unmarshal(b["url"], &btn.URL)
			if raw, ok := b["copy_text"]; ok {
				// go-telegram/bot v1.19.0 sends an empty copy_text with every button;
				// Telegram has been seen to refuse it (go-telegram/bot#167).
				var ct struct {
					Text string `json:"text"`
				}
				if json.Unmarshal(raw, &ct) != nil || ct.Text == "" {
					return nil, badRequest("BUTTON_COPY_TEXT_INVALID")
				}
			}
			if btn.Text == "" {
				return nil, badRequest("text buttons are unallowed in the inline keyboard")
			}
			if btn.URL == "" && (len(btn.Data) < 1 || len(btn.Data) > 64) {
				return nil, badRequest("BUTTON_DATA_INVALID")
			}
			r = append(r, btn)
		}
		if len(r) > 8 {
			return nil, badRequest("too many buttons in a row")
		}
		if len(r) > 0 {
			out = append(out, r)
		}
	}
	return out, nil
}

func replyTarget(p map[string]string) (id int, allowMissing bool) {
	if raw := p["reply_parameters"]; raw != "" {
		var rp wireReplyParameters
		if json.Unmarshal([]byte(raw), &rp) == nil {
			return rp.MessageID, rp.AllowSendingWithoutReply
		}
	}
	id, _ = strconv.Atoi(p["reply_to_message_id"])
	return id, p["allow_sending_without_reply"] == "true"
}

func (c *chat) find(id int) *message {
	for _, m := range c.messages {
		if m.id == id {
			return m
		}
	}
	return nil
}

func (s *Server) botUser() wireUser {
	return wireUser{ID: s.BotID, IsBot: true, FirstName: s.botName, Username: s.BotUsername}
}

func (s *Server) sendMessage(p map[string]string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.targetLocked(p["chat_id"])
	if e != nil {
		return nil, e
	}
	plain, e := parseText(p["text"], p["parse_mode"])
	if e != nil {
		return nil, e
	}
	kb, e := parseKeyboard(p["reply_markup"])
	if e != nil {
		return nil, e
	}
	replyTo, allowMissing := replyTarget(p)
	if replyTo != 0 && c.find(replyTo) == nil {
		if !allowMissing {
			return nil, badRequest("message to be replied not found")
		}
		replyTo = 0
	}
	c.nextID++
	m := &message{id: c.nextID, from: s.botUser(), fromBot: true, text: plain, html: p["text"],
		keyboard: kb, replyTo: replyTo, date: time.Now().Unix()}
	c.messages = append(c.messages, m)
	s.notifyLocked()
	return s.wireMessageLocked(c, m), nil
}

// editTarget finds the bot message an edit names.
func (s *Server) editTarget(p map[string]string) (*chat, *message, *apiError) {
	if p["inline_message_id"] != "" {
		return nil, nil, badRequest("inline messages are not supported by this fake")
	}
	c, e := s.targetLocked(p["chat_id"])
	if e != nil {
		return nil, nil, e
	}
	id, _ := strconv.Atoi(p["message_id"])
	m := c.find(id)
	if m == nil {
		return nil, nil, badRequest("message to edit not found")
	}
	if !m.fromBot {
		return nil, nil, badRequest("message can't be edited")
	}
	return c, m, nil
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

func (s *Server) editMessageText(p map[string]string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, e := s.editTarget(p)
	if e != nil {
		return nil, e
	}
	plain, e := parseText(p["text"], p["parse_mode"])
	if e != nil {
		return nil, e
	}
	kb, e := parseKeyboard(p["reply_markup"])
	if e != nil {
		return nil, e
	}
	if m.html == p["text"] && keyboardsEqual(m.keyboard, kb) {
		return nil, badRequest(notModified)
	}
	m.text, m.html, m.keyboard = plain, p["text"], kb
	m.edits++
	s.notifyLocked()
	return s.wireMessageLocked(c, m), nil
}

func (s *Server) editMessageReplyMarkup(p map[string]string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, e := s.editTarget(p)
	if e != nil {
		return nil, e
	}
	kb, e := parseKeyboard(p["reply_markup"])
	if e != nil {
		return nil, e
	}
	if keyboardsEqual(m.keyboard, kb) {
		return nil, badRequest(notModified)
	}
	m.keyboard = kb
	m.edits++
	s.notifyLocked()
	return s.wireMessageLocked(c, m), nil
}

func keyboardsEqual(a, b [][]Button) bool {
	return slices.EqualFunc(a, b, func(x, y []Button) bool { return slices.Equal(x, y) })
}

func (s *Server) answerCallbackQuery(p map[string]string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.queries[p["callback_query_id"]]
	if !ok || q.answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	if utf8.RuneCountInString(p["text"]) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	q.answered, q.text, q.showAlert = true, p["text"], p["show_alert"] == "true"
	s.notifyLocked()
	return true, nil
}

var (
	commandName  = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	languageCode = regexp.MustCompile(`^[a-z]{2}$`) // ISO 639-1, as setMyCommands takes it
)

func scopeKey(p map[string]string) (string, *apiError) {
	key := "default"
	if raw := p["scope"]; raw != "" {
		var sc wireScope
		if err := json.Unmarshal([]byte(raw), &sc); err != nil || sc.Type == "" {
			return "", badRequest("can't parse BotCommandScope JSON object")
		}
		key = sc.Type
		if sc.ChatID != nil {
			key += ":" + fmt.Sprint(sc.ChatID)
		}
	}
	if lc := p["language_code"]; lc != "" {
		if !languageCode.MatchString(lc) {
			return "", badRequest("bad language code: want a two-letter ISO 639-1 code")
		}
		key += "/" + lc
	}
	return key, nil
}

func (s *Server) setMyCommands(p map[string]string) (any, *apiError) {
	key, e := scopeKey(p)
	if e != nil {
		return nil, e
	}
	var cmds []Command
	if err := json.Unmarshal([]byte(p["commands"]), &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, badRequest("too many commands")
	}
	for _, c := range cmds {
		if !commandName.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(c.Description); n < 1 || n > 256 {
			return nil, badRequest("command description is empty or too long")
		}
	}
	s.mu.Lock()
	s.commands[key] = cmds
	s.notifyLocked()
	s.mu.Unlock()
	return true, nil
}

func (s *Server) deleteMyCommands(p map[string]string) (any, *apiError) {
	key, e := scopeKey(p)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	delete(s.commands, key)
	s.mu.Unlock()
	return true, nil
}

// wireMessageLocked renders a stored message as the Bot API returns it.
func (s *Server) wireMessageLocked(c *chat, m *message) *wireMessage {
	from := m.from
	w := &wireMessage{MessageID: m.id, From: &from, Chat: c.wire, Date: m.date, Text: m.text}
	if m.edits > 0 {
		w.EditDate = m.date
	}
	if m.media != "" {
		f := &wireFile{FileID: "file" + strconv.Itoa(m.id), FileUniqueID: "u" + strconv.Itoa(m.id)}
		switch m.media {
		case "photo":
			f.Width, f.Height = 640, 480
			w.Photo = []wireFile{*f}
		case "sticker":
			f.Width, f.Height, f.Type = 512, 512, "regular"
			w.Sticker = f
		case "voice":
			f.Duration = 3
			w.Voice = f
		default:
			w.Document = f
		}
		w.Caption, w.Text = m.text, ""
		return w
	}
	if strings.HasPrefix(m.text, "/") && !m.fromBot {
		word, _, _ := strings.Cut(m.text, " ")
		word, _, _ = strings.Cut(word, "\n")
		w.Entities = []wireEntity{{Type: "bot_command", Offset: 0, Length: textLength(word)}}
	}
	if len(m.keyboard) > 0 {
		kb := &wireKeyboard{}
		for _, row := range m.keyboard {
			var r []wireButton
			for _, b := range row {
				r = append(r, wireButton{Text: b.Text, CallbackData: b.Data, URL: b.URL})
			}
			kb.InlineKeyboard = append(kb.InlineKeyboard, r)
		}
		w.ReplyMarkup = kb
	}
	if m.replyTo != 0 {
		if r := c.find(m.replyTo); r != nil {
			rw := *s.wireMessageLocked(c, &message{id: r.id, from: r.from, fromBot: r.fromBot, text: r.text, date: r.date, edits: r.edits})
			w.ReplyToMessage = &rw
		}
	}
	return w
}
