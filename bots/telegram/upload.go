package telegram

import (
	"bytes"
	"context"
	"strconv"
	"unicode/utf8"

	"earshot/core"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Telegram's limits on a photo sent by upload (core.telegram.org/bots/api#sendphoto and
// #sending-files): at most 10 MB, and a caption of at most 1024 characters.
const (
	MaxPhotoBytes = 10 << 20
	MaxCaption    = 1024
)

var _ core.Uploader = (*Bot)(nil)

// Upload sends f as a photo (sendPhoto, multipart) with its caption as plain text, cut to
// Telegram's limit. Telegram has no alt text for photos: the text digest sent before it
// says in words what the chart shows. A file over MaxPhotoBytes is refused here, as
// Telegram would, so the dead letter says why without spending a request. Errors are
// *core.DeliveryError.
func (b *Bot) Upload(ctx context.Context, to core.ChatRef, _ bool, f core.Upload) (string, error) {
	if to.Platform != core.Telegram {
		return "", permanent("chat %s is not a Telegram chat", to)
	}
	chatID, err := strconv.ParseInt(to.ID, 10, 64)
	if err != nil {
		return "", permanent("chat id %q is not a Telegram chat id", to.ID)
	}
	if len(f.Data) == 0 {
		return "", permanent("the file %q is empty", f.Name)
	}
	if len(f.Data) > MaxPhotoBytes {
		return "", permanent("the picture %q is %d bytes; Telegram takes photos up to %d bytes", f.Name, len(f.Data), MaxPhotoBytes)
	}
	ctx, cancel := context.WithTimeout(ctx, b.sendTimeout)
	defer cancel()
	m, err := b.api.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: chatID,
		Photo:   &models.InputFileUpload{Filename: f.Name, Data: bytes.NewReader(f.Data)},
		Caption: cutRunes(f.Caption, MaxCaption)})
	if err != nil {
		return "", b.classify("send photo", err)
	}
	if m.Chat.ID != 0 {
		chatID = m.Chat.ID
	}
	return sentID(chatID, m.ID), nil
}

// cutRunes cuts s to at most n characters, ending with an ellipsis when cut.
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
