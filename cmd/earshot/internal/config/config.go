package config

import (
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"earshot/core"
)

// Config is the whole configuration file. Its yaml tags are the keys of the file; see
// config.example.yaml at the top of the repository for every key with a comment.
type Config struct {
	Business   Business   `yaml:"business"`
	Storage    Storage    `yaml:"storage"`
	HTTP       HTTP       `yaml:"http"`
	Log        Log        `yaml:"log"`
	Telegram   Telegram   `yaml:"telegram"`
	Slack      Slack      `yaml:"slack"`
	Discord    Discord    `yaml:"discord"`
	Delivery   Delivery   `yaml:"delivery"`
	Team       Team       `yaml:"team"`
	Surveys    []Survey   `yaml:"surveys"`
	Throttle   Duration   `yaml:"throttle"` // at most one survey per customer in this window; 0: none
	Complaints Complaints `yaml:"complaints"`
	Digest     Digest     `yaml:"digest"`
	Webhooks   []Webhook  `yaml:"webhooks"`
	Retention  Retention  `yaml:"retention"`
	Customers  Customers  `yaml:"customers"`
	// Messages are the business's own wording of earshot's sentences, by language and key.
	Messages Messages `yaml:"messages,omitempty"`

	// Set by Validate: what was parsed once at load.
	loc      *time.Location
	schedule cron.Schedule
	// written maps values that ${VAR} expansion produced to the form in the file, so
	// Validate's errors show "${VAR}" instead of what the variable holds.
	written map[string]string
	hours   *core.BusinessHours // nil: always open
}

// Business is who runs earshot.
type Business struct {
	Name     string `yaml:"name"`
	Timezone string `yaml:"timezone"` // IANA name ("Europe/Berlin") or "UTC"
	Language string `yaml:"language"` // the business's language: the default, the team's ("en")
	// Languages are the languages offered to customers ([en, de]); business.language is
	// always offered. Empty: business.language alone.
	Languages  []string `yaml:"languages,omitempty"`
	QuietHours string   `yaml:"quiet_hours"` // "HH:MM-HH:MM", may wrap midnight; empty: none
	// Hours are the opening hours, "Mon-Fri 09:00-12:30,13:30-18:00; Sat 10:00-14:00";
	// empty: always open. Holidays are closed dates, "2026-12-24" (see hours.go).
	Hours    string   `yaml:"hours"`
	Holidays []string `yaml:"holidays"`
}

// Storage is where the data lives.
type Storage struct {
	Driver string `yaml:"driver"` // "sqlite" (the default) or "postgres"
	Path   string `yaml:"path"`   // the SQLite file
	// URL is the PostgreSQL database, postgres://user:password@host:5432/earshot?sslmode=…;
	// its query also sets the pool (pool_max_conns=…) and server settings
	// (statement_timeout=5s). Usually "${DATABASE_URL}".
	URL string `yaml:"url"`
}

// Postgres reports whether the data lives in PostgreSQL.
func (s Storage) Postgres() bool { return s.Driver == "postgres" || s.Driver == "postgresql" }

// HTTP is the HTTP server: API, health, metrics and platform webhooks.
type HTTP struct {
	// Listen is host:port; empty means no HTTP server at all.
	Listen string `yaml:"listen"`
	// APIToken is the bearer token /api/ requires. Empty means the API is switched off:
	// /api/ answers 503 while /healthz, /metrics and /hooks/ keep working.
	APIToken string `yaml:"api_token"`
	// PublicURL is the base URL the outside world reaches Listen at ("https://bot.acme.example"),
	// used to register and show webhook addresses. Optional; no trailing slash.
	PublicURL string `yaml:"public_url"`
	// MetricsListen is host:port for GET /metrics alone. When set, /metrics is served only
	// there, not on Listen, which may have to be public for webhooks. Empty: /metrics is
	// on Listen.
	MetricsListen string `yaml:"metrics_listen"`
}

// Log configures the process log.
type Log struct {
	Format string `yaml:"format"` // text or json; empty: text
	Level  string `yaml:"level"`  // debug, info, warn or error; empty: info
}

