package slack

import (
	"context"
	"encoding/json"
	"strings"

	"earshot/bots/internal/kit"
	"earshot/core"

	sl "github.com/slack-go/slack"
)

// The note modal: a button whose choice needs a note opens it; its submission is the press.
const (
	noteCallback = "earshot_note"
	noteBlock    = "note"
	noteAction   = "note"
)

// noteMeta travels in the modal's private_metadata: what the button said and where it was.
type noteMeta struct {
	Action  string `json:"a"`
	Channel string `json:"c"`
	TS      string `json:"t,omitempty"`
}

// onInteraction handles a button press or a modal submission and returns the ack payload
// (nil: an empty acknowledgement, which also closes a submitted modal).
func (b *Bot) onInteraction(ctx context.Context, cb sl.InteractionCallback) (any, error) {
	switch cb.Type {
	case sl.InteractionTypeBlockActions:
		b.onBlockAction(ctx, cb)
	case sl.InteractionTypeViewSubmission:
		if cb.View.CallbackID == noteCallback {
			b.onNote(ctx, cb)
		}
	}
	return nil, nil
}

func (b *Bot) onBlockAction(ctx context.Context, cb sl.InteractionCallback) {
	if len(cb.ActionCallback.BlockActions) == 0 {
		return
	}
	act := cb.ActionCallback.BlockActions[0]
	channel := cb.Container.ChannelID
	if channel == "" {
		channel = cb.Channel.ID
	}
	if label, ok := noteLabel(act.ActionID); ok {
		b.openNote(ctx, cb, act.Value, channel, label)
		return
	}
	ts := act.ActionTs
	if ts == "" {
		ts = cb.ActionTs
	}
	in := core.Incoming{EventID: "action:" + cb.User.ID + ":" + ts, Chat: chat(channel),
		Direct: isDM(channel), Action: act.Value}
	b.press(ctx, in, cb.User.ID, channel)
}

// press hands a button press (or a note) to core and shows the person what came back.
// Slack does not redeliver interactions, so even an internal error is answered now.
func (b *Bot) press(ctx context.Context, in core.Incoming, user, channel string) {
	b.person(ctx, &in, user)
	resp, err := b.handleNow(ctx, in)
	switch {
	case err != nil:
		b.tell(ctx, channel, user, kit.Refusal(b.opts.Texts, kit.Lang(b.opts.Texts, in), err))
	case resp.Notice != "":
		b.tell(ctx, channel, user, resp.Notice)
	}
}

// openNote opens the note form, in the words of the person pressing: the business's
// language in the team channel, their Slack locale in a DM (kit.Lang). label is the choice's
// own (core's words); without one the field is labelled with the adapter's.
func (b *Bot) openNote(ctx context.Context, cb sl.InteractionCallback, action, channel, label string) {
	t := b.opts.Texts
	locale := ""
	if isDM(channel) {
		locale = b.profileOf(ctx, cb.User.ID).locale
	}
	lang := kit.LangOf(t, isDM(channel), locale)
	if label == "" {
		label = t.Text(lang, kit.KeyNoteLabel, nil)
	}
	meta, _ := json.Marshal(noteMeta{Action: action, Channel: channel, TS: cb.Container.MessageTs})
	input := sl.NewPlainTextInputBlockElement(nil, noteAction)
	input.Multiline = true
	input.MaxLength = 2000
	view := sl.ModalViewRequest{
		Type:            sl.VTModal,
		Title:           plain(truncate(t.Text(lang, kit.KeyNoteTitle, nil), maxViewText)),
		Submit:          plain(truncate(t.Text(lang, kit.KeySend, nil), maxViewText)),
		Close:           plain(truncate(t.Text(lang, kit.KeyCancel, nil), maxViewText)),
		CallbackID:      noteCallback,
		PrivateMetadata: string(meta),
		Blocks: sl.Blocks{BlockSet: []sl.Block{
			sl.NewInputBlock(noteBlock, plain(truncate(label, maxNoteLabel)), nil, input),
		}},
	}
	if _, err := b.api.OpenViewContext(ctx, cb.TriggerID, view); err != nil {
		b.log.Warn("slack views.open failed", "err", err)
		b.tell(ctx, channel, cb.User.ID, t.Text(lang, kit.KeyFormFailed, nil))
	}
}

func (b *Bot) onNote(ctx context.Context, cb sl.InteractionCallback) {
	var meta noteMeta
	if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta); err != nil || meta.Action == "" {
		b.log.Warn("slack note with unreadable metadata", "view", cb.View.ID)
		return
	}
	var note string
	if cb.View.State != nil {
		note = cb.View.State.Values[noteBlock][noteAction].Value
	}
	in := core.Incoming{EventID: "view:" + cb.View.ID, Chat: chat(meta.Channel),
		Direct: isDM(meta.Channel), Action: meta.Action, Text: strings.TrimSpace(note)}
	b.press(ctx, in, cb.User.ID, meta.Channel)
}
