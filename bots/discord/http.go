package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

const maxInteractionBody = 1 << 20

// InteractionsHandler serves POST /hooks/discord/interactions. Every request is verified
// before anything is read from it: the Ed25519 signature over timestamp+body against the
// application's public key, and a timestamp no more than 5 minutes off (discordgo's
// VerifyInteraction checks no freshness, so a captured request could be replayed forever).
// Unverified requests get 401 and never reach core. PING is answered with PONG.
func (b *Bot) InteractionsHandler() http.Handler { return http.HandlerFunc(b.serveInteraction) }

func (b *Bot) serveInteraction(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxInteractionBody+1))
	if err != nil || len(body) > maxInteractionBody {
		http.Error(w, "bad request body", http.StatusBadRequest)
		return
	}
	if !b.verify(r.Header, body) {
		b.log.Warn("discord: interaction refused: bad signature or stale timestamp", "remote", r.RemoteAddr)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		http.Error(w, "bad interaction", http.StatusBadRequest)
		return
	}
	if i.Type == discordgo.InteractionPing {
		writeJSON(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}
	var once sync.Once
	answered := false
	b.interact(context.WithoutCancel(r.Context()), &i, func(resp *discordgo.InteractionResponse) error {
		once.Do(func() {
			answered = true
			writeJSON(w, resp)
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
		})
		return nil
	})
	if !answered {
		writeJSON(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate})
	}
}

// verify checks the signature headers of an interaction request.
func (b *Bot) verify(h http.Header, body []byte) bool {
	if b.pub == nil {
		return false
	}
	ts := h.Get("X-Signature-Timestamp")
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize || ts == "" {
		return false
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	age := b.now().Sub(time.Unix(secs, 0))
	if age > b.window || age < -b.window {
		return false
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	return ed25519.Verify(b.pub, msg, sig)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
