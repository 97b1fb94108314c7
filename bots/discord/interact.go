package discord

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"earshot/bots/internal/kit"
	"earshot/core"
)

// respondFunc sends the first answer to an interaction: through REST for gateway
// interactions, in the HTTP response for the interactions endpoint.
type respondFunc func(*discordgo.InteractionResponse) error

func (b *Bot) onInteraction(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	if ic.Interaction == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b.interact(ctx, ic.Interaction, func(r *discordgo.InteractionResponse) error {
		opts, _ := call(ctx)
		return b.s.InteractionRespond(ic.Interaction, r, opts...)
	})
}

type outcome struct {
	resp core.Response
	err  error
}

// interact handles one interaction. A button with a note opens the modal at once, a form the
// adapter cannot read is answered at once; anything else goes to core, and the answer is sent when Handle returns — or, if it takes longer than
// ackBy, a deferred answer goes first (Discord allows 3 s) and the real one follows by webhook.
func (b *Bot) interact(ctx context.Context, i *discordgo.Interaction, respond respondFunc) {
	in, now, ok := b.incoming(ctx, i)
	if !ok {
		return
	}
	if now != nil {
		if err := respond(now); err != nil {
			b.log.Warn("discord: answer interaction", "interaction", i.ID, "type", i.Type, "err", err)
		}
		return
	}
	done := make(chan outcome, 1)
	go func() {
		o := b.guard.Handle(ctx, in)
		done <- outcome{o.Resp, o.Err}
	}()
	timer := time.NewTimer(b.ackBy)
	defer timer.Stop()
	select {
	case o := <-done:
		first, rest := b.answer(i, o)
		if err := respond(first); err != nil {
			b.log.Warn("discord: answer interaction", "interaction", i.ID, "err", err)
			return
		}
		b.followUp(ctx, i, rest)
	case <-timer.C:
		deferred := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
		if i.Type == discordgo.InteractionApplicationCommand { // "thinking…", then the ephemeral answer
			deferred = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}}
		}
		if err := respond(deferred); err != nil {
			b.log.Warn("discord: defer interaction", "interaction", i.ID, "err", err)
		}
		o := <-done
		first, rest := b.answer(i, o)
		if i.Type == discordgo.InteractionApplicationCommand && first.Data != nil {
			opts, _ := call(ctx)
			content := first.Data.Content
			_, err := b.s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &content,
				Embeds: &first.Data.Embeds, Components: &first.Data.Components, AllowedMentions: noMentions()}, opts...)
			if err != nil {
				b.log.Warn("discord: edit deferred answer", "interaction", i.ID, "err", err)
			}
		} else if first.Type == discordgo.InteractionResponseChannelMessageWithSource {
			rest = append([]rendered{{Content: first.Data.Content, Embeds: first.Data.Embeds,
				Components: first.Data.Components}}, rest...)
		}
		b.followUp(ctx, i, rest)
	}
}

// incoming translates an interaction; now is set when the adapter answers it itself, without
// core: a form to open, or a form it cannot read.
func (b *Bot) incoming(ctx context.Context, i *discordgo.Interaction) (in core.Incoming, now *discordgo.InteractionResponse, ok bool) {
	u := i.User
	if i.Member != nil && i.Member.User != nil {
		u = i.Member.User
	}
	if u == nil {
		return in, nil, false
	}
	in = core.Incoming{Platform: core.Discord, EventID: i.ID,
		From: core.UserRef{Platform: core.Discord, ID: u.ID}, Chat: core.ChatRef{Platform: core.Discord, ID: i.ChannelID},
		Direct: i.GuildID == "", Name: displayName(u), Locale: string(i.Locale)}
	if in.Direct {
		b.dms.Put(u.ID, i.ChannelID)
	} else if chat, thread, mine := b.route(ctx, &discordgo.Message{ChannelID: i.ChannelID}); mine {
		in.Chat.ID, in.ThreadID = chat, thread
	}
	switch i.Type {
	case discordgo.InteractionMessageComponent:
		id := i.MessageComponentData().CustomID
		if payload, note := strings.CutPrefix(id, notePrefix); note {
			return in, b.noteModal(i, payload), true
		}
		in.Action = id
	case discordgo.InteractionModalSubmit:
		data := i.ModalSubmitData()
		payload, note := strings.CutPrefix(data.CustomID, notePrefix)
		if !note { // a form this adapter no longer reads (an older version's): say so
			return in, b.expired(i), true
		}
		in.Action, in.Text = payload, modalValue(data.Components, noteInputID)
	case discordgo.InteractionApplicationCommand:
		data := i.ApplicationCommandData()
		parts := []string{"/" + data.Name}
		for _, o := range data.Options {
			if v := strings.TrimSpace(optionString(o)); v != "" {
				parts = append(parts, v)
			}
		}
		in.Text, in.Inline = strings.Join(parts, " "), true
	default:
		return in, nil, false
	}
	return in, nil, true
}

