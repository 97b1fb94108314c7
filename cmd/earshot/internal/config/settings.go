package config

import (
	"fmt"
	"slices"
	"time"

	"github.com/robfig/cron/v3"
	"go.yaml.in/yaml/v3"

	"earshot/core"
)

// Settings converts c into core's settings: time zone, quiet hours, team, survey plans,
// throttle, standards, and the enabled platforms (Telegram with DMNeedsContact). The
// console platform is never included: whoever runs the console adapter adds it. It
// validates c first and returns Validate's error if c is invalid.
func (c *Config) Settings() (core.Settings, error) {
	if err := c.Validate(); err != nil {
		return core.Settings{}, err
	}
	quiet, _ := ParseQuietHours(c.Business.QuietHours) // valid: Validate passed
	s := core.Settings{
		Business: core.Business{
			Name:     c.Business.Name,
			Location: c.loc,
			Language: c.Business.Language,
			Quiet:    quiet,
			Hours:    c.hours,
		},
		Throttle: c.Throttle.Std(),
		Complaints: core.Standards{
			AcknowledgeWithin: c.Complaints.AcknowledgeWithin.Std(),
			ResolveWithin:     c.Complaints.ResolveWithin.Std(),
			AutoCloseAfter:    c.Complaints.AutoCloseAfter.Std(),
			Clock:             core.ClockKind(c.Complaints.Clock),
		},
		Platforms:       map[core.Platform]core.PlatformInfo{},
		Webhooks:        c.webhookSubs(),
		RetainCustomers: c.Retention.Customers.Std(),
		PublicURL:       c.HTTP.PublicURL,
	}
	if c.Team.Channel != "" {
		s.Team.Channel, _ = core.ParseChatRef(c.Team.Channel)
	}
	s.Namespaces = c.Customers.Namespaces
	for _, m := range c.Team.Members {
		cm := core.Member{Name: m.Name, Role: core.Role(m.Role), Language: memberLanguage(m)}
		for _, a := range m.Accounts {
			r, _ := core.ParseUserRef(a)
			cm.Accounts = append(cm.Accounts, r)
		}
		s.Team.Members = append(s.Team.Members, cm)
	}
	for _, sv := range c.Surveys {
		plan := core.SurveyPlan{
			Name:              sv.Name,
			Trigger:           sv.Trigger,
			Delay:             sv.Delay.Std(),
			ReminderAfter:     sv.ReminderAfter.Std(),
			ExpireAfter:       sv.ExpireAfter.Std(),
			LowScoreThreshold: sv.LowScoreThreshold,
			NoLowScoreOffer:   sv.thresholdSet && sv.LowScoreThreshold == 0,
		}
		plan.Intro, plan.IntroIn = sv.Intro.core(c.Business.Language)
		for _, q := range sv.Questions {
			cq := core.Question{Key: q.Key, Type: core.QuestionType(q.Type), Optional: q.Optional}
			cq.Text, cq.TextIn = q.Text.core(c.Business.Language)
			if cq.Numeric() {
				cq.Min, cq.Max = q.Min, q.Max
			}
			for _, o := range q.Options {
				co := core.Option{Key: o.Key}
				co.Label, co.LabelIn = o.Label.core(c.Business.Language)
				cq.Options = append(cq.Options, co)
			}
			cq.Multiple = q.Multiple
			if q.askIfSet {
				cq.AskIf = q.AskIf.condition()
			}
			plan.Questions = append(plan.Questions, cq)
		}
		s.Surveys = append(s.Surveys, plan)
	}
	for _, p := range []core.Platform{core.Telegram, core.Slack, core.Discord} {
		if c.Enabled(p) {
			s.Platforms[p] = core.PlatformInfo{DMNeedsContact: p == core.Telegram, Pace: c.Delivery.pace(p)}
		}
	}
	return s, nil
}

