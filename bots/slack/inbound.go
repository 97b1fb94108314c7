package slack

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"earshot/bots/internal/kit"
	"earshot/core"

	sl "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// errRetry asks the transport not to confirm an event, so that Slack delivers it again.
var errRetry = errors.New("slack: event not handled, let Slack redeliver it")

// ackWithin bounds the handling of what Slack wants acknowledged within 3 seconds and never
// redelivers (commands, button presses) or redelivers only on a failed answer (HTTP events).
const ackWithin = 2500 * time.Millisecond

// handle hands in to the core through the guard (see kit.Guard): an internal failure is
// retried in place, held during an outage and skipped as poison past the bound.
func (b *Bot) handle(ctx context.Context, in core.Incoming) kit.Outcome {
	in.Platform = core.Slack
	return b.guard.Handle(ctx, in)
}

// handleNow is handle for what must be answered within ackWithin: when the core could not
// commit it by then, the person gets the error's polite line (Slack will not send it again).
func (b *Bot) handleNow(ctx context.Context, in core.Incoming) (core.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, ackWithin)
	defer cancel()
	o := b.handle(ctx, in)
	if !o.Confirm {
		b.log.Error("slack interaction not handled in time", "event", in.EventID, "err", o.Err)
	}
	return o.Resp, o.Err
}

// person fills what Slack knows of the sender.
func (b *Bot) person(ctx context.Context, in *core.Incoming, user string) {
	in.From = core.UserRef{Platform: core.Slack, ID: user}
	p := b.profileOf(ctx, user)
	in.Name, in.TimeZone, in.Locale = p.name, p.tz, p.locale
}

func chat(id string) core.ChatRef { return core.ChatRef{Platform: core.Slack, ID: id} }

// isDM reports whether a channel id names a direct message (D…).
func isDM(channel string) bool { return strings.HasPrefix(channel, "D") }

// onEvent handles an Events API callback. A non-nil error means: do not confirm. With hold
// (HTTP mode, where the answer cannot wait for the store), an event the store could not take
// is also kept and retried in the background (see holdLater).
func (b *Bot) onEvent(ctx context.Context, ev slackevents.EventsAPIEvent, hold bool) error {
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok || ev.Type != slackevents.CallbackEvent {
		return nil
	}
	msg, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent)
	if !ok {
		return nil
	}
	in, ok := b.messageIncoming(msg)
	if !ok {
		return nil
	}
	in.EventID = cb.EventID
	b.person(ctx, &in, msg.User)
	o := b.handle(ctx, in)
	if !o.Confirm {
		if hold {
			b.holdLater(in, msg.Channel, msg.User)
		}
		return errRetry
	}
	if o.Err != nil {
		b.tell(ctx, msg.Channel, msg.User, o.Reply(b.opts.Texts, kit.Lang(b.opts.Texts, in)))
	}
	return nil
}

// maxHeld bounds the HTTP-mode events held in the background during an outage.
const maxHeld = 256

// holdLater keeps an HTTP-mode event the store could not take within Slack's 3 seconds and
// hands it to the guard again in the background until the store answers (or Run ends).
// Slack retries the event only three times within minutes; held here, it survives a longer
// outage. Slack's retries and this one have one effect: the core deduplicates by event id.
// An event is held once, and at most maxHeld at a time.
func (b *Bot) holdLater(in core.Incoming, channel, user string) {
	b.mu.Lock()
	ctx := b.runCtx
	_, already := b.held[in.EventID]
	full := len(b.held) >= maxHeld
	if ctx != nil && !already && !full {
		b.held[in.EventID] = struct{}{}
	}
	b.mu.Unlock()
	if ctx == nil || already {
		return
	}
	if full {
		b.log.Error("slack: too many events held; this one waits for Slack's retry", "event", in.EventID)
		return
	}
	go func() {
		defer func() {
			b.mu.Lock()
			delete(b.held, in.EventID)
			b.mu.Unlock()
		}()
		if o := b.handle(ctx, in); o.Confirm && o.Err != nil {
			b.tell(ctx, channel, user, o.Reply(b.opts.Texts, kit.Lang(b.opts.Texts, in)))
		}
	}()
}

