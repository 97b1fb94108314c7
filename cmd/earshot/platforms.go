package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"earshot/bots/discord"
	"earshot/bots/slack"
	"earshot/bots/telegram"
	"earshot/cmd/earshot/internal/config"
	"earshot/core"
	"earshot/storage/sqlite"
)

// adapter is a platform adapter as serve runs it (core.Adapter; its optional capabilities
// are found by type assertion where they are used).
type adapter = core.Adapter

// platform is one row of the registry: a chat platform and how to build its adapter from
// the configuration. team is the team channel when it is on this platform; texts are the
// catalogs the adapter's own words and command menus come from.
type platform struct {
	name  core.Platform
	build func(cfg *config.Config, team core.ChatRef, texts core.Texts, h core.Handler, log *slog.Logger) (core.Adapter, error)
}

// platforms is the registry: every chat platform earshot has an adapter for. Serve, the
// CLI's invite links, /healthz and /metrics all range over it; adding a platform is a row
// here and its section in the configuration.
var platforms = []platform{
	{core.Telegram, func(cfg *config.Config, team core.ChatRef, texts core.Texts, h core.Handler, log *slog.Logger) (core.Adapter, error) {
		t := cfg.Telegram
		webhookURL := ""
		if cfg.HTTP.PublicURL != "" {
			webhookURL = strings.TrimRight(cfg.HTTP.PublicURL, "/") + "/hooks/telegram"
		}
		return telegram.New(telegram.Options{Token: t.Token, APIURL: t.APIURL, Mode: t.Mode,
			WebhookSecret: t.WebhookSecret, WebhookURL: webhookURL, Username: t.Username, TeamChat: team, Texts: texts}, h, log)
	}},
	{core.Slack, func(cfg *config.Config, team core.ChatRef, texts core.Texts, h core.Handler, log *slog.Logger) (core.Adapter, error) {
		s := cfg.Slack
		return slack.New(slack.Options{BotToken: s.BotToken, AppToken: s.AppToken, SigningSecret: s.SigningSecret,
			APIURL: s.APIURL, TeamChannel: team, Texts: texts}, h, log)
	}},
	{core.Discord, func(cfg *config.Config, team core.ChatRef, texts core.Texts, h core.Handler, log *slog.Logger) (core.Adapter, error) {
		d := cfg.Discord
		return discord.New(discord.Options{Token: d.Token, ApplicationID: d.ApplicationID, PublicKey: d.PublicKey,
			APIURL: d.APIURL, TeamChannel: team, Texts: texts}, h, log)
	}},
}

// enabledPlatforms returns the registry's platforms that the configuration enables.
func enabledPlatforms(cfg *config.Config) []core.Platform {
	var out []core.Platform
	for _, p := range platforms {
		if cfg.Enabled(p.name) {
			out = append(out, p.name)
		}
	}
	return out
}

// lateHandler lets adapters be built before the service they call: the service needs its
// messengers at construction, the adapters need the service to handle events. It is also
// the adapters' core.Prober: a small write tells an outage from a poison event.
type lateHandler struct {
	svc *core.Service
	db  core.Store
}

func (h *lateHandler) Handle(ctx context.Context, in core.Incoming) (core.Response, error) {
	if h.svc == nil {
		return core.Response{}, core.Errorf(core.EINTERNAL, "starting up")
	}
	return h.svc.Handle(ctx, in)
}

// Probe reports whether the store takes writes (core.Prober).
func (h *lateHandler) Probe(ctx context.Context) error {
	if h.db == nil {
		return errors.New("starting up")
	}
	return writeProbe(ctx, h.db)
}

// writeProbe makes the smallest real write, so that a read-only file, a full disk or a
// failing writer shows.
func writeProbe(ctx context.Context, db core.Store) error {
	return db.Update(ctx, func(tx core.Tx) error {
		return tx.SetState("health.write_probe", time.Now().UTC().Format(time.RFC3339))
	})
}

// buildAdapters builds an adapter for every enabled platform in the registry, with their
// webhook routes (core.WebhookRouter).
func buildAdapters(cfg *config.Config, h core.Handler, log *slog.Logger) ([]adapter, []core.WebhookRoute, error) {
	team, err := core.ParseChatRef(cfg.Team.Channel)
	if cfg.Team.Channel == "" || err != nil {
		team = core.ChatRef{}
	}
	texts, err := cfg.Texts()
	if err != nil {
		return nil, nil, err
	}
	var ads []adapter
	var hooks []core.WebhookRoute
	for _, p := range platforms {
		if !cfg.Enabled(p.name) {
			continue
		}
		teamHere := core.ChatRef{}
		if team.Platform == p.name {
			teamHere = team
		}
		ad, err := p.build(cfg, teamHere, texts, h, log.With("platform", string(p.name)))
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p.name, err)
		}
		ads = append(ads, ad)
		if wr, ok := ad.(core.WebhookRouter); ok {
			hooks = append(hooks, wr.WebhookRoutes()...)
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
		if n, ok := ad.(core.InviteNoter); ok {
			out[i].note = n.InviteNote()
		}
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

type inviteLink struct{ platform, link, note string }

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
	if err := lockDelivery(a.db); err != nil {
		var held *sqlite.LockedError
		if errors.As(err, &held) {
			fmt.Fprintf(e.stderr, "%d message(s) queued; the running serve sends them\n", queued)
			return nil
		}
		return err
	}
	n, err := a.svc.DeliverDue(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%d message(s) handed to the platforms\n", n)
	return nil
}
