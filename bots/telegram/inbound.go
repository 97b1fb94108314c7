package telegram

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"earshot/bots/internal/kit"
	"earshot/core"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// process hands one update to the core through the guard and answers the person. It
// reports whether the update may be confirmed to Telegram: false only when ctx ended before
// the guard let go of it (shutdown, or the store down past a webhook's deadline).
func (b *Bot) process(ctx context.Context, u *models.Update) bool {
	if m := u.Message; m != nil && m.Chat.Type == models.ChatTypePrivate && m.Text == "" && m.Caption == "" && media(m) {
		locale := ""
		if m.From != nil {
			locale = m.From.LanguageCode
		}
		b.sendPlain(ctx, chatRef(m.Chat.ID), b.opts.Texts.Text(kit.LangOf(b.opts.Texts, true, locale), keyTextOnly, nil))
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
	o := b.guard.Handle(ctx, in)
	b.log.Debug("telegram: update handled", "update_id", u.ID, "chat", in.Chat.String(), "thread", in.ThreadID,
		"action", in.Action, "duplicate", o.Resp.Duplicate, "code", core.ErrorCode(o.Err), "confirm", o.Confirm)
	if !o.Confirm {
		return false
	}
	b.respond(ctx, u, in, o)
	return true
}

// keyTextOnly answers, in a private chat, a message core cannot read: a photo, a sticker, a
// voice note without any text. Silence would leave the customer wondering.
const keyTextOnly core.Key = "telegram_text_only"

func media(m *models.Message) bool {
	return len(m.Photo) > 0 || m.Video != nil || m.Voice != nil || m.Audio != nil || m.Document != nil ||
		m.Sticker != nil || m.Animation != nil || m.VideoNote != nil || m.Location != nil || m.Contact != nil
}

// respond answers the person after the core returned: the callback answer for a button
// (every callback query gets one, so the client stops its spinner), the error's message for
// a refused text, and any inline replies.
func (b *Bot) respond(ctx context.Context, u *models.Update, in core.Incoming, o kit.Outcome) {
	if u.CallbackQuery != nil {
		text := o.Resp.Notice
		if o.Err != nil {
			text = o.Reply(b.opts.Texts, kit.Lang(b.opts.Texts, in))
		}
		b.answerCallback(ctx, u.CallbackQuery.ID, text)
	} else if o.Err != nil {
		b.sendPlain(ctx, in.Chat, o.Reply(b.opts.Texts, kit.Lang(b.opts.Texts, in)))
	}
	for _, m := range o.Resp.Replies {
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
		text := withLinks(m.Text, m.Entities)
		if m.Text == "" {
			text = withLinks(m.Caption, m.CaptionEntities)
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

// withLinks writes the address of each text link after its words, as the person meant it:
// "my order page (https://…)". Telegram sends the words in the text and the address in an
// entity (offsets in UTF-16 units); a link whose words are its address stays as it is.
func withLinks(text string, entities []models.MessageEntity) string {
	var b strings.Builder
	done := 0
	for _, e := range entities {
		if e.Type != models.MessageEntityTypeTextLink || e.URL == "" {
			continue
		}
		start, end := utf16Prefix(text, e.Offset), utf16Prefix(text, e.Offset+e.Length)
		if start < done || end <= start {
			continue // overlapping or empty: leave the text as it is
		}
		b.WriteString(text[done:end])
		if label := strings.TrimSuffix(text[start:end], "/"); label != strings.TrimSuffix(e.URL, "/") {
			b.WriteString(" (" + e.URL + ")")
		}
		done = end
	}
	if done == 0 {
		return text
	}
	return b.String() + text[done:]
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
