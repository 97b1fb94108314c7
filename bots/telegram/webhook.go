package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"earshot/bots/internal/kit"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// maxWebhookBody bounds what a webhook request may carry; updates are a few kilobytes.
const maxWebhookBody = 1 << 20

// runWebhook registers the webhook (retrying with backoff) and waits for ctx's end. Updates
// arrive through WebhookHandler, which the HTTP server serves at /hooks/telegram.
func (b *Bot) runWebhook(ctx context.Context, conn kit.Connector) error {
	err := conn.Connect(ctx, "telegram setWebhook", func(ctx context.Context) error {
		cctx, cancel := context.WithTimeout(ctx, b.sendTimeout)
		defer cancel()
		_, err := b.api.SetWebhook(cctx, &bot.SetWebhookParams{
			URL:         b.opts.WebhookURL,
			SecretToken: b.opts.WebhookSecret,
			// One connection: Telegram then sends the next update only after the last was
			// answered, so a customer's tap and the text typed right after reach the core in
			// order, as they do when polling. A small business's traffic fits easily.
			MaxConnections: 1,
			AllowedUpdates: allowedUpdates,
		})
		return b.scrub(err)
	})
	if err != nil {
		return nil // ctx ended
	}
	b.log.Info("telegram webhook set", "url", b.opts.WebhookURL)
	<-ctx.Done()
	return nil
}

// WebhookHandler serves POST /hooks/telegram. It checks the X-Telegram-Bot-Api-Secret-Token
// header in constant time before reading anything (401 otherwise), hands the update to the
// core, and answers 200 only once the guard confirmed it; otherwise (the store down past the
// request's deadline) 500, so that Telegram delivers the update again.
func (b *Bot) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if b.opts.WebhookSecret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(b.opts.WebhookSecret)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
		if err != nil {
			http.Error(w, "body too large or unreadable", http.StatusRequestEntityTooLarge)
			return
		}
		u := &models.Update{}
		if err := json.Unmarshal(body, u); err != nil || u.ID == 0 {
			// Telegram never sends this; answering 400 makes a forger's mistake visible.
			http.Error(w, "not a Telegram update", http.StatusBadRequest)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 60*time.Second)
		defer cancel()
		if !b.process(ctx, u) {
			http.Error(w, "not processed, send it again", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
