package slack

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	sl "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// Body limits per endpoint, well above what Slack sends and far below what a flood of
// forged requests could make the service hold. Slack truncates a message at 40,000
// characters, so an event (text plus its rich_text blocks) stays under 512 KiB; an
// interaction carries the message it was on (at most 50 blocks, URL-encoded); a slash
// command is one line of text.
const (
	maxEventBody       = 512 << 10
	maxInteractionBody = 1 << 20
	maxCommandBody     = 64 << 10
	// maxUnverified is how many webhook requests are read and verified at once.
	maxUnverified = 16
	// signatureWindow is how far a request's timestamp may be from now (Slack's advice).
	signatureWindow = 5 * time.Minute
)

// verified checks what can be checked without the body (the signing secret is set, the
// signature header has Slack's form, the timestamp is within 5 minutes), then reads the
// body through the gate (declared size, requests in flight, the limit) and checks Slack's
// signature over it. On failure it has answered (401, 413 or 503) and returns false.
func (b *Bot) verified(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return nil, false
	}
	if reason := b.precheck(r.Header); reason != "" {
		b.gate.Refuse(w, r, http.StatusUnauthorized, "unauthorized", reason)
		return nil, false
	}
	return b.gate.Verify(w, r, limit, func(body []byte) error {
		sv, err := sl.NewSecretsVerifier(r.Header, b.opts.SigningSecret)
		if err != nil {
			return err
		}
		_, _ = sv.Write(body)
		return sv.Ensure()
	})
}

// precheck returns why the headers alone refuse a request, or "".
func (b *Bot) precheck(h http.Header) string {
	if b.opts.SigningSecret == "" {
		return "no signing secret configured"
	}
	sig, ok := strings.CutPrefix(h.Get("X-Slack-Signature"), "v0=")
	if _, err := hex.DecodeString(sig); !ok || len(sig) != 64 || err != nil {
		return "no v0 signature"
	}
	secs, err := strconv.ParseInt(h.Get("X-Slack-Request-Timestamp"), 10, 64)
	if err != nil {
		return "no timestamp"
	}
	if d := time.Since(time.Unix(secs, 0)); d > signatureWindow || d < -signatureWindow {
		return "timestamp outside the 5-minute window"
	}
	return ""
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// EventsHandler serves /hooks/slack/events (HTTP mode): url_verification challenges and
// Events API callbacks. A retried callback (X-Slack-Retry-Num) is handled like the first:
// core drops it by its event_id. It answers 500 when the core could not commit the event
// within ackWithin (the store down), so Slack retries.
func (b *Bot) EventsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := b.verified(w, r, maxEventBody)
		if !ok {
			return
		}
		ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
		if err != nil {
			b.log.Warn("slack event unreadable", "err", err)
			w.WriteHeader(http.StatusOK) // nothing to retry: a redelivery would not read better
			return
		}
		if ev.Type == slackevents.URLVerification {
			var ch slackevents.ChallengeResponse
			_ = json.Unmarshal(body, &ch)
			writeJSON(w, ch)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), ackWithin)
		defer cancel()
		if err := b.onEvent(ctx, ev, true); errors.Is(err, errRetry) {
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// InteractivityHandler serves /hooks/slack/interactivity (HTTP mode): button presses and
// modal submissions.
func (b *Bot) InteractivityHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := b.verified(w, r, maxInteractionBody)
		if !ok {
			return
		}
		form, err := url.ParseQuery(string(body))
		var cb sl.InteractionCallback
		if err == nil {
			err = json.Unmarshal([]byte(form.Get("payload")), &cb)
		}
		if err != nil {
			http.Error(w, "bad payload", http.StatusBadRequest)
			return
		}
		payload, _ := b.onInteraction(r.Context(), cb)
		if payload == nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		writeJSON(w, payload)
	})
}

// CommandsHandler serves /hooks/slack/commands (HTTP mode): "/earshot <command> …",
// answered ephemerally in the response.
func (b *Bot) CommandsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := b.verified(w, r, maxCommandBody)
		if !ok {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		cmd, err := sl.SlashCommandParse(r)
		if err != nil || cmd.UserID == "" {
			http.Error(w, "bad command", http.StatusBadRequest)
			return
		}
		payload, _ := b.onCommand(r.Context(), cmd)
		if payload == nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		writeJSON(w, payload)
	})
}
