package telegram

import (
	"context"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"earshot/core"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// process hands one update to the core and answers the person. It reports whether the
// update may be confirmed to Telegram: false while the core fails with an internal error
// (so Telegram delivers it again) up to maxAttempts, after which it is logged and skipped.
func (b *Bot) process(ctx context.Context, u *models.Update) bool {
	if m := u.Message; m != nil && m.Chat.Type == models.ChatTypePrivate && m.Text == "" && m.Caption == "" && media(m) {
		b.sendPlain(ctx, chatRef(m.Chat.ID), textOnly)
		return true
	}
	if ref := joinedGroup(u.Message, b.id()); ref != "" {
		b.log.Info("telegram: the bot was added to a group; to send complaint cards there, set team.channel to "+ref,
			"chat", ref, "title", u.Message.Chat.Title)
	}
	in, ok := b.incoming(u)
	if !ok {
		if u.CallbackQuery != nil {
			b.answerCallback(ctx, u.CallbackQuery.ID, "")
		}
		return true
	}
	resp, err := b.handle(ctx, in)
	b.log.Debug("telegram: update handled", "update_id", u.ID, "chat", in.Chat.String(), "thread", in.ThreadID,
		"action", in.Action, "duplicate", resp.Duplicate, "code", core.ErrorCode(err))
	if err != nil && core.ErrorCode(err) == core.EINTERNAL {
		if ctx.Err() != nil {
			return false // shutting down: Telegram gives it to the next run
		}
		n := b.failed(u.ID)
		if n < b.maxAttempts {
			b.log.Warn("telegram: handling an update failed; it will be redelivered",
				"update_id", u.ID, "attempt", n, "err", err)
			return false
		}
		b.log.Error("telegram: update skipped after repeated failures",
			"update_id", u.ID, "attempts", n, "err", err)
	}
	b.forget(u.ID)
	b.respond(ctx, u, in, resp, err)
	return true
}

// textOnly answers, in a private chat, a message core cannot read: a photo, a sticker, a
// voice note without any text. Silence would leave the customer wondering.
const textOnly = "Sorry, I can only read text. Please type your answer, or describe the problem in words."

func media(m *models.Message) bool {
	return len(m.Photo) > 0 || m.Video != nil || m.Voice != nil || m.Audio != nil || m.Document != nil ||
		m.Sticker != nil || m.Animation != nil || m.VideoNote != nil || m.Location != nil || m.Contact != nil
}

// handle calls the core, turning a panic into an internal error so that one bad update
// costs its bounded retries, not the process.
func (b *Bot) handle(ctx context.Context, in core.Incoming) (resp core.Response, err error) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("telegram: the handler panicked", "event_id", in.EventID, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("telegram: handler panicked: %v", r)
		}
	}()
	return b.h.Handle(ctx, in)
}

// failures returns how often handling the update has failed so far.
func (b *Bot) failures(id int64) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.attempts[id]
}

// failed counts a failed attempt at an update and returns the count.
func (b *Bot) failed(id int64) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.attempts[id]++
	return b.attempts[id]
}

func (b *Bot) forget(id int64) {
	b.mu.Lock()
	delete(b.attempts, id)
	b.mu.Unlock()
}

// respond answers the person after the core returned: the callback answer for a button
// (every callback query gets one, so the client stops its spinner), the error's message for
// a refused text, and any inline replies.
func (b *Bot) respond(ctx context.Context, u *models.Update, in core.Incoming, resp core.Response, err error) {
	if err != nil && core.ErrorCode(err) != core.EINTERNAL {
		b.log.Info("telegram: request refused", "update_id", u.ID, "code", core.ErrorCode(err), "err", err)
	}
	if u.CallbackQuery != nil {
		text := resp.Notice
		if err != nil {
			text = core.ErrorMessage(err)
		}
		b.answerCallback(ctx, u.CallbackQuery.ID, text)
	} else if err != nil {
		b.sendPlain(ctx, in.Chat, core.ErrorMessage(err))
	}
	for _, m := range resp.Replies {
		if _, derr := b.Deliver(ctx, core.Delivery{To: in.Chat, Message: m}); derr != nil {
			b.log.Warn("telegram: inline reply not delivered", "chat", in.Chat.String(), "err", derr)
		}
	}
}

