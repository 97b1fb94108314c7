// Package slack is earshot's Slack adapter, built on github.com/slack-go/slack. It owns the
// Slack side of the conversation: Socket Mode or signed HTTP webhooks in, core.Incoming to
// the core, and core.Message rendered as Block Kit out (Deliver, for the outbox). It knows
// nothing of surveys or complaints; it translates. It is a core.Adapter; the policies it
// shares with the other adapters (the event guard, reconnects, the webhook gate, caches,
// splitting, sent ids) are in bots/internal/kit, and its manifest.yaml is generated from
// core's command table (manifest.go).
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"earshot/bots/internal/kit"
	"earshot/bots/internal/transport"
	"earshot/core"

	sl "github.com/slack-go/slack"
)

// Options configure the adapter. BotToken is required; AppToken selects Socket Mode.
type Options struct {
	BotToken      string // xoxb-…
	AppToken      string // xapp-…: Socket Mode; empty: HTTP mode (webhooks)
	SigningSecret string // verifies webhooks in HTTP mode
	// APIURL is the Web API base ("https://slack.com/api/"); empty means Slack's.
	APIURL string
	// TeamChannel is where complaint cards go; thread replies there reach core.
	TeamChannel core.ChatRef
	HTTPClient  *http.Client // nil: a client with a 30 s timeout
	// Texts renders the adapter's own words (required).
	Texts core.Texts
}

// Bot is the Slack adapter: a core.Messenger and the source of Slack events for a Handler.
type Bot struct {
	opts Options
	api  *sl.Client
	h    core.Handler
	log  *slog.Logger
	hc   *http.Client

	dms      *kit.Cache[string, string]  // user id → IM channel id
	profiles *kit.Cache[string, profile] // user id → what users.info said
	guard    *kit.Guard                  // hands events to the core (poison bound, outages)
	status   *kit.Status                 // what /healthz reports
	gate     *kit.Gate                   // bounds unverified webhook requests
	backoff  kit.Backoff                 // reconnects

	mu      sync.Mutex
	botUser string              // our own user id, from auth.test
	appLink string              // https://slack.com/app_redirect?…, once known
	runCtx  context.Context     // Run's context, for events held in the background; nil outside Run
	held    map[string]struct{} // event ids held in the background (holdLater)
}

var (
	_ core.Adapter        = (*Bot)(nil)
	_ core.InviteLinker   = (*Bot)(nil)
	_ core.WebhookRouter  = (*Bot)(nil)
	_ core.StatusReporter = (*Bot)(nil)
	_ core.Paced          = (*Bot)(nil)
)

// Bounds of the adapter's memory: people it keeps a DM channel and a profile for.
const maxPeople = 10000

// profile is what users.info tells of a person.
type profile struct {
	name, tz, locale string
	at               time.Time
}

const (
	profileTTL = 24 * time.Hour
	// After a failed users.info the old (or empty) profile is kept this long, and the
	// lookup never takes more than profileWait: the event's ack must stay inside 3 s.
	profileRetry = 5 * time.Minute
	profileWait  = 1500 * time.Millisecond
)

// New returns a Bot that calls h for every Slack event. It makes no network calls.
func New(opts Options, h core.Handler, log *slog.Logger) (*Bot, error) {
	if strings.TrimSpace(opts.BotToken) == "" {
		return nil, errors.New("slack: a bot token (xoxb-…) is required")
	}
	if h == nil {
		return nil, errors.New("slack: a handler is required")
	}
	if opts.Texts == nil {
		return nil, errors.New("slack: texts are required")
	}
	if opts.AppToken == "" && opts.SigningSecret == "" {
		return nil, errors.New("slack: HTTP mode (no app token) needs a signing secret")
	}
	if !opts.TeamChannel.IsZero() && opts.TeamChannel.Platform != core.Slack {
		opts.TeamChannel = core.ChatRef{} // the team lives on another platform
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second, Transport: transport.New(transport.Options{})}
	}
	sdk := []sl.Option{sl.OptionHTTPClient(hc)} // no OptionRetry: the outbox waits on 429
	if opts.APIURL != "" {
		u := opts.APIURL
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		sdk = append(sdk, sl.OptionAPIURL(u))
	}
	if opts.AppToken != "" {
		sdk = append(sdk, sl.OptionAppLevelToken(opts.AppToken))
	}
	b := &Bot{
		opts: opts, api: sl.New(opts.BotToken, sdk...), h: h, log: log, hc: hc,
		dms: kit.NewCache[string, string](maxPeople), profiles: kit.NewCache[string, profile](maxPeople),
		status: kit.NewStatus(), gate: kit.NewGate(maxUnverified, log), held: map[string]struct{}{},
	}
	b.tune(time.Second, 0)
	return b, nil
}

// tune sets the backoff's first wait and the poison bound (0: the kit's default).
func (b *Bot) tune(base time.Duration, maxAttempts int) {
	b.backoff = kit.Backoff{Base: base, Max: time.Minute}
	b.guard = kit.NewGuard(b.h, b.log, kit.GuardOptions{MaxAttempts: maxAttempts,
		Backoff: kit.Backoff{Base: base / 5, Max: 30 * time.Second}})
}

// Status reports the connection's state (core.StatusReporter).
func (b *Bot) Status() core.AdapterStatus { return b.status.Status() }

// DefaultPace is Slack's published limits (core.Paced).
func (b *Bot) DefaultPace() core.Pace { return core.DefaultPace(core.Slack) }

// WebhookRoutes are the three HTTP-mode endpoints (core.WebhookRouter); in Socket Mode
// they refuse what is not signed with the signing secret, like in HTTP mode.
func (b *Bot) WebhookRoutes() []core.WebhookRoute {
	return []core.WebhookRoute{
		{Path: "/hooks/slack/events", Handler: b.EventsHandler()},
		{Path: "/hooks/slack/interactivity", Handler: b.InteractivityHandler()},
		{Path: "/hooks/slack/commands", Handler: b.CommandsHandler()},
	}
}

// Platform is core.Slack.
func (b *Bot) Platform() core.Platform { return core.Slack }

// Run connects and serves until ctx is done (core.Adapter). With an app token it runs
// Socket Mode; without one the webhooks carry events and Run only checks the token and
// waits. Failures, refused tokens included, are retried with backoff and reported through
// Status. It returns nil when ctx is cancelled.
func (b *Bot) Run(ctx context.Context) error {
	defer b.status.Stopped()
	b.mu.Lock()
	b.runCtx = ctx
	b.mu.Unlock()
	// In Socket Mode the token check is a first step: the socket's hello says connected.
	conn := kit.Connector{Status: b.status, Backoff: b.backoff, Log: b.log, Refused: b.refused,
		Partial: b.opts.AppToken != ""}
	for attempt := 0; ; attempt++ {
		if conn.Connect(ctx, "slack auth.test", b.authTest) != nil {
			return nil
		}
		if b.opts.AppToken == "" {
			<-ctx.Done()
			return nil
		}
		err := b.runSocket(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait := b.backoff.Wait(attempt)
		b.status.Failed(b.refused(err), err.Error())
		b.log.Warn("slack socket mode stopped; reconnecting", "err", err, "retry_in", wait)
		if !kit.Sleep(ctx, wait) {
			return nil
		}
	}
}

// authTest checks the bot token and learns the bot's own user id.
func (b *Bot) authTest(ctx context.Context) error {
	auth, err := b.api.AuthTestContext(ctx)
	if err != nil {
		return fmt.Errorf("slack: auth.test: %w", err)
	}
	b.mu.Lock()
	b.botUser = auth.UserID
	b.mu.Unlock()
	b.log.Info("slack connected", "team", auth.Team, "bot_user", auth.UserID,
		"mode", map[bool]string{true: "socket", false: "http"}[b.opts.AppToken != ""])
	return nil
}

// refused reports whether err means Slack refused a token.
func (b *Bot) refused(err error) bool {
	if se, ok := errors.AsType[sl.SlackErrorResponse](err); ok && unauthorized[se.Err] {
		return true
	}
	return strings.Contains(err.Error(), "invalid_auth") || strings.Contains(err.Error(), "not_authed")
}

// isBotUser reports whether id is the bot's own user.
func (b *Bot) isBotUser(id string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return id != "" && id == b.botUser
}

// dmChannel returns the IM channel with user, opening it once.
func (b *Bot) dmChannel(ctx context.Context, user string) (string, error) {
	if ch, ok := b.dms.Get(user); ok {
		return ch, nil
	}
	c, _, _, err := b.api.OpenConversationContext(ctx, &sl.OpenConversationParameters{Users: []string{user}, ReturnIM: true})
	if err != nil {
		return "", err
	}
	b.rememberDM(user, c.ID)
	return c.ID, nil
}

func (b *Bot) rememberDM(user, channel string) {
	if user == "" || !strings.HasPrefix(channel, "D") {
		return
	}
	b.dms.Put(user, channel)
}

// profileOf returns what users.info says of user, cached for a day. Failures are logged and
// give an empty profile: the event still reaches core.
func (b *Bot) profileOf(ctx context.Context, user string) profile {
	p, ok := b.profiles.Get(user)
	if ok && time.Since(p.at) < profileTTL {
		return p
	}
	ctx, cancel := context.WithTimeout(ctx, profileWait)
	defer cancel()
	u, err := b.api.GetUserInfoContext(ctx, user)
	if err != nil {
		b.log.Warn("slack users.info failed", "user", user, "err", err)
		p.at = time.Now().Add(profileRetry - profileTTL)
		b.profiles.Put(user, p)
		return p
	}
	p = profile{name: u.RealName, tz: u.TZ, locale: u.Locale, at: time.Now()}
	if p.name == "" {
		p.name = u.Profile.DisplayName
	}
	if p.name == "" {
		p.name = u.Name
	}
	b.profiles.Put(user, p)
	return p
}

// InviteLink tells a customer how to open an invite in Slack: the link that opens the
// app's DM, and what to send there ("start TOKEN": in Slack a leading slash would be taken
// for a slash command).
func (b *Bot) InviteLink(ctx context.Context, token string) (string, error) {
	t := b.opts.Texts // the business's language: the invite is printed or sent by the business
	b.mu.Lock()
	link := b.appLink
	b.mu.Unlock()
	if link == "" {
		auth, err := b.api.AuthTestContext(ctx)
		if err != nil {
			return "", fmt.Errorf("slack: invite link: auth.test: %w", err)
		}
		bot, err := b.api.GetBotInfoContext(ctx, sl.GetBotInfoParameters{Bot: auth.BotID})
		if err != nil || bot.AppID == "" {
			b.log.Warn("slack bots.info failed: invite without a link", "err", err)
			return t.Text(t.Default(), keyInviteApp, core.Args{"Token": token}), nil
		}
		link = "https://slack.com/app_redirect?app=" + url.QueryEscape(bot.AppID) + "&team=" + url.QueryEscape(auth.TeamID)
		b.mu.Lock()
		b.appLink = link
		b.mu.Unlock()
	}
	return t.Text(t.Default(), keyInviteLink, core.Args{"URL": link, "Token": token}), nil
}