// pace returns the platform's default pace with this section's overrides on top.
func (d Delivery) pace(p core.Platform) core.Pace {
	over := map[core.Platform]Pace{core.Telegram: d.Telegram, core.Slack: d.Slack, core.Discord: d.Discord}[p]
	pace := core.DefaultPace(p)
	if over.Rate > 0 {
		pace.Rate = over.Rate
	}
	if over.ChatRate > 0 {
		pace.ChatRate = over.ChatRate
	}
	if over.Burst > 0 {
		pace.Burst = over.Burst
	}
	return pace
}

// Location returns the business time zone parsed by Validate (Load calls it), or nil
// before a successful Validate.
func (c *Config) Location() *time.Location { return c.loc }

// DigestSchedule returns digest.schedule parsed once by Validate (Load calls it), firing in
// the business time zone; nil before a successful Validate.
func (c *Config) DigestSchedule() cron.Schedule { return c.schedule }

// Enabled reports whether platform p is configured: its token (telegram.token,
// slack.bot_token, discord.token) is non-empty. It is false for the console platform.
func (c *Config) Enabled(p core.Platform) bool {
	switch p {
	case core.Telegram:
		return c.Telegram.Token != ""
	case core.Slack:
		return c.Slack.BotToken != ""
	case core.Discord:
		return c.Discord.Token != ""
	}
	return false
}

// DisabledNotes returns one line per disabled platform saying how to enable it, for the log.
func (c *Config) DisabledNotes() []string {
	var out []string
	if !c.Enabled(core.Telegram) {
		out = append(out, "telegram disabled: set telegram.token (e.g. TELEGRAM_BOT_TOKEN) to enable")
	}
	if !c.Enabled(core.Slack) {
		out = append(out, "slack disabled: set slack.bot_token (e.g. SLACK_BOT_TOKEN) and slack.app_token (SLACK_APP_TOKEN) or slack.signing_secret to enable")
	}
	if !c.Enabled(core.Discord) {
		out = append(out, "discord disabled: set discord.token (e.g. DISCORD_BOT_TOKEN) and discord.application_id to enable")
	}
	return out
}

// secrets returns pointers to every secret field of c.
func (c *Config) secrets() []*string {
	out := []*string{
		&c.HTTP.APIToken, &c.Telegram.Token, &c.Telegram.WebhookSecret,
		&c.Slack.BotToken, &c.Slack.AppToken, &c.Slack.SigningSecret, &c.Discord.Token,
	}
	for i := range c.Webhooks {
		out = append(out, &c.Webhooks[i].Secret)
	}
	return out
}

// Secrets returns every non-empty secret value (tokens, the API token, the signing and
// webhook secrets), for checking that logs and output never contain them.
func (c *Config) Secrets() []string {
	var out []string
	for _, s := range c.secrets() {
		if *s != "" && !slices.Contains(out, *s) {
			out = append(out, *s)
		}
	}
	return out
}

// Redacted is the mask that replaces a non-empty secret in Redacted and String.
const Redacted = "[redacted]"

// Redacted returns a deep copy of c with every non-empty secret replaced by "[redacted]";
// empty secrets stay empty, so it still shows which are set.
func (c *Config) Redacted() *Config {
	r := *c
	r.Team.Members = slices.Clone(c.Team.Members)
	for i := range r.Team.Members {
		r.Team.Members[i].Accounts = slices.Clone(r.Team.Members[i].Accounts)
	}
	r.Webhooks = slices.Clone(c.Webhooks) // their secrets are masked below: not in c's copy
	r.Surveys = slices.Clone(c.Surveys)
	for i := range r.Surveys {
		r.Surveys[i].Questions = slices.Clone(r.Surveys[i].Questions)
	}
	for _, s := range r.secrets() {
		if *s != "" {
			*s = Redacted
		}
	}
	return &r
}

// String returns the configuration as YAML with secrets masked, so printing a Config
// (fmt's %v, a log attribute) never reveals one.
func (c *Config) String() string {
	b, err := yaml.Marshal(c.Redacted())
	if err != nil {
		return fmt.Sprintf("config: %v", err)
	}
	return string(b)
}
