// Package telegram is earshot's Telegram adapter. It receives updates by long polling or by
// webhook, turns each into a core.Incoming and hands it to the core, confirming the update
// to Telegram only after the core returned; and it delivers core's neutral messages as
// HTML-formatted Telegram messages with inline keyboards (core.Messenger), classifying send
// failures as *core.DeliveryError. It builds on github.com/go-telegram/bot, except for
// getUpdates (see poll.go for why).
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
	HTTPClient *http.Client // default: a client without a global timeout (calls carry their own)
	// PollTimeout is how long one getUpdates call waits for updates; default 50s.
	PollTimeout time.Duration
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
	attempts map[int64]int // failed Handle attempts per update_id, for the poison bound
	threads  threads

	// maxAttempts bounds how often one update is handed to the core while it fails with an
	// internal error before it is skipped; retryBase is the first wait between attempts.
	maxAttempts int
	retryBase   time.Duration
	sendTimeout time.Duration
}

var (
	_ core.Messenger    = (*Bot)(nil)
	_ core.InviteLinker = (*Bot)(nil)
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
		client = &http.Client{}
	}
	b := &Bot{
		opts:        opts,
		h:           h,
		log:         log,
		client:      client,
		username:    strings.TrimPrefix(opts.Username, "@"),
		attempts:    map[int64]int{},
		maxAttempts: 10, // with retryBase 200ms: about 80 s of retries before a skip
		retryBase:   200 * time.Millisecond,
		sendTimeout: 30 * time.Second,
	}
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

// Run connects and blocks until ctx is done: it learns the bot's username, registers the
// commands, then long-polls (deleting any webhook first) or sets the webhook. It returns nil
// when ctx ends, and an error when Telegram refuses the token.
func (b *Bot) Run(ctx context.Context) error {
	if err := b.hello(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	b.registerCommands(ctx)
	if b.opts.Mode == ModeWebhook {
		return b.runWebhook(ctx)
	}
	return b.poll(ctx)
}

// hello calls getMe until it answers, giving up only on a refused token or ctx's end.
func (b *Bot) hello(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		me, err := b.getMe(ctx)
		if err == nil {
			b.log.Info("telegram bot connected", "username", me, "mode", b.opts.Mode)
			return nil
		}
		if isUnauthorized(err) {
			return fmt.Errorf("telegram: getMe: the token was refused: %w", err)
		}
		b.log.Warn("telegram getMe failed, retrying", "err", err)
		if !sleep(ctx, backoff(b.retryBase, attempt)) {
			return ctx.Err()
		}
	}
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

// backoff is base·2^attempt, capped at 30 s.
func backoff(base time.Duration, attempt int) time.Duration {
	d := base
	for i := 0; i < attempt && d < 30*time.Second; i++ {
		d *= 2
	}
	return min(d, 30*time.Second)
}

// sleep waits d or until ctx ends; it reports whether the wait completed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