func optionString(o *discordgo.ApplicationCommandInteractionDataOption) string {
	if s, ok := o.Value.(string); ok {
		return s
	}
	if o.Value == nil {
		return ""
	}
	return fmt.Sprint(o.Value)
}

// lang is the language of the adapter's own words to the person interacting (kit.Lang):
// their Discord locale in a DM, the business's in the server.
func (b *Bot) lang(i *discordgo.Interaction) core.Lang {
	return kit.LangOf(b.opts.Texts, i.GuildID == "", string(i.Locale))
}

// expired answers an interaction the adapter cannot read, in the person's language, so
// Discord does not show "This interaction failed".
func (b *Bot) expired(i *discordgo.Interaction) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: b.opts.Texts.Text(b.lang(i), kit.KeyButtonExpired, nil),
			Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()}}
}

// noteModal is the form a NeedsNote button opens: titled with the button's label, its field
// labelled as the choice says (core's words), else with the adapter's own.
func (b *Bot) noteModal(i *discordgo.Interaction, payload string) *discordgo.InteractionResponse {
	title := ""
	if i.Message != nil {
		title = buttonLabel(i.Message.Components, notePrefix+payload)
	}
	if title == "" {
		title = b.opts.Texts.Text(b.lang(i), kit.KeyNoteTitle, nil)
	}
	label, _ := b.noteLabels.Get(payload)
	if label == "" {
		label = b.opts.Texts.Text(b.lang(i), kit.KeyNoteLabel, nil)
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: notePrefix + payload, Title: cut(title, maxModalText),
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.TextInput{CustomID: noteInputID, Label: cut(label, maxModalText), Style: discordgo.TextInputParagraph,
					Required: true, MaxLength: 1000}}}}}}
}

func buttonLabel(cs []discordgo.MessageComponent, customID string) string {
	for _, c := range cs {
		switch v := c.(type) {
		case *discordgo.ActionsRow:
			if l := buttonLabel(v.Components, customID); l != "" {
				return l
			}
		case *discordgo.Button:
			if v.CustomID == customID {
				return v.Label
			}
		}
	}
	return ""
}

func modalValue(cs []discordgo.MessageComponent, customID string) string {
	for _, c := range cs {
		switch v := c.(type) {
		case *discordgo.ActionsRow:
			if s := modalValue(v.Components, customID); s != "" {
				return s
			}
		case *discordgo.TextInput:
			if v.CustomID == customID {
				return v.Value
			}
		}
	}
	return ""
}

// answer builds the interaction response for core's outcome, and the further messages to
// send as follow-ups. Errors and notices are ephemeral; a button with nothing to say is a
// silent deferred update (core edits the message through the outbox).
func (b *Bot) answer(i *discordgo.Interaction, o outcome) (*discordgo.InteractionResponse, []rendered) {
	var msgs []rendered
	switch {
	case o.err != nil:
		if core.ErrorCode(o.err) == core.EINTERNAL {
			b.log.Error("discord: interaction failed", "interaction", i.ID, "err", o.err)
		}
		msgs = []rendered{{Content: cut(escape(kit.Refusal(b.opts.Texts, b.lang(i), o.err)), maxContent)}}
	default:
		if o.resp.Notice != "" {
			msgs = append(msgs, rendered{Content: cut(escape(o.resp.Notice), maxContent)})
		}
		for _, r := range o.resp.Replies {
			parts, _ := render(r, false)
			msgs = append(msgs, parts...)
		}
	}
	msgs = merge(msgs)
	if len(msgs) == 0 {
		if i.Type != discordgo.InteractionApplicationCommand {
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, nil
		}
		msgs = []rendered{{Content: b.opts.Texts.Text(b.lang(i), kit.KeyDone, nil)}}
	}
	first := msgs[0]
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: first.Content, Embeds: first.Embeds, Components: first.Components,
			Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()}}, msgs[1:]
}

// merge joins consecutive messages while they fit in one.
func merge(msgs []rendered) []rendered {
	var out []rendered
	for _, m := range msgs {
		if n := len(out); n > 0 {
			last := &out[n-1]
			joined := last.Content
			if joined != "" && m.Content != "" {
				joined += "\n\n"
			}
			joined += m.Content
			if len(last.Components) == 0 && len([]rune(joined)) <= maxContent && len(last.Embeds)+len(m.Embeds) <= 10 &&
				(len(last.Embeds) == 0 || m.Content == "") {
				last.Content, last.Embeds, last.Components = joined, append(last.Embeds, m.Embeds...), m.Components
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// followUp posts further ephemeral messages for an interaction.
func (b *Bot) followUp(ctx context.Context, i *discordgo.Interaction, msgs []rendered) {
	for _, m := range msgs {
		opts, _ := call(ctx)
		_, err := b.s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: m.Content, Embeds: m.Embeds,
			Components: m.Components, Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()}, opts...)
		if err != nil {
			b.log.Warn("discord: follow-up message", "interaction", i.ID, "err", err)
			return
		}
	}
}
