// Package discord is earshot's Discord adapter, built on discordgo. It owns the gateway
// connection (intents, heartbeats, resume), the application commands, the HTTP interactions
// endpoint (Ed25519 plus a freshness window), the translation of Discord events into
// core.Incoming, and the rendering of core.Message as Discord messages (content, embeds,
// buttons, modals) for core's outbox through core.Messenger.
//
// A sent message's id (SentID) is "channelID/messageID": edits need both, and a thread
// started from that message has the message's id as its channel id.
package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"earshot/core"
)

// Options configure a Bot.
type Options struct {
	Token         string // the bot token, with or without the "Bot " prefix
	ApplicationID string
	PublicKey     string // the application's public key, hex; empty disables HTTP interactions
	// APIURL replaces https://discord.com for REST and the gateway lookup (tests, proxies);
	// empty means Discord itself.
	APIURL string
	// TeamChannel is where complaint cards go; guild messages are read only from it and from
	// its threads.
	TeamChannel core.ChatRef
	// GuildID scopes the team commands; empty: the team channel's guild, looked up on start.
	GuildID    string
	HTTPClient *http.Client // nil: a client with a 20 s timeout
}

// Bot is a Discord adapter: a core.Messenger and the source of Discord's inbound events.
type Bot struct {
	opts   Options
	h      core.Handler
	log    *slog.Logger
	s      *discordgo.Session
	pub    ed25519.PublicKey
	now    func() time.Time
	window time.Duration // how old an interaction's timestamp may be
	ackBy  time.Duration // answer an interaction by then, deferring if Handle is still busy

	mu         sync.Mutex
	botUserID  string
	dms        map[string]string // user id -> DM channel id
	parents    map[string]string // channel id -> parent id of a thread, "" for other channels
	threads    map[string]bool   // thread ids known to exist
	titles     map[string]string // sentID of a team card -> its title, to name its thread
	noteLabels map[string]string // payload of a NeedsNote choice -> the modal's label
}

var (
	_ core.Messenger    = (*Bot)(nil)
	_ core.InviteLinker = (*Bot)(nil)
)

const (
	discordHost = "discord.com"
	intents     = discordgo.IntentsDirectMessages | discordgo.IntentsGuildMessages | discordgo.IntentsMessageContent
)

