// Package telegram is earshot's Telegram adapter. It receives updates by long polling or by
// webhook, turns each into a core.Incoming and hands it to the core, confirming the update
// to Telegram only after the core returned; and it delivers core's neutral messages as
// HTML-formatted Telegram messages with inline keyboards (core.Messenger), classifying send
// failures as *core.DeliveryError. It builds on github.com/go-telegram/bot, except for
// getUpdates (see poll.go for why). It is a core.Adapter; the policies it shares with the
// other adapters (the event guard, reconnects, caches, splitting, sent ids) are in
// bots/internal/kit.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"earshot/bots/internal/kit"
	"earshot/bots/internal/transport"
	"earshot/core"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Connection modes.
const (
	ModePolling = "polling"
	ModeWebhook = "webhook"
)

// Options configure a Bot.
type Options struct {
	Token  string
	APIURL string // default https://api.telegram.org; a self-hosted Bot API server or a test server
	Mode   string // ModePolling (default) or ModeWebhook
	// WebhookSecret is the secret_token given to setWebhook and expected back in the
	// X-Telegram-Bot-Api-Secret-Token header (1–256 of A–Z a–z 0–9 _ -). Webhook mode only.
	WebhookSecret string
	// WebhookURL is the public HTTPS URL of WebhookHandler (…/hooks/telegram). Webhook mode only.
	WebhookURL string
	// Username is the bot's username without "@"; learned from getMe when empty.
	Username string
	// TeamChat is the team group, when it is on Telegram: team commands are registered
	// for it as well as for all groups.
	TeamChat   core.ChatRef
	HTTPClient *http.Client // default: a client without a global timeout (calls carry their own), reusing connections
	// PollTimeout is how long one getUpdates call waits for updates; default 50s.
	PollTimeout time.Duration
	// Texts renders the adapter's own words and the command menus (required).
	Texts core.Texts
}

// Bot is a Telegram bot: a core.Messenger and an inbound event source.
type Bot struct {
	opts   Options
	h      core.Handler
	log    *slog.Logger
	api    *bot.Bot
	client *http.Client
	botID  int64

	mu       sync.Mutex
	username string
	threads  threads

	guard       *kit.Guard  // hands updates to the core (poison bound, outages)
	status      *kit.Status // what /healthz reports
	backoff     kit.Backoff // reconnects and failed polls
	sendTimeout time.Duration
}

var (
	_ core.Adapter        = (*Bot)(nil)
	_ core.InviteLinker   = (*Bot)(nil)
	_ core.WebhookRouter  = (*Bot)(nil)
	_ core.StatusReporter = (*Bot)(nil)
	_ core.CommandMenu    = (*Bot)(nil)
	_ core.Paced          = (*Bot)(nil)
	_ core.ContactFirst   = (*Bot)(nil)
)

var secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// New checks the options and returns a bot. It makes no network call.
func New(opts Options, h core.Handler, log *slog.Logger) (*Bot, error) {
	if strings.TrimSpace(opts.Token) == "" {
		return nil, errors.New("telegram: no token")
	}
	if h == nil {
		return nil, errors.New("telegram: no handler")
	}
	if opts.Texts == nil {
		return nil, errors.New("telegram: no texts")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.APIURL == "" {
		opts.APIURL = "https://api.telegram.org"
	}
	opts.APIURL = strings.TrimRight(opts.APIURL, "/")
	switch opts.Mode {
	case "":
		opts.Mode = ModePolling
	case ModePolling:
	case ModeWebhook:
		if !secretPattern.MatchString(opts.WebhookSecret) {
			return nil, errors.New("telegram: webhook mode needs a webhook secret of 1-256 characters A-Z a-z 0-9 _ -")
		}
		if !strings.HasPrefix(opts.WebhookURL, "https://") && !strings.HasPrefix(opts.WebhookURL, "http://127.0.0.1") {
			return nil, errors.New("telegram: webhook mode needs the public https:// URL of /hooks/telegram")
		}
	default:
		return nil, fmt.Errorf("telegram: mode %q: want polling or webhook", opts.Mode)
	}
	if opts.PollTimeout <= 0 {
		opts.PollTimeout = 50 * time.Second
	}
	client := opts.HTTPClient
	if client == nil {
		client = &http.Client{Transport: transport.New(transport.Options{})}
	}
	b := &Bot{
		opts:        opts,
		h:           h,
		log:         log,
		client:      client,
		username:    strings.TrimPrefix(opts.Username, "@"),
		status:      kit.NewStatus(),
		threads:     newThreads(),
		sendTimeout: 30 * time.Second,
	}
	b.tune(200*time.Millisecond, 0)
	b.botID, _ = strconv.ParseInt(strings.SplitN(opts.Token, ":", 2)[0], 10, 64)
	api, err := bot.New(opts.Token,
		bot.WithServerURL(opts.APIURL),
		bot.WithSkipGetMe(),
		bot.WithHTTPClient(opts.PollTimeout, client),
		bot.WithErrorsHandler(func(err error) { b.log.Warn("telegram sdk", "err", b.scrub(err)) }),
		bot.WithDefaultHandler(func(context.Context, *bot.Bot, *models.Update) {}),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", b.scrub(err))
	}
	b.api = api
	return b, nil
}

// Platform reports core.Telegram.
func (b *Bot) Platform() core.Platform { return core.Telegram }

// tune sets the backoff's first wait and the poison bound (0: the kit's default).
func (b *Bot) tune(base time.Duration, maxAttempts int) {
	b.backoff = kit.Backoff{Base: base, Max: 30 * time.Second}
	b.guard = kit.NewGuard(b.h, b.log, kit.GuardOptions{MaxAttempts: maxAttempts,
		Backoff: kit.Backoff{Base: base, Max: min(30*time.Second, 100*base)}})
}

// Run connects and serves until ctx is done (core.Adapter): it learns the bot's username
// (getMe), registers the command menus, then long-polls (deleting any webhook first) or sets
// the webhook. Failures, a refused token included, are retried with backoff and reported
// through Status; it returns nil when ctx ends.
func (b *Bot) Run(ctx context.Context) error {
	defer b.status.Stopped()
	conn := kit.Connector{Status: b.status, Backoff: b.backoff, Log: b.log, Refused: isUnauthorized}
	for attempt := 0; ; attempt++ {
		if conn.Connect(ctx, "telegram getMe", func(ctx context.Context) error {
			me, err := b.getMe(ctx)
			if err == nil {
				b.log.Info("telegram bot connected", "username", me, "mode", b.opts.Mode)
			}
			return err
		}) != nil {
			return nil
		}
		b.registerCommands(ctx)
		var err error
		if b.opts.Mode == ModeWebhook {
			err = b.runWebhook(ctx, conn)
		} else {
			err = b.poll(ctx)
		}
		if err == nil || ctx.Err() != nil {
			return nil
		}
		wait := b.backoff.Wait(attempt)
		b.status.Failed(isUnauthorized(err), err.Error())
		b.log.Error("telegram: connection lost; reconnecting", "err", err, "retry_in", wait)
		if !kit.Sleep(ctx, wait) {
			return nil
		}
	}
}

// Status reports the connection's state (core.StatusReporter).
func (b *Bot) Status() core.AdapterStatus { return b.status.Status() }

// DefaultPace is Telegram's published limits (core.Paced).
func (b *Bot) DefaultPace() core.Pace { return core.DefaultPace(core.Telegram) }

// Singleton is true while polling (core.Singleton): Telegram answers one getUpdates per bot
// at a time, so only one replica may poll; webhooks reach every replica.
func (b *Bot) Singleton() bool { return b.opts.Mode == ModePolling }

// DMNeedsContact is true: a Telegram bot may message only people who opened it (core.ContactFirst).
func (b *Bot) DMNeedsContact() bool { return true }

// WebhookRoutes is /hooks/telegram (core.WebhookRouter); while polling it refuses every
// request, having no secret.
func (b *Bot) WebhookRoutes() []core.WebhookRoute {
	return []core.WebhookRoute{{Path: "/hooks/telegram", Handler: b.WebhookHandler()}}
}

// getMe asks Telegram who the bot is and remembers its username.
func (b *Bot) getMe(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, b.sendTimeout)
	defer cancel()
	me, err := b.api.GetMe(ctx)
	if err != nil {
		return "", fmt.Errorf("telegram: get me: %w", b.scrub(err))
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.opts.Username != "" && !strings.EqualFold(b.username, me.Username) {
		b.log.Warn("telegram: configured username differs from getMe; using getMe's", "configured", b.username, "actual", me.Username)
	}
	b.username = me.Username
	if me.ID != 0 {
		b.botID = me.ID
	}
	return me.Username, nil
}

// Username returns the bot's username, asking Telegram when it is not known yet.
func (b *Bot) Username(ctx context.Context) (string, error) {
	b.mu.Lock()
	u := b.username
	b.mu.Unlock()
	if u != "" {
		return u, nil
	}
	return b.getMe(ctx)
}

var startParam = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// InviteLink returns the deep link that opens the bot with /start token:
// https://t.me/<username>?start=<token>. Telegram allows 1–64 characters A–Z a–z 0–9 _ -.
func (b *Bot) InviteLink(ctx context.Context, token string) (string, error) {
	if !startParam.MatchString(token) {
		return "", fmt.Errorf("telegram: invite token %q: a deep link takes 1-64 characters A-Z a-z 0-9 _ -", token)
	}
	u, err := b.Username(ctx)
	if err != nil {
		return "", err
	}
	return "https://t.me/" + u + "?start=" + token, nil
}

// scrub hides the token in an error's text (the SDK and net/http put it in URLs).
func (b *Bot) scrub(err error) error {
	if err == nil || !strings.Contains(err.Error(), b.opts.Token) {
		return err
	}
	return &scrubbed{msg: strings.ReplaceAll(err.Error(), b.opts.Token, "<token>"), err: err}
}

type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }
