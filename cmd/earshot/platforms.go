package main

import (
	"context"
	"fmt"
	"net/http"

	"earshot/core"
)

// adapter is a platform adapter as serve runs it: it delivers the outbox's messages and,
// while Run runs, turns the platform's events into calls to core.
type adapter interface {
	core.Messenger
	Run(ctx context.Context) error
}

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
func buildAdapters(cfgApp *appConfig, h core.Handler) ([]adapter, []hook, error) {
	_ = cfgApp
	_ = h
	return nil, nil, nil
}

// appConfig is what buildAdapters needs from the configuration.
type appConfig = struct{}

type inviteLink struct{ platform, link string }

// inviteLinks returns, for each enabled platform, how a customer opens the invite.
func inviteLinks(ctx context.Context, a *app, token string) []inviteLink {
	var out []inviteLink
	for _, p := range []core.Platform{core.Telegram, core.Slack, core.Discord} {
		if !a.cfg.Enabled(p) {
			continue
		}
		out = append(out, inviteLink{string(p), "send the bot a direct message: /start " + token})
	}
	_ = ctx
	return out
}

// messengersForCLI returns messengers for the enabled platforms, so a command like
// digest --send can deliver at once.
func messengersForCLI(ctx context.Context, e *env) []core.Messenger {
	_ = ctx
	_ = e
	return nil
}

// sendQueued delivers what is due in the outbox now, for commands that send, when this
// process has messengers; otherwise a running serve delivers it.
func sendQueued(ctx context.Context, a *app, e *env, messengers []core.Messenger) error {
	if len(messengers) == 0 {
		fmt.Fprintln(e.stderr, "queued in the outbox: earshot serve delivers it")
		return nil
	}
	_, err := a.svc.DeliverDue(ctx)
	return err
}

func messengers(ads []adapter) []core.Messenger {
	out := make([]core.Messenger, len(ads))
	for i, a := range ads {
		out[i] = a
	}
	return out
}