func (b *Bot) answerCallback(ctx context.Context, id, text string) {
	ctx, cancel := context.WithTimeout(ctx, b.sendTimeout)
	defer cancel()
	if r := []rune(text); len(r) > 200 {
		text = string(r[:199]) + "…"
	}
	if _, err := b.api.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text}); err != nil {
		// A redelivered update's query was answered before, or is too old: nothing to do.
		b.log.Debug("telegram: answer callback query", "err", b.scrub(err))
	}
}

func (b *Bot) sendPlain(ctx context.Context, chat core.ChatRef, text string) {
	if _, err := b.Deliver(ctx, core.Delivery{To: chat, Message: core.Message{Text: text}}); err != nil {
		b.log.Warn("telegram: error reply not delivered", "chat", chat.String(), "err", err)
	}
}

// incoming translates an update for the core; ok is false for updates it has nothing to do
// with (edits, joins, stickers, commands addressed to another bot, inline queries).
func (b *Bot) incoming(u *models.Update) (core.Incoming, bool) {
	in := core.Incoming{Platform: core.Telegram, EventID: strconv.FormatInt(u.ID, 10)}
	var from *models.User
	switch {
	case u.Message != nil:
		m := u.Message
		text := m.Text
		if text == "" {
			text = m.Caption
		}
		if m.From == nil || m.From.IsBot || strings.TrimSpace(text) == "" {
			return in, false
		}
		var ok bool
		if text, ok = b.stripBotName(text, m.Entities); !ok {
			return in, false
		}
		from = m.From
		in.Chat = chatRef(m.Chat.ID)
		in.Direct = m.Chat.Type == models.ChatTypePrivate
		in.Text = text
		in.At = time.Unix(int64(m.Date), 0).UTC()
		if r := m.ReplyToMessage; !in.Direct && r != nil && r.From != nil && r.From.ID == b.id() {
			in.ThreadID = b.threads.rootOf(sentID(m.Chat.ID, r.ID))
		}
	case u.CallbackQuery != nil:
		cq := u.CallbackQuery
		var chat *models.Chat
		switch {
		case cq.Message.Message != nil:
			chat = &cq.Message.Message.Chat
		case cq.Message.InaccessibleMessage != nil:
			chat = &cq.Message.InaccessibleMessage.Chat
		}
		if chat == nil || chat.ID == 0 || cq.Data == "" {
			return in, false
		}
		from = &cq.From
		in.Chat = chatRef(chat.ID)
		in.Direct = chat.Type == models.ChatTypePrivate
		in.Action = cq.Data
	default:
		return in, false
	}
	in.From = core.UserRef{Platform: core.Telegram, ID: strconv.FormatInt(from.ID, 10)}
	in.Name = strings.TrimSpace(from.FirstName + " " + from.LastName)
	in.Locale = from.LanguageCode
	return in, true
}

func (b *Bot) id() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.botID
}

// stripBotName removes "@botname" from a leading command ("/ack@earshot_bot C-1" becomes
// "/ack C-1"). ok is false when the command is addressed to another bot.
func (b *Bot) stripBotName(text string, entities []models.MessageEntity) (string, bool) {
	if !strings.HasPrefix(text, "/") {
		return text, true
	}
	end := len(text)
	if len(entities) > 0 && entities[0].Type == models.MessageEntityTypeBotCommand && entities[0].Offset == 0 {
		end = utf16Prefix(text, entities[0].Length)
	} else if i := strings.IndexAny(text, " \n\t"); i >= 0 {
		end = i
	}
	word := text[:end]
	cmd, addressee, found := strings.Cut(word, "@")
	if !found {
		return text, true
	}
	b.mu.Lock()
	me := b.username
	b.mu.Unlock()
	if me != "" && !strings.EqualFold(addressee, me) {
		return "", false
	}
	return cmd + text[end:], true
}

// utf16Prefix returns the byte length of the first n UTF-16 code units of s.
func utf16Prefix(s string, n int) int {
	units := 0
	for i, r := range s {
		if units >= n {
			return i
		}
		units += utf16.RuneLen(r)
	}
	return len(s)
}

func chatRef(id int64) core.ChatRef {
	return core.ChatRef{Platform: core.Telegram, ID: strconv.FormatInt(id, 10)}
}
