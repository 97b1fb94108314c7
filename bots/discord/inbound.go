package discord

import (
	"context"
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"

	"earshot/bots/internal/kit"
	"earshot/core"
)

// onMessage turns a MESSAGE_CREATE into an Incoming: every DM to the bot, and the messages in
// the team channel and its threads. The bot's own messages and other bots' are ignored.
func (b *Bot) onMessage(_ *discordgo.Session, m *discordgo.MessageCreate) {
	if m.Message == nil || m.Author == nil || m.Author.Bot || m.Author.ID == b.selfID() {
		return
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return
	}
	text := stripMention(messageText(m.Message), b.selfID())
	if strings.TrimSpace(text) == "" {
		return // a sticker, an embed, a system message: nothing to read
	}
	ctx := b.eventContext()
	in := core.Incoming{
		Platform: core.Discord, EventID: m.ID,
		From: core.UserRef{Platform: core.Discord, ID: m.Author.ID},
		Chat: core.ChatRef{Platform: core.Discord, ID: m.ChannelID},
		Text: text, Name: displayName(m.Author), At: m.Timestamp,
	}
	if m.GuildID == "" {
		in.Direct = true
		b.dms.Put(m.Author.ID, m.ChannelID)
	} else {
		chat, thread, ok := b.route(ctx, m.Message)
		if !ok {
			return
		}
		in.Chat.ID, in.ThreadID = chat, thread
	}
	// The gateway never redelivers: the guard holds the event through an outage (the
	// gateway waits meanwhile) and gives up only on a poison event, which is answered.
	o := b.guard.Handle(ctx, in)
	if o.Confirm && o.Err != nil {
		b.tell(ctx, m.ChannelID, m.ID, o.Reply(b.opts.Texts, kit.Lang(b.opts.Texts, in)))
	}
	// replies to plain messages go through the outbox
}

// route decides whether a guild message is earshot's: in the team channel (Chat = it, and
// ThreadID = the bot message it replies to, if any) or in a thread on one of the team
// channel's messages (Chat = the team channel, ThreadID = "teamChannel/threadID", the card's
// SentID).
func (b *Bot) route(ctx context.Context, m *discordgo.Message) (chat, thread string, ok bool) {
	if b.opts.TeamChannel.Platform != core.Discord || b.opts.TeamChannel.ID == "" {
		return "", "", false
	}
	team := b.opts.TeamChannel.ID
	if m.ChannelID == team {
		if r := m.ReferencedMessage; r != nil && r.Author != nil && r.Author.ID == b.selfID() {
			return team, kit.SentID(team, r.ID), true
		}
		return team, "", true
	}
	if b.parentOf(ctx, m.ChannelID) == team {
		return team, kit.SentID(team, m.ChannelID), true
	}
	return "", "", false
}

// parentOf returns the parent channel of a thread, "" for any other channel.
func (b *Bot) parentOf(ctx context.Context, channelID string) string {
	if p, ok := b.parents.Get(channelID); ok {
		return p
	}
	opts, _ := call(ctx)
	ch, err := b.s.Channel(channelID, opts...)
	if err != nil {
		b.log.Warn("discord: look up channel", "channel", channelID, "err", err)
		return ""
	}
	p := ""
	if ch.IsThread() {
		p = ch.ParentID
	}
	b.parents.Put(channelID, p)
	return p
}

// tell answers a message directly (not through the outbox) with a line from core's errors.
func (b *Bot) tell(ctx context.Context, channelID, replyTo, text string) {
	body := messageSend{MessageSend: &discordgo.MessageSend{Content: cut(escape(text), maxContent),
		AllowedMentions: noMentions(), Reference: &discordgo.MessageReference{MessageID: replyTo, ChannelID: channelID}},
		Nonce: cut("r"+replyTo, 25), EnforceNonce: true}
	ep := discordgo.EndpointChannelMessages(channelID)
	opts, _ := call(ctx)
	if _, err := b.s.RequestWithBucketID("POST", ep, body, ep, opts...); err != nil {
		b.log.Warn("discord: answer message", "channel", channelID, "err", err)
	}
}

// messageText is the message's text, with a line per attachment (a photo of the damage is
// part of a complaint).
func messageText(m *discordgo.Message) string {
	text := plainLinks(m.Content)
	for _, a := range m.Attachments {
		if a == nil || a.URL == "" {
			continue
		}
		if text != "" {
			text += "\n"
		}
		text += "[attachment] " + a.URL
	}
	return text
}

var (
	maskedLink   = regexp.MustCompile(`\[([^\[\]\n]+)\]\(<?(https?://[^\s<>()]+)>?\)`)
	embedlessURL = regexp.MustCompile(`<(https?://[^\s<>]+)>`)
)

// plainLinks writes Discord's link markdown as words that read the same on any platform:
// a masked link [my order page](https://a) becomes "my order page (https://a)" (its label
// alone when that is the address), and <https://a>, a link without a preview, its address.
func plainLinks(s string) string {
	s = maskedLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := maskedLink.FindStringSubmatch(m)
		label, url := sub[1], sub[2]
		if strings.TrimSuffix(label, "/") == strings.TrimSuffix(url, "/") {
			return url
		}
		return label + " (" + url + ")"
	})
	return embedlessURL.ReplaceAllString(s, "$1")
}

// stripMention removes a leading mention of the bot ("<@ID> ack C-12" → "ack C-12"), the
// way Telegram's adapter drops "@botname".
func stripMention(text, botID string) string {
	if botID == "" {
		return text
	}
	t := strings.TrimLeft(text, " ")
	for _, m := range []string{"<@" + botID + ">", "<@!" + botID + ">"} {
		if rest, ok := strings.CutPrefix(t, m); ok {
			return strings.TrimLeft(rest, " ")
		}
	}
	return text
}

func displayName(u *discordgo.User) string {
	if u == nil {
		return ""
	}
	if u.GlobalName != "" {
		return u.GlobalName
	}
	return u.Username
}
