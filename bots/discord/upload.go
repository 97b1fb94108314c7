package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/bwmarrin/discordgo"

	"earshot/bots/internal/kit"
	"earshot/core"
)

// MaxUploadBytes is Discord's default limit on the files of one message from a bot
// (10 MiB); a boosted server may take more, but the default is what every server takes.
const MaxUploadBytes = 10 << 20

var _ core.Uploader = (*Bot)(nil)

// uploadSend is a message with files: the JSON of payload_json, whose attachments name each
// files[n] part by its index and carry its alt text.
type uploadSend struct {
	*discordgo.MessageSend
	Attachments []attachmentMeta `json:"attachments"`
}

type attachmentMeta struct {
	ID          int    `json:"id"`
	Filename    string `json:"filename"`
	Description string `json:"description,omitempty"`
}

// unsafeName matches what Discord's attachment:// references do not take in a file name.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// Upload posts f as an attachment shown in an embed (the embed's image is
// attachment://<name>, the caption its title, the alt text the attachment's description),
// as multipart payload_json + files[0]. A file over MaxUploadBytes is refused here as
// Discord would refuse it (413, 40005). Upload carries no outbox id, so unlike Deliver it
// sends no nonce: a retry after a lost answer may show the picture twice, never the text.
// Errors are *core.DeliveryError.
func (b *Bot) Upload(ctx context.Context, to core.ChatRef, dm bool, f core.Upload) (string, error) {
	if to.Platform != core.Discord || to.ID == "" {
		return "", &core.DeliveryError{Kind: core.DeliveryPermanent, Reason: "not a Discord chat: " + to.String()}
	}
	if len(f.Data) == 0 || len(f.Data) > MaxUploadBytes {
		reason := fmt.Sprintf("the file %q is %d bytes; Discord takes up to %d bytes per message from a bot", f.Name, len(f.Data), MaxUploadBytes)
		return "", &core.DeliveryError{Kind: core.DeliveryPermanent, Reason: reason, Err: fmt.Errorf("discord: %s", reason)}
	}
	channelID := to.ID
	if dm {
		id, err := b.dmChannel(ctx, to.ID)
		if err != nil {
			return "", err
		}
		channelID = id
	}
	name := unsafeName.ReplaceAllString(f.Name, "_")
	if name == "" {
		name = "chart.png"
	}
	body := uploadSend{
		MessageSend: &discordgo.MessageSend{AllowedMentions: noMentions(), Embeds: []*discordgo.MessageEmbed{{
			Type: discordgo.EmbedTypeRich, Title: cut(escape(f.Caption), maxTitle), Image: &discordgo.MessageEmbedImage{URL: "attachment://" + name}}}},
		Attachments: []attachmentMeta{{ID: 0, Filename: name, Description: cut(f.Alt, 1024)}},
	}
	contentType, raw, err := discordgo.MultipartBodyWithJSON(body, []*discordgo.File{{Name: name, ContentType: f.MIME, Reader: bytes.NewReader(f.Data)}})
	if err != nil {
		return "", &core.DeliveryError{Kind: core.DeliveryPermanent, Reason: "cannot encode the upload", Err: fmt.Errorf("discord: upload: %w", err)}
	}
	ep := discordgo.EndpointChannelMessages(channelID)
	opts, info := call(ctx)
	resp, err := b.s.RequestRaw("POST", ep, contentType, raw, ep, 0, opts...)
	if err != nil {
		return "", classify("upload file", err, info)
	}
	var msg discordgo.Message
	if err := json.Unmarshal(resp, &msg); err != nil || msg.ID == "" {
		return "", &core.DeliveryError{Kind: core.DeliveryTemporary, Err: fmt.Errorf("discord: upload file: bad answer: %v", err)}
	}
	return kit.SentID(channelID, msg.ID), nil
}
