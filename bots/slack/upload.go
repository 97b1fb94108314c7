package slack

import (
	"bytes"
	"context"
	"fmt"
	"unicode/utf8"

	"earshot/bots/internal/kit"
	"earshot/core"

	sl "github.com/slack-go/slack"
)

// Slack's limits on a shared file (files.getUploadURLExternal): 1 GB, alt text of 1000
// characters.
const (
	MaxFileBytes = 1 << 30
	MaxAltText   = 1000
)

var _ core.Uploader = (*Bot)(nil)

// Upload shares f in the chat with Slack's upload flow, which the SDK's UploadFileContext
// is exactly: files.getUploadURLExternal (name, length, alt text) → POST the bytes to the
// URL it returns → files.completeUploadExternal with the channel and the caption as the
// initial comment. The sent id is "CHANNEL/FILE_ID": Slack answers with the file, not the
// message, and nothing edits a picture. Errors are *core.DeliveryError; Slack's refusals
// (file_upload_size_restricted, file_uploads_disabled, not_in_channel…) are permanent.
func (b *Bot) Upload(ctx context.Context, to core.ChatRef, dm bool, f core.Upload) (string, error) {
	if len(f.Data) == 0 || len(f.Data) > MaxFileBytes {
		reason := fmt.Sprintf("the file %q is %d bytes; Slack takes files of 1 to %d bytes", f.Name, len(f.Data), MaxFileBytes)
		return "", &core.DeliveryError{Kind: core.DeliveryPermanent, Reason: reason, Err: fmt.Errorf("slack: %s", reason)}
	}
	channel := to.ID
	if dm {
		ch, err := b.dmChannel(ctx, to.ID)
		if err != nil {
			return "", b.classify(ctx, "conversations.open", err, true)
		}
		channel = ch
	}
	alt := f.Alt
	if utf8.RuneCountInString(alt) > MaxAltText {
		alt = string([]rune(alt)[:MaxAltText-1]) + "…"
	}
	file, err := b.api.UploadFileContext(ctx, sl.UploadFileParameters{Reader: bytes.NewReader(f.Data),
		Filename: f.Name, FileSize: len(f.Data), Title: f.Caption, AltTxt: alt,
		Channel: channel, InitialComment: f.Caption})
	if err != nil {
		return "", b.classify(ctx, "files.uploadV2", err, dm)
	}
	return kit.SentID(channel, file.ID), nil
}
