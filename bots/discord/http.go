package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// maxInteractionBody bounds an interaction request. The largest Discord sends carries the
// message a button was on: 2,000 characters of content, embeds of at most 6,000 characters
// and its components, JSON-escaped: well under 128 KiB. maxUnverified is how many requests
// are read and verified at once.
const (
	maxInteractionBody = 128 << 10
	maxUnverified      = 16
)

// InteractionsHandler serves POST /hooks/discord/interactions. Every request is verified
// before it reaches anything else: first the headers (an Ed25519 signature of the right size,
// a timestamp no more than 5 minutes off: discordgo's VerifyInteraction checks no freshness,
// so a captured request could be replayed forever), then, through the gate (size, requests
// in flight), the signature over timestamp+body against the application's public key.
// Unverified requests get 401 and never reach core. PING is answered with PONG.
func (b *Bot) InteractionsHandler() http.Handler { return http.HandlerFunc(b.serveInteraction) }

func (b *Bot) serveInteraction(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	ts, sig, reason := b.precheck(r.Header)
	if reason != "" {
		b.gate.Refuse(w, r, http.StatusUnauthorized, "invalid request signature", reason)
		return
	}
	body, ok := b.gate.Verify(w, r, maxInteractionBody, func(body []byte) error {
		msg := make([]byte, 0, len(ts)+len(body))
		msg = append(append(msg, ts...), body...)
		if !ed25519.Verify(b.pub, msg, sig) {
			return errors.New("bad signature")
		}
		return nil
	})
	if !ok {
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

// precheck checks what the headers alone can tell: a public key is configured, the
// signature is 64 bytes of hex, the timestamp is within the window. It returns the timestamp
// and signature, or why the request is refused.
func (b *Bot) precheck(h http.Header) (ts string, sig []byte, reason string) {
	if b.pub == nil {
		return "", nil, "no public key configured"
	}
	ts = h.Get("X-Signature-Timestamp")
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return "", nil, "no Ed25519 signature"
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "", nil, "no timestamp"
	}
	if age := b.now().Sub(time.Unix(secs, 0)); age > b.window || age < -b.window {
		return "", nil, "timestamp outside the 5-minute window"
	}
	return ts, sig, ""
}

// verify checks an interaction request's headers and signature.
func (b *Bot) verify(h http.Header, body []byte) bool {
	ts, sig, reason := b.precheck(h)
	if reason != "" {
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