// Telegram is the Telegram bot. Enabled when Token is non-empty.
type Telegram struct {
	Token string `yaml:"token"`
	// Username is the bot's username for invite links (t.me/<username>?start=…), without
	// "@". Optional: when empty the adapter asks Telegram (getMe).
	Username      string `yaml:"username"`
	APIURL        string `yaml:"api_url"`        // empty: https://api.telegram.org
	Mode          string `yaml:"mode"`           // polling or webhook; empty: polling
	WebhookSecret string `yaml:"webhook_secret"` // required in webhook mode
}

// Slack is the Slack app. Enabled when BotToken is non-empty; it then needs AppToken (Socket
// Mode) or SigningSecret (HTTP events), or both.
type Slack struct {
	BotToken      string `yaml:"bot_token"`
	AppToken      string `yaml:"app_token"`
	SigningSecret string `yaml:"signing_secret"`
	APIURL        string `yaml:"api_url"` // empty: https://slack.com/api/
}

// Discord is the Discord bot. Enabled when Token is non-empty; it then needs ApplicationID.
type Discord struct {
	Token         string `yaml:"token"`
	ApplicationID string `yaml:"application_id"`
	PublicKey     string `yaml:"public_key"` // hex Ed25519 key for /hooks/discord/interactions
	APIURL        string `yaml:"api_url"`    // empty: https://discord.com
}

// Delivery overrides how fast messages are sent to each platform. Everything is optional.
type Delivery struct {
	// Lease is refused when set: claims now last as long as the process holding them (see
	// core.OutboxStore), so no time limit is safe. Kept to name the key in that refusal.
	Lease    Duration `yaml:"lease"`
	Telegram Pace     `yaml:"telegram"`
	Slack    Pace     `yaml:"slack"`
	Discord  Pace     `yaml:"discord"`
}

// Pace is a send rate. A zero field means the platform's default (Telegram 30/s overall and
// 1/s per chat; Slack 1/s per channel; Discord 50/s).
type Pace struct {
	Rate     float64 `yaml:"rate"`      // messages per second over the whole platform
	ChatRate float64 `yaml:"chat_rate"` // messages per second to one chat
	Burst    int     `yaml:"burst"`     // messages that may go at once before pacing starts
}

// Team is who handles complaints and where.
type Team struct {
	Channel string   `yaml:"channel"` // PLATFORM:ID of the chat complaint cards go to
	Members []Member `yaml:"members"`
}

// Member is a team member.
type Member struct {
	Name     string   `yaml:"name"`
	Role     string   `yaml:"role"`     // owner or member
	Accounts []string `yaml:"accounts"` // PLATFORM:ID of each of their accounts
	Language string   `yaml:"language"` // what they read (en, de …); empty: business.language
}

// Survey is one survey plan.
type Survey struct {
	Name              string     `yaml:"name"`
	Trigger           string     `yaml:"trigger"`             // the touchpoint stage
	Delay             Duration   `yaml:"delay"`               // default 0: at once
	ReminderAfter     Duration   `yaml:"reminder_after"`      // default 0: no reminder
	ExpireAfter       Duration   `yaml:"expire_after"`        // default 168h; 0: never
	LowScoreThreshold int        `yaml:"low_score_threshold"` // default: DefaultThreshold of the scales; 0: never
	Intro             Text       `yaml:"intro,omitempty"`     // the occasion in the greeting; "{ref}": the touchpoint's ref
	Questions         []Question `yaml:"questions"`

	thresholdSet bool // low_score_threshold was written in the file
}

// Question is one question of a survey plan.
type Question struct {
	Key      string   `yaml:"key"`  // [a-z][a-z0-9_]*, the dimension in the digest
	Text     Text     `yaml:"text"` // what the customer reads
	Type     string   `yaml:"type"` // scale, nps, csat, ces, choice or text
	Min      int      `yaml:"min"`  // scale only; default 1
	Max      int      `yaml:"max"`  // scale only; default 10; at most 11 buttons
	Optional bool     `yaml:"optional"`
	Options  []Option `yaml:"options,omitempty"`  // choice only
	Multiple bool     `yaml:"multiple,omitempty"` // choice only: several options may be picked
	AskIf    AskIf    `yaml:"ask_if,omitempty"`   // ask only when an earlier answer matches

	boundsSet bool // min or max was written in the file
	askIfSet  bool // ask_if was written in the file
}

