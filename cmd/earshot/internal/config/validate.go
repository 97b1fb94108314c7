package config

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones work on a minimal image without /usr/share/zoneinfo

	"github.com/robfig/cron/v3"

	"earshot/core"
)

// problems collects one *Error per problem.
type problems []error

func (p *problems) add(path, format string, args ...any) {
	*p = append(*p, &Error{Path: path, Reason: fmt.Sprintf(format, args...)})
}

// Validate checks every rule and returns all problems at once, joined, one "path: reason"
// per line (nil when there are none). It also parses the time zone and the digest schedule
// once, for Settings and DigestSchedule. Load calls it; call it again after changing c.
// Error texts never contain a secret's value.
func (c *Config) Validate() error {
	var p problems
	c.validateBusiness(&p)
	c.validateLanguages(&p)
	c.validateServer(&p)
	c.validatePlatforms(&p)
	c.validateTeam(&p)
	c.validateMemberLanguages(&p)
	c.validateCustomers(&p)
	c.validateSurveys(&p)
	c.validateTexts(&p)
	c.validateStandards(&p)
	c.validateWebhooks(&p)
	c.validateHours(&p)
	c.showWritten(p)
	return errors.Join(p...)
}

// showWritten rewrites each problem's reason to show a value that came from ${VAR} as it
// was written, and masks any secret still in it, so an error never reveals an expanded
// variable: `discord.application_id: "${SLACK_SIGNING_SECRET}" is not a Discord id`.
func (c *Config) showWritten(p problems) {
	if len(p) == 0 {
		return
	}
	var pairs []string
	for expanded, raw := range c.written {
		if expanded == "" {
			continue
		}
		pairs = append(pairs, strconv.Quote(expanded), strconv.Quote(raw))
		if len(expanded) >= 8 { // long enough not to match ordinary words of a reason
			pairs = append(pairs, expanded, raw)
		}
	}
	for _, s := range c.Secrets() {
		pairs = append(pairs, s, Redacted)
	}
	// Longer values first, so a value is never replaced inside a longer one's occurrence.
	type pair struct{ old, new string }
	ps := make([]pair, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		ps = append(ps, pair{pairs[i], pairs[i+1]})
	}
	slices.SortStableFunc(ps, func(a, b pair) int { return len(b.old) - len(a.old) })
	flat := make([]string, 0, len(pairs))
	for _, x := range ps {
		flat = append(flat, x.old, x.new)
	}
	r := strings.NewReplacer(flat...)
	for _, e := range p {
		if pe, ok := e.(*Error); ok {
			pe.Reason = r.Replace(pe.Reason)
		}
	}
}

func (c *Config) validateBusiness(p *problems) {
	b := c.Business
	if strings.TrimSpace(b.Name) == "" {
		p.add("business.name", "empty: name the business")
	}
	c.loc = nil
	if loc, reason := loadLocation(b.Timezone); reason != "" {
		p.add("business.timezone", "%s", reason)
	} else {
		c.loc = loc
	}
	if _, err := ParseQuietHours(b.QuietHours); err != nil {
		p.add("business.quiet_hours", "%v", err)
	}
}

func loadLocation(name string) (*time.Location, string) {
	switch strings.TrimSpace(name) {
	case "":
		return nil, "empty: use an IANA time zone like Europe/Berlin, or UTC"
	case "Local":
		return nil, `"Local" depends on the server: name the zone, like Europe/Berlin`
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Sprintf("%q is not a known time zone (like Europe/Berlin or UTC)", name)
	}
	return loc, ""
}

// ParseQuietHours parses "HH:MM-HH:MM" (local times; the window may wrap midnight, as in
// "20:00-09:00"). Empty or blank means no quiet hours.
func ParseQuietHours(s string) (core.QuietHours, error) {
	if strings.TrimSpace(s) == "" {
		return core.QuietHours{}, nil
	}
	bad := fmt.Errorf("%q is not HH:MM-HH:MM (like 20:00-09:00)", s)
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return core.QuietHours{}, bad
	}
	f, ok1 := clock(from)
	t, ok2 := clock(to)
	if !ok1 || !ok2 {
		return core.QuietHours{}, bad
	}
	if f == t {
		return core.QuietHours{}, fmt.Errorf("%q starts and ends at the same time; leave it empty for none", s)
	}
	return core.QuietHours{From: f, To: t}, nil
}

