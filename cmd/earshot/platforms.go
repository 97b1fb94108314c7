package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"earshot/bots/discord"
	"earshot/bots/slack"
	"earshot/bots/telegram"
	"earshot/cmd/earshot/internal/config"
	"earshot/core"
)

// adapter is a platform adapter as serve runs it: it delivers the outbox's messages and,
// while Run runs, turns the platform's events into calls to core.
type adapter interface {
	core.Messenger
	Run(ctx context.Context) error
}

var (
	_ adapter = (*telegram.Bot)(nil)
	_ adapter = (*slack.Bot)(nil)
	_ adapter = (*discord.Bot)(nil)
)

// hook is a webhook route an adapter serves on the HTTP server.
type hook struct {
	path    string
	handler http.Handler
}

// lateHandler lets adapters be built before the service they call: the service needs its
// messengers at construction, the adapters need the service to handle events.
type lateHandler struct{ svc *core.Service }

func (h *lateHandler) Handle(ctx context.Context, in core.Incoming) (core.Response, error) {
	if h.svc == nil {
		return core.Response{}, core.Errorf(core.EINTERNAL, "starting up")
	}
	return h.svc.Handle(ctx, in)
}

// buildAdapters builds an adapter for every enabled platform, with their webhook routes.
func buildAdapters(cfg *config.Config, h core.Handler, log *slog.Logger) ([]adapter, []hook, error) {
	team, err := core.ParseChatRef(cfg.Team.Channel)
	if cfg.Team.Channel == "" || err != nil {
		team = core.ChatRef{}
	}
	teamOn := func(p core.Platform) core.ChatRef {
		if team.Platform == p {
			return team
		}
		return core.ChatRef{}
	}
	var ads []adapter
	var hooks []hook
	if cfg.Enabled(core.Telegram) {
		t := cfg.Telegram
		webhookURL := ""
		if cfg.HTTP.PublicURL != "" {
			webhookURL = strings.TrimRight(cfg.HTTP.PublicURL, "/") + "/hooks/telegram"
		}
		bot, err := telegram.New(telegram.Options{Token: t.Token, APIURL: t.APIURL, Mode: t.Mode,
			WebhookSecret: t.WebhookSecret, WebhookURL: webhookURL, Username: t.Username, TeamChat: teamOn(core.Telegram)},
			h, log.With("platform", "telegram"))
		if err != nil {
			return nil, nil, fmt.Errorf("telegram: %w", err)
		}
		ads = append(ads, bot)
		hooks = append(hooks, hook{"/hooks/telegram", bot.WebhookHandler()})
	}
	if cfg.Enabled(core.Slack) {
		s := cfg.Slack
		bot, err := slack.New(slack.Options{BotToken: s.BotToken, AppToken: s.AppToken, SigningSecret: s.SigningSecret,
			APIURL: s.APIURL, TeamChannel: teamOn(core.Slack)}, h, log.With("platform", "slack"))
		if err != nil {
			return nil, nil, fmt.Errorf("slack: %w", err)
		}
		ads = append(ads, bot)
		hooks = append(hooks, hook{"/hooks/slack/events", bot.EventsHandler()},
			hook{"/hooks/slack/interactivity", bot.InteractivityHandler()},
			hook{"/hooks/slack/commands", bot.CommandsHandler()})
	}
	if cfg.Enabled(core.Discord) {
		d := cfg.Discord
		bot, err := discord.New(discord.Options{Token: d.Token, ApplicationID: d.ApplicationID, PublicKey: d.PublicKey,
			APIURL: d.APIURL, TeamChannel: teamOn(core.Discord)}, h, log.With("platform", "discord"))
		if err != nil {
			return nil, nil, fmt.Errorf("discord: %w", err)
		}
		ads = append(ads, bot)
		if d.PublicKey != "" {
			hooks = append(hooks, hook{"/hooks/discord/interactions", bot.InteractionsHandler()})
		}
	}
	return ads, hooks, nil
}

func messengers(ads []adapter) []core.Messenger {
	out := make([]core.Messenger, len(ads))
	for i, a := range ads {
		out[i] = a
	}
	return out
}

// inviteLinks returns, for each enabled platform, how a customer opens the invite: a link
// where the platform has deep links, else what to send the bot. Platforms are asked at once,
// with one short deadline, so a slow platform cannot stall an API request.
func inviteLinks(ctx context.Context, a *app, token string) []inviteLink {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out := make([]inviteLink, len(a.adapters))
	var wg sync.WaitGroup
	for i, ad := range a.adapters {
		out[i] = inviteLink{platform: string(ad.Platform()), link: "open a direct message with the bot and send: /start " + token}
		linker, ok := ad.(core.InviteLinker)
		if !ok {
			continue
		}
		wg.Go(func() {
			if link, err := linker.InviteLink(ctx, token); err == nil {
				out[i].link = link
			} else {
				a.log.Warn("invite link", "platform", out[i].platform, "err", err)
			}
		})
	}
	wg.Wait()
	return out
}

type inviteLink struct{ platform, link string }

// cliAdapters builds the enabled adapters for a command that sends or makes links; they are
// never Run, so the handler is never called.
func cliAdapters(cfg *config.Config, log *slog.Logger) ([]adapter, error) {
	ads, _, err := buildAdapters(cfg, &lateHandler{}, log)
	return ads, err
}

// sendQueued delivers what is due in the outbox now, for commands that send.
func sendQueued(ctx context.Context, a *app, e *env, queued int) error {
	if queued == 0 {
		return nil
	}
	n, err := a.svc.DeliverDue(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%d message(s) handed to the platforms\n", n)
	return nil
}