// Option is one answer a choice question offers.
type Option struct {
	Key   string `yaml:"key"`   // [a-z][a-z0-9_]*, what is counted
	Label Text   `yaml:"label"` // what the customer reads
}

// AskIf is a question's condition: the earlier question it looks at and how its answer must
// compare (at_most and/or at_least for a number, in for a choice's option keys).
type AskIf struct {
	Question string   `yaml:"question"`
	AtMost   int      `yaml:"at_most,omitempty"`
	AtLeast  int      `yaml:"at_least,omitempty"`
	In       []string `yaml:"in,omitempty"`

	atMostSet, atLeastSet bool
}

// condition is the ask_if as core's Condition.
func (a AskIf) condition() *core.Condition {
	c := &core.Condition{Question: a.Question, In: a.In}
	if a.atMostSet {
		c.AtMost = &a.AtMost
	}
	if a.atLeastSet {
		c.AtLeast = &a.AtLeast
	}
	return c
}

// IsZero reports whether no ask_if was written (yaml's omitempty).
func (a AskIf) IsZero() bool {
	return a.Question == "" && !a.atMostSet && !a.atLeastSet && len(a.In) == 0
}

// MarshalYAML writes the comparisons that were written, at_most: 0 included.
func (a AskIf) MarshalYAML() (any, error) {
	m := map[string]any{"question": a.Question}
	if a.atMostSet {
		m["at_most"] = a.AtMost
	}
	if a.atLeastSet {
		m["at_least"] = a.AtLeast
	}
	if len(a.In) > 0 {
		m["in"] = a.In
	}
	return m, nil
}

// decoded records which comparisons were written.
func (a *AskIf) decoded(keys map[string]bool) {
	a.atMostSet, a.atLeastSet = keys["at_most"], keys["at_least"]
}

// Complaints are the business's visible standards.
type Complaints struct {
	AcknowledgeWithin Duration `yaml:"acknowledge_within"`
	ResolveWithin     Duration `yaml:"resolve_within"`
	AutoCloseAfter    Duration `yaml:"auto_close_after"` // a resolved complaint nobody confirms closes
	// Clock counts the standards in every hour (calendar, the default) or only in
	// business.hours (business).
	Clock string `yaml:"clock"`
}

// Digest is the weekly digest.
type Digest struct {
	Schedule string `yaml:"schedule"` // cron, 5 fields or @weekly; in business.timezone
}

// Built-in values.
const (
	DefaultTelegramAPI = "https://api.telegram.org"
	DefaultSlackAPI    = "https://slack.com/api/"
	DefaultDiscordAPI  = "https://discord.com"

	defaultExpireAfter = Duration(168 * time.Hour)
	defaultScaleMin    = 1
	defaultScaleMax    = 10
)

// Default returns the configuration used without --config: SQLite in earshot.db, no
// platforms, the HTTP server on 127.0.0.1:8080 with the API off (no token), and the
// after-delivery survey of config.example.yaml, so `earshot touch --stage delivery` works.
// It is validated, so Location and DigestSchedule are ready.
func Default() *Config {
	c := &Config{
		Business: Business{Name: "earshot", Timezone: "UTC", Language: "en"},
		Storage:  Storage{Driver: "sqlite", Path: "earshot.db"},
		HTTP:     HTTP{Listen: "127.0.0.1:8080"},
		Log:      Log{Format: "text", Level: "info"},
		Telegram: Telegram{APIURL: DefaultTelegramAPI, Mode: "polling"},
		Slack:    Slack{APIURL: DefaultSlackAPI},
		Discord:  Discord{APIURL: DefaultDiscordAPI},
		Surveys:  []Survey{afterDelivery()},
		Throttle: Duration(720 * time.Hour),
		Complaints: Complaints{
			AcknowledgeWithin: Duration(12 * time.Hour),
			ResolveWithin:     Duration(48 * time.Hour),
			AutoCloseAfter:    Duration(72 * time.Hour),
		},
		Digest: Digest{Schedule: "0 9 * * MON"},
	}
	_ = c.Validate() // cannot fail (TestDefaultIsValid); parses the zone and the schedule
	return c
}

