// Package slack is earshot's Slack adapter, built on github.com/slack-go/slack. It owns the
// Slack side of the conversation: Socket Mode or signed HTTP webhooks in, core.Incoming to
// the core, and core.Message rendered as Block Kit out (Deliver, for the outbox). It knows
// nothing of surveys or complaints; it translates.
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
}

// Bot is the Slack adapter: a core.Messenger and the source of Slack events for a Handler.
type Bot struct {
	opts Options
	api  *sl.Client
	h    core.Handler
	log  *slog.Logger
	hc   *http.Client

	mu       sync.Mutex
	dms      map[string]string  // user id → IM channel id
	profiles map[string]profile // user id → what users.info said
	failures map[string]int     // event id → internal failures, to bound redelivery
	botUser  string             // our own user id, from auth.test
	appLink  string             // https://slack.com/app_redirect?…, once known
}

var (
	_ core.Messenger    = (*Bot)(nil)
	_ core.InviteLinker = (*Bot)(nil)
)

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
		hc = &http.Client{Timeout: 30 * time.Second}
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
	return &Bot{
		opts: opts, api: sl.New(opts.BotToken, sdk...), h: h, log: log, hc: hc,
		dms: map[string]string{}, profiles: map[string]profile{}, failures: map[string]int{},
	}, nil
}

// Platform is core.Slack.
func (b *Bot) Platform() core.Platform { return core.Slack }

// Run connects and serves until ctx is done. With an app token it runs Socket Mode; without
// one the webhooks (EventsHandler, InteractivityHandler, CommandsHandler) carry events and
// Run only checks the token and waits. It returns nil when ctx is cancelled.
func (b *Bot) Run(ctx context.Context) error {
	var auth *sl.AuthTestResponse
	for wait := time.Second; ; wait = min(2*wait, time.Minute) {
		var err error
		if auth, err = b.api.AuthTestContext(ctx); err == nil {
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		if de := b.classify(ctx, "auth.test", err, false); de.Kind == core.DeliveryUnauthorized || de.Kind == core.DeliveryPermanent {
			return fmt.Errorf("slack: auth.test: %w", err)
		}
		b.log.Warn("slack auth.test failed, retrying", "err", err, "wait", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
	b.mu.Lock()
	b.botUser = auth.UserID
	b.mu.Unlock()
	b.log.Info("slack connected", "team", auth.Team, "bot_user", auth.UserID,
		"mode", map[bool]string{true: "socket", false: "http"}[b.opts.AppToken != ""])
	if b.opts.AppToken == "" {
		<-ctx.Done()
		return nil
	}
	return b.runSocket(ctx)
}

// isBotUser reports whether id is the bot's own user.
func (b *Bot) isBotUser(id string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return id != "" && id == b.botUser
}

// dmChannel returns the IM channel with user, opening it once.
func (b *Bot) dmChannel(ctx context.Context, user string) (string, error) {
	b.mu.Lock()
	ch, ok := b.dms[user]
	b.mu.Unlock()
	if ok {
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
	b.mu.Lock()
	b.dms[user] = channel
	b.mu.Unlock()
}

// profileOf returns what users.info says of user, cached for a day. Failures are logged and
// give an empty profile: the event still reaches core.
func (b *Bot) profileOf(ctx context.Context, user string) profile {
	b.mu.Lock()
	p, ok := b.profiles[user]
	b.mu.Unlock()
	if ok && time.Since(p.at) < profileTTL {
		return p
	}
	ctx, cancel := context.WithTimeout(ctx, profileWait)
	defer cancel()
	u, err := b.api.GetUserInfoContext(ctx, user)
	if err != nil {
		b.log.Warn("slack users.info failed", "user", user, "err", err)
		p.at = time.Now().Add(profileRetry - profileTTL)
		b.mu.Lock()
		b.profiles[user] = p
		b.mu.Unlock()
		return p
	}
	p = profile{name: u.RealName, tz: u.TZ, locale: u.Locale, at: time.Now()}
	if p.name == "" {
		p.name = u.Profile.DisplayName
	}
	if p.name == "" {
		p.name = u.Name
	}
	b.mu.Lock()
	b.profiles[user] = p
	b.mu.Unlock()
	return p
}

// InviteLink tells a customer how to open an invite in Slack: the link that opens the
// app's DM, and what to send there ("start TOKEN": in Slack a leading slash would be taken
// for a slash command).
func (b *Bot) InviteLink(ctx context.Context, token string) (string, error) {
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
			return "In Slack, open the earshot app (under Apps) and send it: start " + token, nil
		}
		link = "https://slack.com/app_redirect?app=" + url.QueryEscape(bot.AppID) + "&team=" + url.QueryEscape(auth.TeamID)
		b.mu.Lock()
		b.appLink = link
		b.mu.Unlock()
	}
	return "Open " + link + " and send the app: start " + token, nil
}
