// Package discord is earshot's Discord adapter, built on discordgo. It owns the gateway
// connection (intents, heartbeats, resume), the application commands, the HTTP interactions
// endpoint (Ed25519 plus a freshness window), the translation of Discord events into
// core.Incoming, and the rendering of core.Message as Discord messages (content, embeds,
// buttons, modals) for core's outbox through core.Messenger.
//
// A sent message's id (SentID) is "channelID/messageID" (kit.SentID): edits need both, and a
// thread started from that message has the message's id as its channel id. It is a
// core.Adapter; the policies it shares with the other adapters (the event guard, reconnects,
// the webhook gate, caches, splitting) are in bots/internal/kit.
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

	"earshot/bots/internal/kit"
	apitransport "earshot/bots/internal/transport"
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
	// Texts renders the adapter's own words and the application commands (required).
	Texts core.Texts
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

	dms        *kit.Cache[string, string] // user id -> DM channel id
	parents    *kit.Cache[string, string] // channel id -> parent id of a thread, "" for other channels
	threads    *kit.Cache[string, bool]   // thread ids known to exist
	titles     *kit.Cache[string, string] // sentID of a team card -> its title, to name its thread
	noteLabels *kit.Cache[string, string] // payload of a NeedsNote choice -> the modal's label

	guard   *kit.Guard  // hands events to the core (poison bound, outages)
	status  *kit.Status // what /healthz reports
	gate    *kit.Gate   // bounds unverified interaction requests
	backoff kit.Backoff // reconnects

	mu        sync.Mutex
	botUserID string
	runCtx    context.Context // Run's context, for gateway events; nil outside Run
}

var (
	_ core.Adapter        = (*Bot)(nil)
	_ core.InviteLinker   = (*Bot)(nil)
	_ core.WebhookRouter  = (*Bot)(nil)
	_ core.StatusReporter = (*Bot)(nil)
	_ core.CommandMenu    = (*Bot)(nil)
	_ core.Paced          = (*Bot)(nil)
)

// maxCached bounds each of the adapter's caches.
const maxCached = 10000

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
	if opts.Texts == nil {
		return nil, errors.New("discord: texts is nil")
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	b := &Bot{opts: opts, h: h, log: log, now: time.Now,
		window: 5 * time.Minute, ackBy: 2 * time.Second,
		dms: kit.NewCache[string, string](maxCached), parents: kit.NewCache[string, string](maxCached),
		threads: kit.NewCache[string, bool](maxCached), titles: kit.NewCache[string, string](maxCached),
		noteLabels: kit.NewCache[string, string](maxCached),
		status:     kit.NewStatus(), gate: kit.NewGate(maxUnverified, log)}
	b.tune(time.Second, 0)
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
	client := &http.Client{Timeout: 20 * time.Second, Transport: apitransport.New(apitransport.Options{})}
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
	s.AddHandler(func(*discordgo.Session, *discordgo.Connect) { b.status.Connected() })
	s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) {
		b.status.Failed(false, "gateway disconnected; discordgo reconnects")
	})
	s.AddHandler(b.onMessage)
	s.AddHandler(b.onInteraction)
	b.s = s
	return b, nil
}

// Platform is core.Discord.
func (b *Bot) Platform() core.Platform { return core.Discord }

// Singleton is true (core.Singleton): every replica's gateway connection would receive every
// message, so only one replica holds it; the HTTP interactions endpoint works on every one.
func (b *Bot) Singleton() bool { return true }

// tune sets the backoff's first wait and the poison bound (0: the kit's default).
func (b *Bot) tune(base time.Duration, maxAttempts int) {
	b.backoff = kit.Backoff{Base: base, Max: time.Minute}
	b.guard = kit.NewGuard(b.h, b.log, kit.GuardOptions{MaxAttempts: maxAttempts,
		Backoff: kit.Backoff{Base: base / 5, Max: 30 * time.Second}})
}

// Run connects to the gateway, registers the application commands and serves events until
// ctx is done (core.Adapter); then it closes the connection. A failed connection, a refused
// token included, is retried with backoff and reported through Status; once connected,
// discordgo resumes a lost connection itself.
func (b *Bot) Run(ctx context.Context) error {
	defer b.status.Stopped()
	b.mu.Lock()
	b.runCtx = ctx
	b.mu.Unlock()
	conn := kit.Connector{Status: b.status, Backoff: b.backoff, Log: b.log, Refused: tokenRefused}
	if conn.Connect(ctx, "discord: open gateway", func(context.Context) error { return b.s.Open() }) != nil {
		return nil
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

// tokenRefused reports whether Discord refused the token: a 401 from REST, or the gateway's
// close code 4004 (authentication failed).
func tokenRefused(err error) bool {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return true
	}
	return strings.Contains(err.Error(), "4004")
}

// eventContext is the context gateway events are handled under: Run's, so that a held event
// waits out an outage until shutdown.
func (b *Bot) eventContext() context.Context {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.runCtx == nil {
		return context.Background()
	}
	return b.runCtx
}

// Status reports the connection's state (core.StatusReporter).
func (b *Bot) Status() core.AdapterStatus { return b.status.Status() }

// DefaultPace is Discord's published limits (core.Paced).
func (b *Bot) DefaultPace() core.Pace { return core.DefaultPace(core.Discord) }

// WebhookRoutes is the interactions endpoint when a public key is configured
// (core.WebhookRouter).
func (b *Bot) WebhookRoutes() []core.WebhookRoute {
	if b.pub == nil {
		return nil
	}
	return []core.WebhookRoute{{Path: "/hooks/discord/interactions", Handler: b.InteractionsHandler()}}
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
	t := b.opts.Texts // the business's language: the invite is printed or sent by the business
	if id == "" {
		return t.Text(t.Default(), keyInviteDM, core.Args{"Token": token}), nil
	}
	return t.Text(t.Default(), keyInviteProfile, core.Args{"URL": "https://discord.com/users/" + id, "Token": token}), nil
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