func afterDelivery() Survey {
	scale := func(key string, text Text) Question {
		return Question{Key: key, Text: text, Type: "scale", Min: defaultScaleMin, Max: defaultScaleMax}
	}
	return Survey{
		Name:              "after-delivery",
		Trigger:           "delivery",
		Delay:             Duration(24 * time.Hour),
		ReminderAfter:     Duration(24 * time.Hour),
		ExpireAfter:       defaultExpireAfter,
		LowScoreThreshold: DefaultThreshold(defaultScaleMin, defaultScaleMax), // 4
		Questions: []Question{
			scale("courtesy", builtin("courtesy")),
			scale("speed", builtin("speed")),
			scale("quality", builtin("quality")),
			{Key: "comment", Text: builtin("comment"), Type: "text", Optional: true},
		},
	}
}

// setDefaults prepares a survey read from the file before its keys are decoded.
func (s *Survey) setDefaults() {
	s.ExpireAfter = defaultExpireAfter
}

// decoded records which keys the file wrote and, when low_score_threshold was not written,
// sets it relative to the plan's scales (its questions are decoded by now).
func (s *Survey) decoded(keys map[string]bool) {
	s.thresholdSet = keys["low_score_threshold"]
	if !s.thresholdSet {
		s.LowScoreThreshold = s.defaultThreshold()
	}
}

// DefaultThreshold is the low-score threshold of a min..max scale when none is written: the
// bottom 40 % of the range, rounded down (1-10: 4, as it always was; 1-5: 2; 1-7: 3;
// 0-10: 4). Forty per cent keeps the long-standing 4 on the common 1-10 scale and, on a
// 1-5 scale, takes the two "dissatisfied" answers that CSAT counts against a business,
// never the middle. A result of 0 means never (a 0-1 or 0-2 scale has no low score).
func DefaultThreshold(min, max int) int {
	return min + (max-min)*4/10
}

// defaultThreshold is the plan's default: the lowest of its scales' defaults, so that it
// lies inside every scale; 0 (never) when it asks no scale question.
func (s *Survey) defaultThreshold() int {
	t, found := 0, false
	for _, q := range s.Questions {
		if q.Type != "scale" || q.Min >= q.Max {
			continue
		}
		if d := DefaultThreshold(q.Min, q.Max); !found || d < t {
			t, found = d, true
		}
	}
	return t
}

// decoded fills a scale's missing bounds and a fixed kind's range, and records which keys
// were written.
func (q *Question) decoded(keys map[string]bool) {
	q.boundsSet, q.askIfSet = keys["min"] || keys["max"], keys["ask_if"]
	if min, max, ok := core.KindBounds(core.QuestionType(q.Type)); ok && !q.boundsSet {
		q.Min, q.Max = min, max
	}
	if q.Type == "scale" {
		if !keys["min"] {
			q.Min = defaultScaleMin
		}
		if !keys["max"] {
			q.Max = defaultScaleMax
		}
	}
}

// fillEmpty replaces empty values that have a meaningful default.
func (c *Config) fillEmpty() {
	fill := func(s *string, def string) {
		if strings.TrimSpace(*s) == "" {
			*s = def
		}
	}
	fill(&c.Telegram.APIURL, DefaultTelegramAPI)
	fill(&c.Slack.APIURL, DefaultSlackAPI)
	fill(&c.Discord.APIURL, DefaultDiscordAPI)
	fill(&c.Telegram.Mode, "polling")
	fill(&c.Log.Format, "text")
	fill(&c.Log.Level, "info")
	c.Telegram.Username = strings.TrimPrefix(c.Telegram.Username, "@")
	c.HTTP.PublicURL = strings.TrimRight(c.HTTP.PublicURL, "/")
}
