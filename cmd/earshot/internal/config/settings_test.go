package config

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

func TestExpandEnv(t *testing.T) {
	env := envOf(map[string]string{
		"TOKEN":  `12:ab"c: d # e'f`,
		"SECRET": "s3cr3t-value",
		"PORT":   "9090",
		"HOURS":  "36h",
		"KEY":    "name",
	})
	data := `
http:
  listen: "127.0.0.1:${PORT}"
  api_token: ${SECRET}
telegram: {token: "${TOKEN}"}
slack: {bot_token: $SECRET, app_token: "${UNSET}", signing_secret: "pre-${SECRET}-${ nope }"}
throttle: ${HOURS}
`
	c, err := Parse([]byte(data), env)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, got, want string }{
		{"quotes, colons and # survive", c.Telegram.Token, `12:ab"c: d # e'f`},
		{"inside a string", c.HTTP.Listen, "127.0.0.1:9090"},
		{"plain scalar", c.HTTP.APIToken, "s3cr3t-value"},
		{"$VAR is not expanded", c.Slack.BotToken, "$SECRET"},
		{"unset is empty", c.Slack.AppToken, ""},
		{"only well-formed names", c.Slack.SigningSecret, "pre-s3cr3t-value-${ nope }"},
		{"duration", c.Throttle.String(), "1d12h0m0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Fatalf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
	t.Run("keys are not expanded", func(t *testing.T) {
		_, err := Parse([]byte("business:\n  ${KEY}: x\n"), env)
		if err == nil || !strings.HasPrefix(err.Error(), "business.${KEY}: unknown key") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("errors show the variable, not its value", func(t *testing.T) {
		_, err := Parse([]byte("throttle: ${SECRET}\n"), env)
		if err == nil || strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), "${SECRET}") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestYAMLFeatures(t *testing.T) {
	data := `
defaults: &scale {type: scale, min: 0, max: 10}
`
	if _, err := Parse([]byte(data), noEnv); err == nil || !strings.Contains(err.Error(), "defaults: unknown key") {
		t.Fatalf("anchor on an unknown key: %v", err)
	}
	data = `
surveys:
  - name: nps
    trigger: purchase
    questions:
      - &q {key: recommend, text: "Would you recommend us?", type: scale, min: 0, max: 10}
      - {<<: *q, key: again, text: "Would you buy again?"}
      - {key: five, text: "Stars?", type: scale, max: 5}
    low_score_threshold: 3
throttle: 0s
business: {quiet_hours: }
telegram:
`
	c, err := Parse([]byte(data), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	qs := c.Surveys[0].Questions
	if qs[1].Min != 0 || qs[1].Max != 10 || qs[1].Key != "again" || qs[0].Key != "recommend" {
		t.Errorf("merged question = %+v", qs[1])
	}
	if qs[2].Min != 1 || qs[2].Max != 5 {
		t.Errorf("scale defaults: min %d max %d, want 1 5", qs[2].Min, qs[2].Max)
	}
	if c.Surveys[0].ExpireAfter.Std() != 168*time.Hour || c.Surveys[0].Delay != 0 {
		t.Errorf("plan defaults: %+v", c.Surveys[0])
	}
	if c.Throttle != 0 || c.Business.QuietHours != "" || c.Telegram.APIURL != DefaultTelegramAPI {
		t.Errorf("throttle %v, quiet %q, api_url %q", c.Throttle, c.Business.QuietHours, c.Telegram.APIURL)
	}
}

func TestSettings(t *testing.T) {
	data := `
business: {name: Acme, timezone: Europe/Berlin, quiet_hours: "20:30-09:00"}
telegram: {token: "123:abc"}
slack: {bot_token: xoxb-1, app_token: xapp-1}
team:
  channel: slack:C0123
  members:
    - {name: Dana, role: owner, accounts: [slack:U01, telegram:42]}
    - {name: Lee, role: member, accounts: [discord:8035, console:lee]}
surveys:
  - name: quick
    trigger: visit
    delay: 0s
    reminder_after: 1d
    expire_after: 2d
    low_score_threshold: 2
    questions:
      - {key: mood, text: "How was it?", type: scale, min: 1, max: 5}
      - {key: note, text: "Tell us more", type: text, optional: true}
throttle: 7d
complaints: {acknowledge_within: 1h, resolve_within: 1d, auto_close_after: 3d}
`
	c, err := Parse([]byte(data), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Settings()
	if err != nil {
		t.Fatal(err)
	}
	if s.Business.Location.String() != "Europe/Berlin" || s.Business.Name != "Acme" {
		t.Errorf("business = %+v", s.Business)
	}
	if want := (core.QuietHours{From: 20*time.Hour + 30*time.Minute, To: 9 * time.Hour}); s.Business.Quiet != want {
		t.Errorf("quiet = %+v, want %+v", s.Business.Quiet, want)
	}
	if s.Team.Channel != (core.ChatRef{Platform: core.Slack, ID: "C0123"}) {
		t.Errorf("channel = %v", s.Team.Channel)
	}
	if m, ok := s.Team.MemberFor(core.UserRef{Platform: core.Telegram, ID: "42"}); !ok || m.Name != "Dana" || m.Role != core.RoleOwner {
		t.Errorf("MemberFor(telegram:42) = %+v, %v", m, ok)
	}
	want := map[core.Platform]core.PlatformInfo{core.Telegram: {DMNeedsContact: true, Pace: core.DefaultPace(core.Telegram)},
		core.Slack: {Pace: core.DefaultPace(core.Slack)}}
	if len(s.Platforms) != len(want) || s.Platforms[core.Telegram] != want[core.Telegram] || !s.Enabled(core.Slack) || s.Enabled(core.Discord) || s.Enabled(core.Console) {
		t.Errorf("platforms = %+v, want %+v", s.Platforms, want)
	}
	p, ok := s.Plan("quick")
	wantPlan := core.SurveyPlan{Name: "quick", Trigger: "visit", ReminderAfter: 24 * time.Hour, ExpireAfter: 48 * time.Hour, LowScoreThreshold: 2,
		Questions: []core.Question{{Key: "mood", Text: "How was it?", Type: core.Scale, Min: 1, Max: 5}, {Key: "note", Text: "Tell us more", Type: core.Text, Optional: true}}}
	if !ok || p.Name != wantPlan.Name || p.ReminderAfter != wantPlan.ReminderAfter || p.ExpireAfter != wantPlan.ExpireAfter ||
		p.LowScoreThreshold != 2 || !reflect.DeepEqual(p.Questions, wantPlan.Questions) {
		t.Errorf("plan = %+v\nwant %+v", p, wantPlan)
	}
	if s.Throttle != 7*24*time.Hour || s.Complaints != (core.Standards{AcknowledgeWithin: time.Hour, ResolveWithin: 24 * time.Hour, AutoCloseAfter: 72 * time.Hour}) {
		t.Errorf("throttle %v, standards %+v", s.Throttle, s.Complaints)
	}
	warn := strings.Join(c.Warnings(), "\n")
	if !strings.Contains(warn, "team.members[1].accounts[0]: discord is disabled") || strings.Contains(warn, "console") {
		t.Errorf("warnings:\n%s", warn)
	}

	c.Business.Timezone = "Nowhere"
	if _, err := c.Settings(); err == nil || !strings.HasPrefix(err.Error(), "business.timezone: ") {
		t.Errorf("Settings of an invalid config: %v", err)
	}
}

func TestDigestSchedule(t *testing.T) {
	c, err := Parse([]byte("business: {timezone: America/New_York}\ndigest: {schedule: \"0 9 * * MON\"}\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	ny, _ := time.LoadLocation("America/New_York")
	from := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC) // a Friday
	got := c.DigestSchedule().Next(from)
	if want := time.Date(2026, 11, 23, 9, 0, 0, 0, ny); !got.Equal(want) {
		t.Fatalf("Next = %v, want %v (09:00 in the business zone)", got, want)
	}
	c, err = Parse([]byte("digest: {schedule: \"@weekly\"}\n"), noEnv)
	if err != nil || c.DigestSchedule() == nil {
		t.Fatalf("@weekly: %v", err)
	}
}

func TestPlatformsAndSecrets(t *testing.T) {
	c := Default()
	if len(c.DisabledNotes()) != 3 || c.DisabledNotes()[0] != "telegram disabled: set telegram.token (e.g. TELEGRAM_BOT_TOKEN) to enable" {
		t.Errorf("notes = %q", c.DisabledNotes())
	}
	if len(c.Secrets()) != 0 {
		t.Errorf("Default has secrets %q", c.Secrets())
	}
	env := envOf(map[string]string{"TG": "111:tg-token-value", "DC": "discord-token-value", "API": "api-token-value-long"})
	c, err := Parse([]byte(`
http: {api_token: "${API}", public_url: "https://bot.example"}
telegram: {token: "${TG}", mode: webhook, webhook_secret: hook_secret_1, username: "@acme_bot"}
discord: {token: "${DC}", application_id: "123"}
`), env)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Enabled(core.Telegram) || !c.Enabled(core.Discord) || c.Enabled(core.Slack) || c.Enabled(core.Console) {
		t.Errorf("enabled: telegram %v discord %v slack %v", c.Enabled(core.Telegram), c.Enabled(core.Discord), c.Enabled(core.Slack))
	}
	if c.Telegram.Username != "acme_bot" {
		t.Errorf("username %q, want the @ dropped", c.Telegram.Username)
	}
	if notes := c.DisabledNotes(); len(notes) != 1 || !strings.HasPrefix(notes[0], "slack disabled: ") {
		t.Errorf("notes = %q", notes)
	}
	secrets := []string{"api-token-value-long", "111:tg-token-value", "hook_secret_1", "discord-token-value"}
	if got := c.Secrets(); !slices.Equal(got, secrets) {
		t.Errorf("Secrets() = %q, want %q", got, secrets)
	}
	r := c.Redacted()
	if r.Telegram.Token != Redacted || r.HTTP.APIToken != Redacted || r.Slack.BotToken != "" || c.Telegram.Token != "111:tg-token-value" {
		t.Errorf("Redacted: %+v / original %q", r.Telegram, c.Telegram.Token)
	}
	r.Surveys[0].Questions[0].Key = "changed"
	if c.Surveys[0].Questions[0].Key == "changed" {
		t.Error("Redacted shares the survey slices with the original")
	}
	out := c.String()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("String() reveals %q", s)
		}
	}
	if !strings.Contains(out, "application_id: \"123\"") || !strings.Contains(out, "throttle: 30d") {
		t.Errorf("String() =\n%s", out)
	}
	def := Default()
	if back, err := Parse([]byte(def.String()), noEnv); err != nil || !sameSurvey(back.Surveys[0], def.Surveys[0]) ||
		back.Complaints != def.Complaints || back.Throttle != def.Throttle {
		t.Errorf("Default().String() does not parse back to the defaults: %v", err)
	}

	for _, format := range []string{"text", "json"} {
		t.Run("logger "+format, func(t *testing.T) {
			c.Log.Format = format
			var buf bytes.Buffer
			log := c.NewLogger(&buf)
			log.Info("calling https://api.telegram.org/bot111:tg-token-value/getMe",
				"token", "discord-token-value", "err", errors.New("post hook_secret_1: failed"), "n", 3)
			log.Debug("hidden")
			got := buf.String()
			for _, s := range secrets {
				if strings.Contains(got, s) {
					t.Errorf("log reveals %q:\n%s", s, got)
				}
			}
			if strings.Count(got, Redacted) != 3 || strings.Contains(got, "hidden") {
				t.Errorf("log:\n%s", got)
			}
		})
	}
}