func clock(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, false
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, true
}

func (c *Config) validateServer(p *problems) {
	switch c.Storage.Driver {
	case "sqlite":
		if strings.TrimSpace(c.Storage.Path) == "" {
			p.add("storage.path", "empty: name the SQLite file, like earshot.db")
		}
	case "postgres", "postgresql":
		if reason := checkPostgresURL(c.Storage.URL); reason != "" {
			p.add("storage.url", "%s", reason)
		}
	default:
		p.add("storage.driver", "%q is not supported: use sqlite or postgres", c.Storage.Driver)
	}
	if l := c.HTTP.Listen; l != "" {
		if reason := checkListen(l); reason != "" {
			p.add("http.listen", "%s", reason)
		}
	}
	if u := c.HTTP.PublicURL; u != "" {
		if reason := checkURL(u); reason != "" {
			p.add("http.public_url", "%s", reason)
		}
	}
	if l := c.HTTP.MetricsListen; l != "" {
		switch {
		case checkListen(l) != "":
			p.add("http.metrics_listen", "%s", checkListen(l))
		case l == c.HTTP.Listen && !strings.HasSuffix(l, ":0"): // port 0: each gets a free port
			p.add("http.metrics_listen", "%q is http.listen: give /metrics its own (private) address, or leave it empty", l)
		}
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		p.add("log.format", "%q: want text or json", c.Log.Format)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		p.add("log.level", "%q: want debug, info, warn or error", c.Log.Level)
	}
}

func checkListen(l string) string {
	host, port, err := net.SplitHostPort(l)
	n, perr := strconv.Atoi(port)
	if err != nil || perr != nil || n < 0 || n > 65535 || strings.ContainsAny(host, " /") {
		return fmt.Sprintf("%q is not host:port (like 127.0.0.1:8080 or :8080)", l)
	}
	return ""
}

// telegramWebhookPorts are the only ports Telegram delivers webhooks to.
var telegramWebhookPorts = []string{"443", "80", "88", "8443"}

// telegramWebhookURL says what is wrong with http.public_url for a Telegram webhook:
// Telegram posts only to https:// on port 443, 80, 88 or 8443.
func telegramWebhookURL(s string) string {
	if s == "" {
		return "required by telegram.mode webhook: the https:// address Telegram reaches http.listen at"
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "" // checkURL names it
	}
	if u.Scheme != "https" {
		return fmt.Sprintf("%q: Telegram webhooks need https://", s)
	}
	if port := u.Port(); port != "" && !slices.Contains(telegramWebhookPorts, port) {
		return fmt.Sprintf("%q: Telegram delivers webhooks only to port 443, 80, 88 or 8443", s)
	}
	return ""
}

func checkURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Sprintf("%q is not an http(s) URL", s)
	}
	return ""
}

