package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"earshot/bots/internal/kit"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Why getUpdates is called here and not through the SDK's poller: bot.Start stores each
// update's id as the next offset while handing the update to a channel, before any handler
// ran, and its next getUpdates call confirms it to Telegram; if the process dies before the
// handler committed the update's effect, the update is gone. v1.19.0 exports neither its
// getUpdates nor its raw request method, so this one call is made directly, on the same
// HTTP client and with the SDK's models, and the offset moves past an update only after the
// core returned for it. Every other method goes through the SDK.

// allowedUpdates are the update kinds the adapter acts on.
var allowedUpdates = []string{"message", "callback_query"}

// apiError is a Bot API error answer to a call made without the SDK.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Description) }

// getUpdates asks for updates from offset on, waiting up to wait for one to arrive.
func (b *Bot) getUpdates(ctx context.Context, offset int64, wait time.Duration, limit int) ([]*models.Update, error) {
	params := map[string]any{"offset": offset, "timeout": int(wait / time.Second), "limit": limit, "allowed_updates": allowedUpdates}
	body, _ := json.Marshal(params)
	ctx, cancel := context.WithTimeout(ctx, wait+30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.opts.APIURL+"/bot"+b.opts.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("telegram: get updates: %w", b.scrub(err))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("telegram: get updates: %w", b.scrub(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("telegram: get updates: read: %w", b.scrub(err))
	}
	var r struct {
		OK          bool              `json:"ok"`
		Result      []json.RawMessage `json:"result"`
		ErrorCode   int               `json:"error_code"`
		Description string            `json:"description"`
		Parameters  struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("telegram: get updates: HTTP %d, undecodable answer: %w", resp.StatusCode, err)
	}
	if !r.OK {
		return nil, fmt.Errorf("telegram: get updates: %w", &apiError{Code: r.ErrorCode, Description: r.Description, RetryAfter: r.Parameters.RetryAfter})
	}
	// Decode one by one, so that one update the SDK's models cannot read is skipped rather
	// than blocking every update behind it.
	out := make([]*models.Update, 0, len(r.Result))
	for _, one := range r.Result {
		u := &models.Update{}
		if err := json.Unmarshal(one, u); err != nil {
			var id struct {
				ID int64 `json:"update_id"`
			}
			_ = json.Unmarshal(one, &id)
			b.log.Error("telegram: undecodable update skipped", "update_id", id.ID, "err", err)
			u = &models.Update{ID: id.ID}
		}
		out = append(out, u)
	}
	return out, nil
}

// poll long-polls until ctx ends, handing updates to the core one at a time, in order. The
// offset sent to Telegram moves past an update only after the guard confirmed it; while the
// guard holds an update (the store is down) no further update is asked for. It returns nil
// when ctx ends and the error when Telegram refuses the token.
func (b *Bot) poll(ctx context.Context) error {
	if _, err := b.api.DeleteWebhook(ctx, &bot.DeleteWebhookParams{}); err != nil && ctx.Err() == nil {
		b.log.Warn("telegram: delete webhook before polling", "err", b.scrub(err))
	}
	var offset int64
	failures := 0
	for ctx.Err() == nil {
		updates, err := b.getUpdates(ctx, offset, b.opts.PollTimeout, 100)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if isUnauthorized(err) {
				b.confirm(ctx, offset)
				return err
			}
			wait := b.backoff.Wait(failures)
			if ae, ok := errors.AsType[*apiError](err); ok && ae.RetryAfter > 0 {
				wait = time.Duration(ae.RetryAfter) * time.Second
			}
			failures++
			b.status.Failed(false, err.Error())
			b.log.Warn("telegram: get updates failed", "err", err, "retry_in", wait)
			kit.Sleep(ctx, wait)
			continue
		}
		failures = 0
		b.status.Connected()
		for _, u := range updates {
			if !b.process(ctx, u) {
				break // shutting down: the next run gets it again
			}
			offset = u.ID + 1
		}
	}
	b.confirm(ctx, offset)
	return nil
}

// confirm tells Telegram, on the way out, that every update below offset was handled, so a
// restart does not get them again (it would only find them deduplicated).
func (b *Bot) confirm(ctx context.Context, offset int64) {
	if offset == 0 {
		return
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if _, err := b.getUpdates(cctx, offset, 0, 1); err != nil {
		b.log.Debug("telegram: final offset confirmation", "err", err)
	}
}

func isUnauthorized(err error) bool {
	if errors.Is(err, bot.ErrorUnauthorized) {
		return true
	}
	ae, ok := errors.AsType[*apiError](err)
	return ok && ae.Code == http.StatusUnauthorized
}
