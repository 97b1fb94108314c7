package slack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"earshot/bots/internal/kit"
	"earshot/core"

	sl "github.com/slack-go/slack"
)

// Deliver sends d (core.Messenger). The sent id is "CHANNEL/TS" of the message, which is
// what edits (chat.update) and threads (thread_ts) need and what inbound thread replies carry
// as Incoming.ThreadID. A message too long for one Slack message goes out as several; the id
// is the last one's, which carries the buttons.
func (b *Bot) Deliver(ctx context.Context, d core.Delivery) (string, error) {
	channel := d.To.ID
	if d.DM {
		ch, err := b.dmChannel(ctx, d.To.ID)
		if err != nil {
			return "", b.classify(ctx, "conversations.open", err, true)
		}
		channel = ch
	}
	if d.EditID != "" {
		ch, ts, ok := kit.ParseSentID(d.EditID)
		if !ok {
			return "", &core.DeliveryError{Kind: core.DeliveryPermanent, Reason: "bad edit id " + d.EditID}
		}
		// The adapter does not know a DM's reader's language: its one line is the business's.
		p := single(d.Message, b.opts.Texts.Text(b.opts.Texts.Default(), keyShortened, nil))
		_, _, _, err := b.api.UpdateMessageContext(ctx, ch, ts, sl.MsgOptionText(p.Text, false), sl.MsgOptionBlocks(p.Blocks...))
		if err != nil {
			return "", b.classify(ctx, "chat.update", err, d.DM)
		}
		return d.EditID, nil
	}
	var threadTS string
	if d.ThreadID != "" {
		_, ts, ok := kit.ParseSentID(d.ThreadID)
		if !ok {
			return "", &core.DeliveryError{Kind: core.DeliveryPermanent, Reason: "bad thread id " + d.ThreadID}
		}
		threadTS = ts
	}
	var sent string
	for _, p := range render(d.Message) {
		opts := []sl.MsgOption{sl.MsgOptionText(p.Text, false), sl.MsgOptionBlocks(p.Blocks...),
			sl.MsgOptionDisableLinkUnfurl(), sl.MsgOptionDisableMediaUnfurl()}
		if threadTS != "" {
			opts = append(opts, sl.MsgOptionTS(threadTS))
		}
		ch, ts, err := b.api.PostMessageContext(ctx, channel, opts...)
		if err != nil {
			return "", b.classify(ctx, "chat.postMessage", err, d.DM)
		}
		sent = kit.SentID(ch, ts)
	}
	return sent, nil
}

// Slack error strings, by what the outbox should do about them.
var (
	unreachable = map[string]bool{"user_not_found": true, "users_not_found": true,
		"cannot_dm_bot": true, "user_disabled": true, "user_is_restricted": true}
	unauthorized = map[string]bool{"invalid_auth": true, "token_revoked": true,
		"not_authed": true, "token_expired": true, "no_permission": true, "org_login_required": true,
		"ekm_access_denied": true, "two_factor_setup_required": true}
	temporary = map[string]bool{"internal_error": true, "fatal_error": true,
		"service_unavailable": true, "request_timeout": true, "ratelimited": true}
)

// classify turns an SDK error into a *core.DeliveryError. dm says whether the message was
// for a person's DM, where account_inactive means that person rather than the bot.
func (b *Bot) classify(ctx context.Context, method string, err error, dm bool) *core.DeliveryError {
	wrap := fmt.Errorf("slack: %s: %w", method, err)
	if rl, ok := errors.AsType[*sl.RateLimitedError](err); ok {
		// chat.* limits hold per channel; others (conversations.open) for the whole workspace.
		return &core.DeliveryError{Kind: core.DeliveryRateLimited, RetryAfter: max(rl.RetryAfter, time.Second),
			Global: !strings.HasPrefix(method, "chat."), Reason: "rate limited", Err: wrap}
	}
	if sc, ok := errors.AsType[sl.StatusCodeError](err); ok {
		switch {
		case sc.Code == http.StatusTooManyRequests:
			return &core.DeliveryError{Kind: core.DeliveryRateLimited, RetryAfter: time.Second, Reason: sc.Status, Err: wrap}
		case sc.Code == http.StatusUnauthorized:
			return &core.DeliveryError{Kind: core.DeliveryUnauthorized, Reason: sc.Status, Err: wrap}
		case sc.Code >= 500:
			return &core.DeliveryError{Kind: core.DeliveryTemporary, Reason: sc.Status, Err: wrap}
		default:
			return &core.DeliveryError{Kind: core.DeliveryPermanent, Reason: sc.Status, Err: wrap}
		}
	}
	if se, ok := errors.AsType[sl.SlackErrorResponse](err); ok {
		code := se.Err
		switch {
		case code == "account_inactive":
			if dm && b.tokenWorks(ctx) {
				return &core.DeliveryError{Kind: core.DeliveryPermanent, Unreachable: true, Reason: code, Err: wrap}
			}
			return &core.DeliveryError{Kind: core.DeliveryUnauthorized, Reason: code, Err: wrap}
		case unreachable[code]:
			return &core.DeliveryError{Kind: core.DeliveryPermanent, Unreachable: true, Reason: code, Err: wrap}
		case unauthorized[code]:
			return &core.DeliveryError{Kind: core.DeliveryUnauthorized, Reason: code, Err: wrap}
		case code == "ratelimited":
			return &core.DeliveryError{Kind: core.DeliveryRateLimited, RetryAfter: time.Second, Reason: code, Err: wrap}
		case temporary[code]:
			return &core.DeliveryError{Kind: core.DeliveryTemporary, Reason: code, Err: wrap}
		}
		// channel_not_found, not_in_channel, is_archived, invalid_blocks, msg_too_long,
		// message_not_found, cant_update_message, missing_scope…: never retried.
		return &core.DeliveryError{Kind: core.DeliveryPermanent, Reason: code, Err: wrap}
	}
	if _, ok := errors.AsType[net.Error](err); ok || errors.Is(err, context.DeadlineExceeded) {
		return &core.DeliveryError{Kind: core.DeliveryTemporary, Reason: "network", Err: wrap}
	}
	return &core.DeliveryError{Kind: core.DeliveryTemporary, Err: wrap}
}

// tokenWorks asks auth.test whether the bot token is still good.
func (b *Bot) tokenWorks(ctx context.Context) bool {
	_, err := b.api.AuthTestContext(ctx)
	return err == nil
}