var (
	tgSecret    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	tgUsername  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{3,31}$`)
	snowflake   = regexp.MustCompile(`^[0-9]{1,20}$`)
	questionKey = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

func (c *Config) validatePlatforms(p *problems) {
	tg := c.Telegram
	switch tg.Mode {
	case "polling":
	case "webhook":
		if tg.WebhookSecret == "" && c.Enabled(core.Telegram) {
			p.add("telegram.webhook_secret", "required in webhook mode (e.g. ${TELEGRAM_WEBHOOK_SECRET})")
		}
		if c.HTTP.Listen == "" && c.Enabled(core.Telegram) {
			p.add("http.listen", "required by telegram.mode webhook")
		}
		if c.Enabled(core.Telegram) {
			if reason := telegramWebhookURL(c.HTTP.PublicURL); reason != "" {
				p.add("http.public_url", "%s", reason)
			}
		}
	default:
		p.add("telegram.mode", "%q: want polling or webhook", tg.Mode)
	}
	if tg.WebhookSecret != "" && !tgSecret.MatchString(tg.WebhookSecret) {
		p.add("telegram.webhook_secret", "must be 1-256 letters, digits, _ or - (Telegram's rule)")
	}
	if tg.Username != "" && (!tgUsername.MatchString(tg.Username) ||
		!strings.HasSuffix(strings.ToLower(tg.Username), "bot")) {
		p.add("telegram.username", "%q is not a bot username (5-32 letters, digits or _, ending in bot)", tg.Username)
	}
	if c.Enabled(core.Slack) {
		if c.Slack.AppToken == "" && c.Slack.SigningSecret == "" {
			p.add("slack", "bot_token is set, so set app_token (Socket Mode) or signing_secret (HTTP events)")
		}
		if c.Slack.AppToken == "" && c.HTTP.Listen == "" {
			p.add("http.listen", "required by Slack without slack.app_token (events come over HTTP)")
		}
	}
	if c.Enabled(core.Discord) && c.Discord.ApplicationID == "" {
		p.add("discord.application_id", "required when discord.token is set")
	}
	if id := c.Discord.ApplicationID; id != "" && !snowflake.MatchString(id) {
		p.add("discord.application_id", "%q is not a Discord id (digits)", id)
	}
	if k := c.Discord.PublicKey; k != "" {
		if b, err := hex.DecodeString(k); err != nil || len(b) != 32 {
			p.add("discord.public_key", "not a 64-character hex Ed25519 key (the app's Public Key)")
		}
	}
	for _, u := range []struct{ path, url string }{
		{"telegram.api_url", tg.APIURL}, {"slack.api_url", c.Slack.APIURL}, {"discord.api_url", c.Discord.APIURL},
	} {
		if reason := checkURL(u.url); reason != "" {
			p.add(u.path, "%s", reason)
		}
	}
	if c.Delivery.Lease.Std() != 0 {
		p.add("delivery.lease", "is no longer used and no value is safe: a message being sent stays with the process sending it for as long as that process lives, and a restart takes over at once; remove the key")
	}
	for _, d := range []struct {
		name string
		pace Pace
	}{{"telegram", c.Delivery.Telegram}, {"slack", c.Delivery.Slack}, {"discord", c.Delivery.Discord}} {
		path := "delivery." + d.name + "."
		if d.pace.Rate < 0 {
			p.add(path+"rate", "must be 0 (platform default) or more")
		}
		if d.pace.ChatRate < 0 {
			p.add(path+"chat_rate", "must be 0 (platform default) or more")
		}
		if d.pace.Burst < 0 {
			p.add(path+"burst", "must be 0 (platform default) or more")
		}
	}
}

func (c *Config) validateStandards(p *problems) {
	s := c.Complaints
	for _, d := range []struct {
		path string
		d    Duration
	}{
		{"complaints.acknowledge_within", s.AcknowledgeWithin},
		{"complaints.resolve_within", s.ResolveWithin},
		{"complaints.auto_close_after", s.AutoCloseAfter},
	} {
		if d.d <= 0 {
			p.add(d.path, "must be more than 0")
		}
	}
	if s.AcknowledgeWithin > s.ResolveWithin && s.ResolveWithin > 0 {
		p.add("complaints.acknowledge_within", "%s is longer than resolve_within (%s)", s.AcknowledgeWithin, s.ResolveWithin)
	}
	c.schedule = nil
	sched, reason := parseSchedule(c.Digest.Schedule, c.loc)
	if reason != "" {
		p.add("digest.schedule", "%s", reason)
		return
	}
	c.schedule = sched
}

// parseSchedule parses a digest spec with cron's standard parser, in loc (UTC when nil).
func parseSchedule(spec string, loc *time.Location) (s cron.Schedule, reason string) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, `empty: use a cron spec like "0 9 * * MON"`
	}
	if strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=") {
		return nil, fmt.Sprintf("%q: remove the time zone prefix; the schedule runs in business.timezone", spec)
	}
	defer func() {
		if recover() != nil { // the cron parser is third-party code; never let it crash us
			s, reason = nil, fmt.Sprintf("%q is not a cron spec", spec)
		}
	}()
	parsed, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Sprintf("%q is not a cron spec (5 fields like \"0 9 * * MON\", or @weekly): %v", spec, err)
	}
	if loc == nil {
		loc = time.UTC
	}
	if ss, ok := parsed.(*cron.SpecSchedule); ok {
		ss.Location = loc
		if ss.Next(time.Now()).IsZero() {
			return nil, fmt.Sprintf("%q never fires", spec)
		}
	}
	return parsed, ""
}

// checkPostgresURL says what is wrong with a PostgreSQL URL, or "" when nothing is.
func checkPostgresURL(raw string) string {
	if strings.TrimSpace(raw) == "" {
		return "empty: give the database as postgres://user:password@host:5432/earshot (often \"${DATABASE_URL}\")"
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "want postgres://user:password@host:5432/database"
	}
	return ""
}