// New returns a Bot that hands inbound events to h. It does not connect; Run does.
func New(opts Options, h core.Handler, log *slog.Logger) (*Bot, error) {
	if strings.TrimSpace(opts.Token) == "" {
		return nil, errors.New("discord: token is empty")
	}
	if opts.ApplicationID == "" {
		return nil, errors.New("discord: application_id is empty")
	}
	if h == nil {
		return nil, errors.New("discord: handler is nil")
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	b := &Bot{opts: opts, h: h, log: log, now: time.Now,
		window: 5 * time.Minute, ackBy: 2 * time.Second,
		dms: map[string]string{}, parents: map[string]string{}, threads: map[string]bool{},
		titles: map[string]string{}, noteLabels: map[string]string{}}
	if opts.PublicKey != "" {
		k, err := hex.DecodeString(strings.TrimSpace(opts.PublicKey))
		if err != nil || len(k) != ed25519.PublicKeySize {
			return nil, errors.New("discord: public_key must be 64 hex digits")
		}
		b.pub = ed25519.PublicKey(k)
	}
	target, err := apiTarget(opts.APIURL)
	if err != nil {
		return nil, err
	}
	token := strings.TrimSpace(opts.Token)
	if !strings.HasPrefix(token, "Bot ") {
		token = "Bot " + token
	}
	s, err := discordgo.New(token)
	if err != nil {
		return nil, fmt.Errorf("discord: new session: %w", err)
	}
	client := &http.Client{Timeout: 20 * time.Second}
	if opts.HTTPClient != nil {
		c := *opts.HTTPClient
		client = &c
	}
	client.Transport = &transport{base: client.Transport, target: target}
	s.Client = client
	s.ShouldRetryOnRateLimit = false // a 429 comes back as *RateLimitError; the outbox waits
	s.MaxRestRetries = 0             // a 502 is the outbox's to retry, with backoff
	s.SyncEvents = true              // one event at a time, in gateway order
	s.StateEnabled = false
	s.Identify.Intents = intents
	s.AddHandler(b.onReady)
	s.AddHandler(b.onMessage)
	s.AddHandler(b.onInteraction)
	b.s = s
	return b, nil
}

// Platform is core.Discord.
func (b *Bot) Platform() core.Platform { return core.Discord }

// Run connects to the gateway, registers the application commands and serves events until
// ctx is done; then it closes the connection. It retries a failed first connection with
// backoff, except when Discord refuses the token.
func (b *Bot) Run(ctx context.Context) error {
	wait := time.Second
	for {
		err := b.s.Open()
		if err == nil {
			break
		}
		var re *discordgo.RESTError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
			return fmt.Errorf("discord: open gateway: the token was refused: %w", err)
		}
		b.log.Warn("discord: open gateway failed, retrying", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(wait*2, time.Minute)
	}
	b.log.Info("discord: connected to the gateway")
	if err := b.registerCommands(ctx); err != nil {
		b.log.Error("discord: register application commands", "err", err)
	}
	<-ctx.Done()
	if err := b.s.Close(); err != nil {
		b.log.Warn("discord: close gateway", "err", err)
	}
	return nil
}

// InviteLink tells a customer how to start a conversation with the bot on Discord: open the
// bot's profile (a link with the bot's user id, asked of Discord when not yet connected) and
// send "start TOKEN" in a DM.
func (b *Bot) InviteLink(ctx context.Context, token string) (string, error) {
	id := b.selfID()
	if id == "" {
		opts, _ := call(ctx)
		if u, err := b.s.User("@me", opts...); err == nil && u != nil {
			id = u.ID
			b.mu.Lock()
			b.botUserID = id
			b.mu.Unlock()
		} else {
			b.log.Warn("discord: look up the bot user", "err", err)
		}
	}
	if id == "" {
		return "open a direct message with the bot on Discord and send: start " + token, nil
	}
	return "open https://discord.com/users/" + id + " , message the bot and send: start " + token, nil
}

func (b *Bot) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	if r.User == nil {
		return
	}
	b.mu.Lock()
	b.botUserID = r.User.ID
	b.mu.Unlock()
}

func (b *Bot) selfID() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.botUserID
}

// apiTarget parses api_url; nil means Discord itself.
func apiTarget(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("discord: api_url %q must be an absolute http(s) URL", raw)
	}
	if u.Host == discordHost && u.Scheme == "https" && strings.Trim(u.Path, "/") == "" {
		return nil, nil
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

// transport sends discordgo's requests for https://discord.com to api_url instead, and notes
// what each response said about rate limits for the call that made it.
type transport struct {
	base   http.RoundTripper
	target *url.URL
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.target != nil && req.URL.Host == discordHost {
		r := req.Clone(req.Context())
		r.URL.Scheme = t.target.Scheme
		r.URL.Host = t.target.Host
		r.URL.Path = t.target.Path + req.URL.Path
		r.URL.RawPath = ""
		r.Host = ""
		req = r
	}
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	if info, ok := req.Context().Value(callKey{}).(*callInfo); ok {
		info.note(resp)
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		// The outbox waits out a 429 (per chat, or the whole platform when global). Left in,
		// these headers would make discordgo sleep before later requests too — a global one
		// before every request, interaction answers included, which Discord exempts.
		for _, h := range []string{"X-RateLimit-Global", "X-RateLimit-Reset", "X-RateLimit-Reset-After", "X-RateLimit-Remaining"} {
			resp.Header.Del(h)
		}
	}
	return resp, nil
}
