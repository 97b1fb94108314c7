package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"earshot/bots/internal/kit"
	"earshot/core"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// sentID encodes a delivered message with kit.SentID: "<chat id>/<message id>".
func sentID(chatID int64, messageID int) string {
	return kit.SentID(strconv.FormatInt(chatID, 10), strconv.Itoa(messageID))
}

func parseSentID(s string) (chatID int64, messageID int, ok bool) {
	c, m, found := kit.ParseSentID(s)
	if !found {
		return 0, 0, false
	}
	chatID, err1 := strconv.ParseInt(c, 10, 64)
	messageID, err2 := strconv.Atoi(m)
	return chatID, messageID, err1 == nil && err2 == nil && messageID > 0
}

// Deliver sends d as HTML: one message, or several when the text is over Telegram's limit
// (the keyboard goes on the last, whose id is returned). With EditID it edits that message
// instead (removing its keyboard when the new message has no choices); with ThreadID it
// replies to that message. Errors are *core.DeliveryError.
func (b *Bot) Deliver(ctx context.Context, d core.Delivery) (string, error) {
	if d.To.Platform != core.Telegram {
		return "", permanent("chat %s is not a Telegram chat", d.To)
	}
	chatID, err := strconv.ParseInt(d.To.ID, 10, 64)
	if err != nil {
		return "", permanent("chat id %q is not a Telegram chat id", d.To.ID)
	}
	kb, err := keyboard(d.Message.Choices)
	if err != nil {
		return "", permanent("%v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, b.sendTimeout)
	defer cancel()
	if d.EditID != "" {
		if ec, mid, ok := parseSentID(d.EditID); ok && ec == chatID {
			return b.edit(ctx, chatID, mid, d.Message, kb)
		}
		// The message lives in another chat (the group became a supergroup since): it
		// cannot be edited, so the new version is sent as a new message.
	}
	parts := render(d.Message, MaxText)
	if len(parts) == 0 {
		return "", permanent("the message has no text")
	}
	var reply *models.ReplyParameters
	if tc, mid, ok := parseSentID(d.ThreadID); ok && tc == chatID {
		reply = &models.ReplyParameters{MessageID: mid, AllowSendingWithoutReply: true}
	}
	var last *models.Message
	for i, text := range parts {
		p := &bot.SendMessageParams{ChatID: chatID, Text: text, ParseMode: models.ParseModeHTML}
		if i == 0 {
			p.ReplyParameters = reply
		}
		if i == len(parts)-1 && kb != nil {
			p.ReplyMarkup = kb
		}
		m, err := b.api.SendMessage(ctx, p)
		if err != nil {
			return "", b.classify("send message", err)
		}
		if reply != nil && chatID < 0 {
			b.threads.remember(sentID(chatID, m.ID), d.ThreadID)
			b.log.Debug("telegram: threaded message sent", "sent_id", sentID(chatID, m.ID), "thread", d.ThreadID)
		}
		last = m
	}
	if last.Chat.ID != 0 {
		chatID = last.Chat.ID
	}
	return sentID(chatID, last.ID), nil
}

// edit replaces a message's text and keyboard. Text over the limit is cut (an edit cannot
// become several messages) and marked with an ellipsis.
func (b *Bot) edit(ctx context.Context, chatID int64, messageID int, m core.Message, kb *inlineKeyboard) (string, error) {
	parts := render(m, MaxText-2)
	if len(parts) == 0 {
		return "", permanent("the message has no text")
	}
	text := parts[0]
	if len(parts) > 1 {
		text += "\n…"
	}
	p := &bot.EditMessageTextParams{ChatID: chatID, MessageID: messageID, Text: text, ParseMode: models.ParseModeHTML}
	if kb != nil {
		p.ReplyMarkup = kb
	} else {
		p.ReplyMarkup = &inlineKeyboard{InlineKeyboard: [][]inlineButton{}} // removes the keys
	}
	if _, err := b.api.EditMessageText(ctx, p); err != nil {
		if errors.Is(err, bot.ErrorBadRequest) && strings.Contains(err.Error(), "message is not modified") {
			return sentID(chatID, messageID), nil // a retried edit that had already landed
		}
		return "", b.classify("edit message", err)
	}
	return sentID(chatID, messageID), nil
}

func permanent(format string, args ...any) *core.DeliveryError {
	reason := fmt.Sprintf(format, args...)
	return &core.DeliveryError{Kind: core.DeliveryPermanent, Reason: reason, Err: errors.New("telegram: " + reason)}
}

// classify turns an SDK error into a *core.DeliveryError: 429 → rate limited for
// retry_after; migrate_to_chat_id → moved; 401 → unauthorized; 400/403/404 → permanent
// (403 and "chat not found" mean the person cannot be messaged); anything else — 5xx,
// network, timeouts — temporary. The SDK never retries or sleeps on its own.
func (b *Bot) classify(op string, err error) *core.DeliveryError {
	err = b.scrub(err)
	de := &core.DeliveryError{Kind: core.DeliveryTemporary, Err: fmt.Errorf("telegram: %s: %w", op, err)}
	if tm, ok := errors.AsType[*bot.TooManyRequestsError](err); ok {
		de.Kind = core.DeliveryRateLimited
		de.RetryAfter = max(time.Duration(tm.RetryAfter)*time.Second, time.Second)
		de.Reason = description(tm.Message)
		return de
	}
	if me, ok := errors.AsType[*bot.MigrateError](err); ok {
		de.Kind = core.DeliveryMoved
		de.MovedTo = chatRef(int64(me.MigrateToChatID))
		de.Reason = description(me.Message)
		return de
	}
	switch {
	case errors.Is(err, bot.ErrorUnauthorized):
		de.Kind = core.DeliveryUnauthorized
	case errors.Is(err, bot.ErrorForbidden):
		de.Kind, de.Unreachable = core.DeliveryPermanent, true
	case errors.Is(err, bot.ErrorBadRequest):
		de.Kind = core.DeliveryPermanent
		lower := strings.ToLower(err.Error())
		de.Unreachable = strings.Contains(lower, "chat not found") || strings.Contains(lower, "user is deactivated")
	case errors.Is(err, bot.ErrorNotFound):
		de.Kind = core.DeliveryPermanent
	}
	if de.Kind != core.DeliveryTemporary {
		de.Reason = description(err.Error())
	}
	return de
}

// description recovers Telegram's own words from an SDK error ("forbidden, Forbidden: bot
// was blocked by the user" → "Forbidden: bot was blocked by the user").
func description(s string) string {
	for _, prefix := range []string{"forbidden, ", "bad request, ", "bad request: ", "unauthorized, ", "not found, ", "too many requests, "} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			return rest
		}
	}
	return s
}
