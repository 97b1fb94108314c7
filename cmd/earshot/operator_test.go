package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"earshot/bots/slack/fakeslack"
)

// TestConfigCheckAgreesWithServe runs config check and serve's own checks on the same
// configurations and requires the same verdict; what is refused, config check refuses
// naming the key.
func TestConfigCheckAgreesWithServe(t *testing.T) {
	const tg = "telegram: {token: \"1:x\", api_url: \"http://127.0.0.1:1\", mode: webhook, webhook_secret: s3cret}\n"
	tests := []struct {
		name, yaml string
		key        string // "" when the configuration is fine
	}{
		{"telegram polling", "telegram: {token: \"1:x\", api_url: \"http://127.0.0.1:1\"}\n", ""},
		{"telegram webhook", tg + "http: {listen: \"127.0.0.1:0\", public_url: \"https://bot.example\"}\n", ""},
		{"telegram webhook without public_url", tg + "http: {listen: \"127.0.0.1:0\"}\n", "http.public_url"},
		{"telegram webhook on http://", tg + "http: {listen: \"127.0.0.1:0\", public_url: \"http://bot.example\"}\n", "http.public_url"},
		{"telegram webhook on a port Telegram never calls", tg + "http: {listen: \"127.0.0.1:0\", public_url: \"https://bot.example:8080\"}\n", "http.public_url"},
		{"telegram webhook without secret", "telegram: {token: \"1:x\", mode: webhook}\nhttp: {public_url: \"https://bot.example\"}\n", "telegram.webhook_secret"},
		{"slack without app token or signing secret", "slack: {bot_token: xoxb-1}\n", "slack"},
		{"slack socket mode", "slack: {bot_token: xoxb-1, app_token: xapp-1}\n", ""},
		{"discord without application id", "discord: {token: d}\n", "discord.application_id"},
		{"discord with a bad public key", "discord: {token: d, application_id: \"1\", public_key: abc}\n", "discord.public_key"},
		{"metrics on the public port", "http: {listen: \"127.0.0.1:18080\", metrics_listen: \"127.0.0.1:18080\"}\n", "http.metrics_listen"},
		{"a language earshot does not speak", "business: {language: tlh}\n", "business.language"},
		{"an override of no sentence", "business: {languages: [en, de]}\nmessages: {de: {nope: x}}\n", "messages.de.nope"},
		{"a survey text lacking an offered language", "business: {languages: [en, de]}\n" +
			"surveys: [{name: s, trigger: t, questions: [{key: k, text: {en: \"Why?\"}, type: text}]}]\n", "surveys[0].questions[0].text"},
		{"two languages", "business: {language: de, languages: [de, en]}\nmessages: {de: {day_time: \"{{.Day}} um {{.Time}}\"}}\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "config.yaml")
			if err := os.WriteFile(path, []byte("storage: {path: e.db}\n"+tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, _, checkErr := runCLI(t, "config", "check", "--config", path)
			serveErr := serveChecks(path)
			if (checkErr == nil) != (serveErr == nil) {
				t.Fatalf("config check says %v, serve says %v", checkErr, serveErr)
			}
			if tt.key == "" {
				if checkErr != nil {
					t.Fatalf("refused: %v", checkErr)
				}
				return
			}
			if checkErr == nil || !strings.Contains(checkErr.Error(), tt.key+":") {
				t.Fatalf("config check = %v; want it to name %s", checkErr, tt.key)
			}
			// serve itself, run for real, refuses before it opens the database.
			if _, _, err := runCLI(t, "serve", "--config", path); err == nil {
				t.Fatal("serve started")
			}
			if _, err := os.Stat(filepath.Join(dir, "e.db")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a refused serve created the database (%v)", err)
			}
		})
	}
}

// serveChecks is what serve checks before it opens the database.
func serveChecks(path string) error {
	cfg, err := loadConfig(context.Background(), path)
	if err != nil {
		return err
	}
	_, err = prepareServe(cfg, slog.New(slog.DiscardHandler))
	return err
}

// TestReadOnlyCommandsCreateNoDatabase: a relative storage.path is found from the
// configuration file's directory, and a command that only reads never creates a database.
func TestReadOnlyCommandsCreateNoDatabase(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("storage: {path: shop.db}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "shop.db")
	for _, args := range [][]string{
		{"complaints"}, {"complaints", "--json"}, {"export", "--customer", "telegram:123"},
		{"digest", "--week", "2026-W47"}, {"erase", "--customer", "telegram:123"}, {"backup", filepath.Join(dir, "copy.db")},
	} {
		_, _, err := runCLI(t, append(args, "--config", cfg)...)
		if err == nil || !strings.Contains(err.Error(), "no database at "+db) {
			t.Errorf("%s on a missing database: %v", args[0], err)
		}
		if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%s created the database", args[0])
		}
	}
	// A command that writes creates it beside the configuration, not in the working directory.
	if _, _, err := runCLI(t, "touch", "--config", cfg, "--customer", "console:123", "--stage", "delivery"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("touch did not create %s: %v", db, err)
	}
	if out, _, err := runCLI(t, "complaints", "--config", cfg); err != nil || !strings.Contains(out, "no complaints") {
		t.Fatalf("complaints on the new database: %v %q", err, out)
	}
}

// TestTelegramGuideInvite: the Telegram guide's `earshot invite --stage purchase` works with
// the example configuration.
func TestTelegramGuideInvite(t *testing.T) {
	guide, err := os.ReadFile(filepath.Join("..", "..", "bots", "telegram", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(guide), "earshot invite --stage purchase") {
		t.Fatal("the guide no longer shows `earshot invite --stage purchase`: update this test")
	}
	example, err := os.ReadFile(filepath.Join("..", "..", "config.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, example, 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "invite", "--config", cfg, "--stage", "purchase", "--ref", "A-17")
	if err != nil || !strings.HasPrefix(out, "token: ") {
		t.Fatalf("invite --stage purchase with the example config: %v\n%s", err, out)
	}
}

// TestDigestSendSaysWhoGotIt: digest --send names each recipient, and fails when nobody
// could receive it.
func TestDigestSendSaysWhoGotIt(t *testing.T) {
	sl := fakeslack.New(fakeslack.Options{})
	defer sl.Close()
	sl.AddUser(fakeslack.User{ID: "U01", Name: "dana", RealName: "Dana", TZ: "Europe/Berlin", Locale: "en-GB"})
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("storage: {path: e.db}\n"+body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ok := write("ok.yaml", sl.ConfigYAML(true)+"team: {members: [{name: Dana, role: owner, accounts: [\"slack:U01\"]}]}\n")
	_, errOut, err := runCLI(t, "digest", "--config", ok, "--week", "2026-W47", "--send")
	if err != nil || !strings.Contains(errOut, "digest sent to Dana (slack:U01)") {
		t.Fatalf("digest --send: %v\n%s", err, errOut)
	}
	if len(sl.Messages(sl.IMChannel("U01"))) == 0 {
		t.Fatal("the fake Slack got no digest")
	}

	for _, tt := range []struct{ name, yaml, want string }{
		{"no owner", "team: {members: [{name: Lee, role: member, accounts: [\"slack:U01\"]}]}\n", "no owner to receive it"},
		{"no platform", "team: {members: [{name: Dana, role: owner, accounts: [\"slack:U01\"]}]}\n", "no platform is enabled"},
		{"owner on a disabled platform", sl.ConfigYAML(true) + "team: {members: [{name: Dana, role: owner, accounts: [\"telegram:42\"]}]}\n",
			"no owner (Dana) has an account"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCLI(t, "digest", "--config", write(strings.ReplaceAll(tt.name, " ", "-")+".yaml", tt.yaml), "--week", "2026-W47", "--send")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestCLIEdges: --help succeeds, version prints, and errors lose internal prefixes.
func TestCLIEdges(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"complaints", "-h"}, {"backup", "--help"}, {"config", "check", "-h"}} {
		if _, _, err := runCLI(t, args...); err != nil {
			t.Errorf("%q: %v", args, err)
		}
	}
	out, _, err := runCLI(t, "version")
	if err != nil || !strings.HasPrefix(out, "earshot ") || !strings.Contains(out, "go1.") {
		t.Fatalf("version: %v %q", err, out)
	}
	for _, tt := range []struct{ in, want string }{
		{"core: unknown stage \"moon\"", "unknown stage \"moon\""},
		{"telegram: telegram: webhook mode needs a secret", "telegram: webhook mode needs a secret"},
		{"storage: open /x.db: disk I/O error", "open /x.db: disk I/O error"},
		{"--customer: core: \"x\" is not PLATFORM:ID", "--customer: \"x\" is not PLATFORM:ID"},
		{"core", "core"},
		{"a\nb", "a; b"},
	} {
		if got := cliMessage(errors.New(tt.in)); got != tt.want {
			t.Errorf("cliMessage(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestVersionStamp: what -ldflags "-X main.version=… -X main.revision=…" (the Dockerfile's
// build) stamps is what `earshot version` prints.
func TestVersionStamp(t *testing.T) {
	defer func(v, r string) { version, revision = v, r }(version, revision)
	version, revision = "9.9.9", "abc1234"
	out, _, err := runCLI(t, "version")
	if err != nil || !strings.HasPrefix(out, "earshot 9.9.9 (abc1234) go1.") {
		t.Fatalf("version = %q, %v", out, err)
	}
}

// TestSignalStopsLoading: a command whose context is cancelled (SIGINT/SIGTERM) while it
// loads its configuration stops instead of carrying on.
func TestSignalStopsLoading(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("business: {name: X}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := loadConfig(ctx, path); !errors.Is(err, context.Canceled) {
		t.Fatalf("loadConfig after the signal = %v", err)
	}
	if _, err := loadConfig(context.Background(), path); err != nil {
		t.Fatal(err)
	}
}
