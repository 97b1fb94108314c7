package slack

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"

	sl "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

const maxWebhookBody = 1 << 20

// verified reads the raw body and checks Slack's signature over it and the timestamp
// (5 minutes either way). On failure it answers 401 and returns false.
func (b *Bot) verified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	if b.opts.SigningSecret == "" {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return nil, false
	}
	sv, err := sl.NewSecretsVerifier(r.Header, b.opts.SigningSecret)
	if err == nil {
		_, _ = sv.Write(body)
		err = sv.Ensure()
	}
	if err != nil {
		b.log.Warn("slack webhook refused", "path", r.URL.Path, "reason", err.Error())
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// EventsHandler serves /hooks/slack/events (HTTP mode): url_verification challenges and
// Events API callbacks. A retried callback (X-Slack-Retry-Num) is handled like the first:
// core drops it by its event_id. It answers 500 when core failed internally, so Slack retries.
func (b *Bot) EventsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := b.verified(w, r)
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
		if err := b.onEvent(r.Context(), ev); errors.Is(err, errRetry) {
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
		body, ok := b.verified(w, r)
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
		body, ok := b.verified(w, r)
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
