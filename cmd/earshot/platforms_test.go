package main

import (
	"log/slog"
	"testing"

	"earshot/cmd/earshot/internal/config"
	"earshot/core"
)

const allPlatforms = testYAML + `telegram: {token: "123456:fake-telegram-token"}
slack: {bot_token: "xoxb-fake", app_token: "xapp-fake"}
discord: {token: "fake-discord-token", application_id: "123", public_key: "` +
	"0000000000000000000000000000000000000000000000000000000000000000" + `"}
`

// Every registry row builds an adapter of its own platform with no network call, its
// capabilities agree with what the configuration tells core (DMNeedsContact, the pace), and
// its webhook routes are served under /hooks/.
func TestRegistryBuildsEveryPlatform(t *testing.T) {
	cfg, err := config.Parse([]byte(allPlatforms), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	set, err := cfg.Settings()
	if err != nil {
		t.Fatal(err)
	}
	ads, hooks, err := buildAdapters(cfg, &lateHandler{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if len(ads) != len(platforms) || len(enabledPlatforms(cfg)) != len(platforms) {
		t.Fatalf("%d adapters, %d enabled, for %d registry rows", len(ads), len(enabledPlatforms(cfg)), len(platforms))
	}
	for i, ad := range ads {
		p := platforms[i].name
		if ad.Platform() != p {
			t.Errorf("row %s built a %s adapter", p, ad.Platform())
		}
		info := set.Platforms[p]
		cf, ok := ad.(core.ContactFirst)
		if needs := ok && cf.DMNeedsContact(); needs != info.DMNeedsContact {
			t.Errorf("%s: the adapter says DMNeedsContact %v, the configuration %v", p, needs, info.DMNeedsContact)
		}
		if pc, ok := ad.(core.Paced); ok && pc.DefaultPace() != info.Pace {
			t.Errorf("%s: the adapter's pace %+v, the configuration's %+v", p, pc.DefaultPace(), info.Pace)
		}
		if _, ok := ad.(core.StatusReporter); !ok {
			t.Errorf("%s reports no status for /healthz", p)
		}
	}
	paths := map[string]bool{}
	for _, h := range hooks {
		paths[h.Path] = true
	}
	for _, want := range []string{"/hooks/telegram", "/hooks/slack/events", "/hooks/slack/interactivity",
		"/hooks/slack/commands", "/hooks/discord/interactions"} {
		if !paths[want] {
			t.Errorf("no route %s among %v", want, paths)
		}
	}
}
