package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"earshot/bots/internal/kit"
	"earshot/core"
)

// messageSend is discordgo's MessageSend plus the nonce fields v0.29 lacks.
type messageSend struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

const maxThreadName = 100

// Deliver sends d: to the DM channel with a user when d.DM, as an edit when d.EditID, in the
// thread on a card when d.ThreadID (starting the thread if needed). Each post carries the
// nonce of the outbox id with enforce_nonce, so a retry after a crash does not post twice.
// It returns "channelID/messageID" of the message with the buttons (or the card). Errors are
// *core.DeliveryError.
func (b *Bot) Deliver(ctx context.Context, d core.Delivery) (string, error) {
	if d.To.Platform != core.Discord || d.To.ID == "" {
		return "", &core.DeliveryError{Kind: core.DeliveryPermanent, Reason: "not a Discord chat: " + d.To.String()}
	}
	if d.EditID != "" {
		return b.edit(ctx, d)
	}
	channelID := d.To.ID
	if d.DM {
		id, err := b.dmChannel(ctx, d.To.ID)
		if err != nil {
			return "", err
		}
		channelID = id
	}
	if d.ThreadID != "" {
		id, err := b.thread(ctx, d.ThreadID)
		if err != nil {
			return "", err
		}
		channelID = id
	}
	msgs, primary := render(d.Message, false)
	var sent string
	for i, m := range msgs {
		id, err := b.post(ctx, channelID, m, nonce(d.ID, i))
		if err != nil {
			return "", err
		}
		if i == primary {
			sent = kit.SentID(channelID, id)
		}
	}
	if d.Message.Title != "" && !d.DM && d.ThreadID == "" {
		name, _, _ := strings.Cut(d.Message.Title, " · ") // "Complaint C-12 · open" names the thread "Complaint C-12"
		b.titles.Put(sent, name)
	}
	for _, c := range d.Message.Choices {
		if c.NeedsNote && c.NoteLabel != "" {
			b.noteLabels.Put(c.Payload, c.NoteLabel)
		}
	}
	return sent, nil
}

// nonce is the outbox id, with the part number after a dot for the parts after the first.
func nonce(id int64, part int) string {
	if id == 0 {
		return ""
	}
	n := strconv.FormatInt(id, 10)
	if part > 0 {
		n += "." + strconv.Itoa(part)
	}
	return n
}

func (b *Bot) post(ctx context.Context, channelID string, m rendered, nonce string) (string, error) {
	body := messageSend{
		MessageSend: &discordgo.MessageSend{Content: m.Content, Embeds: m.Embeds, Components: m.Components,
			AllowedMentions: noMentions()},
		Nonce: nonce, EnforceNonce: nonce != "",
	}
	ep := discordgo.EndpointChannelMessages(channelID)
	opts, info := call(ctx)
	raw, err := b.s.RequestWithBucketID("POST", ep, body, ep, opts...)
	if err != nil {
		return "", classify("send message", err, info)
	}
	var msg discordgo.Message
	if err := json.Unmarshal(raw, &msg); err != nil || msg.ID == "" {
		return "", &core.DeliveryError{Kind: core.DeliveryTemporary, Err: fmt.Errorf("discord: send message: bad answer: %v", err)}
	}
	return msg.ID, nil
}

// edit replaces the message d.EditID with d.Message, cut to one message; buttons go when the
// new message has none.
func (b *Bot) edit(ctx context.Context, d core.Delivery) (string, error) {
	channelID, messageID, ok := kit.ParseSentID(d.EditID)
	if !ok {
		return "", &core.DeliveryError{Kind: core.DeliveryPermanent, Reason: "not a Discord message id: " + d.EditID}
	}
	msgs, primary := render(d.Message, true)
	m := msgs[primary]
	embeds := m.Embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	components := m.Components
	if components == nil {
		components = []discordgo.MessageComponent{}
	}
	e := &discordgo.MessageEdit{ID: messageID, Channel: channelID, Content: &m.Content, Embeds: &embeds,
		Components: &components, AllowedMentions: noMentions()}
	opts, info := call(ctx)
	if _, err := b.s.ChannelMessageEditComplex(e, opts...); err != nil {
		return "", classify("edit message", err, info)
	}
	return d.EditID, nil
}

// dmChannel returns the DM channel with a user, opening it once.
func (b *Bot) dmChannel(ctx context.Context, userID string) (string, error) {
	if id, ok := b.dms.Get(userID); ok {
		return id, nil
	}
	opts, info := call(ctx)
	ch, err := b.s.UserChannelCreate(userID, opts...)
	if err != nil {
		return "", classify("open DM channel", err, info)
	}
	b.dms.Put(userID, ch.ID)
	return ch.ID, nil
}

// thread returns the channel of the thread on the message sentID ("channelID/messageID"),
// starting the thread when it does not exist yet. A thread started from a message has the
// message's id.
func (b *Bot) thread(ctx context.Context, sentID string) (string, error) {
	channelID, messageID, ok := kit.ParseSentID(sentID)
	if !ok {
		return "", &core.DeliveryError{Kind: core.DeliveryPermanent, Reason: "not a Discord message id: " + sentID}
	}
	name, _ := b.titles.Get(sentID)
	if known, _ := b.threads.Get(messageID); known {
		return messageID, nil
	}
	if name == "" { // the card's title is not cached (a restart): the thread is in the team channel
		name = b.opts.Texts.Text(b.opts.Texts.Default(), keyThreadName, nil)
	}
	opts, info := call(ctx)
	_, err := b.s.MessageThreadStartComplex(channelID, messageID, &discordgo.ThreadStart{
		Name: cut(name, maxThreadName), AutoArchiveDuration: 10080}, opts...)
	if err != nil {
		if _, code, _, ok := restCode(err); !ok || code != codeThreadExists {
			return "", classify("start thread", err, info)
		}
	}
	b.threads.Put(messageID, true)
	b.parents.Put(messageID, channelID)
	return messageID, nil
}