// messageIncoming translates a message event, or reports that it is not for core: bot
// messages, edits and other subtypes, channels other than the team channel, and team
// channel messages outside a card's thread.
func (b *Bot) messageIncoming(m *slackevents.MessageEvent) (core.Incoming, bool) {
	switch m.SubType {
	case "", "thread_broadcast", "file_share":
	default:
		return core.Incoming{}, false
	}
	if m.BotID != "" || m.User == "" || b.isBotUser(m.User) {
		return core.Incoming{}, false
	}
	in := core.Incoming{Chat: chat(m.Channel), Text: plainText(m.Text), At: tsTime(m.TimeStamp)}
	switch {
	case m.ChannelType == "im" || isDM(m.Channel):
		in.Direct = true
		b.rememberDM(m.User, m.Channel)
	case m.Channel == b.opts.TeamChannel.ID && m.ThreadTimeStamp != "" && m.ThreadTimeStamp != m.TimeStamp:
		in.ThreadID = kit.SentID(m.Channel, m.ThreadTimeStamp)
	default:
		return core.Incoming{}, false
	}
	return in, true
}

var slackMarkup = regexp.MustCompile(`<([^<>]*)>`)

// plainText turns Slack's wire text back into what the person typed: a link keeps its label
// and its address (<https://a|my page> → "my page (https://a)"; a label that is the
// address itself, as Slack makes when it links a typed URL, stays alone), mentions stay as
// Slack writes them (<@U1>), and the entities &amp; &lt; &gt; are decoded.
func plainText(s string) string {
	s = slackMarkup.ReplaceAllStringFunc(s, func(m string) string {
		inner := m[1 : len(m)-1]
		if strings.HasPrefix(inner, "http") || strings.HasPrefix(inner, "mailto:") {
			u, label, _ := strings.Cut(inner, "|")
			return linkText(strings.TrimPrefix(u, "mailto:"), label)
		}
		return m
	})
	return unescaper.Replace(s)
}

// linkText writes a labelled link as words: the label, then the address in brackets unless
// the label already says it.
func linkText(url, label string) string {
	bare := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(url, "https://"), "http://"), "/")
	switch strings.TrimSuffix(label, "/") {
	case "", url, bare, strings.TrimSuffix(url, "/"):
		if label == "" {
			return url
		}
		return label
	}
	return label + " (" + url + ")"
}

var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// tsTime reads a Slack timestamp ("1700000000.000100"); zero when unreadable.
func tsTime(ts string) time.Time {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return time.Time{}
	}
	us, _ := strconv.ParseInt((frac + "000000")[:6], 10, 64)
	return time.Unix(s, us*1000).UTC()
}

// tellTimeout bounds an ephemeral post, which runs after the event was confirmed.
const tellTimeout = 10 * time.Second

// tell shows text to user alone in channel (an ephemeral message). It posts in the
// background, so the event's acknowledgement does not wait for it.
func (b *Bot) tell(ctx context.Context, channel, user, text string) {
	if channel == "" || user == "" || strings.TrimSpace(text) == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), tellTimeout)
	go func() {
		defer cancel()
		b.tellNow(ctx, channel, user, text)
	}()
}

func (b *Bot) tellNow(ctx context.Context, channel, user, text string) {
	p := render(core.Message{Text: text})[0]
	if _, err := b.api.PostEphemeralContext(ctx, channel, user, sl.MsgOptionText(p.Text, false), sl.MsgOptionBlocks(p.Blocks...)); err != nil {
		b.log.Warn("slack ephemeral failed", "channel", channel, "user", user, "err", err)
	}
}
