package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

// noEnv is an environment where no variable is set.
func noEnv(string) (string, bool) { return "", false }

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

const examplePath = "../../../../config.example.yaml"

func TestExampleIsValid(t *testing.T) {
	data, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(data, noEnv)
	if err != nil {
		t.Fatalf("config.example.yaml with no environment: %v", err)
	}
	if c.Business.Name != "Acme Bikes" || c.Business.QuietHours != "20:00-09:00" {
		t.Errorf("business = %+v", c.Business)
	}
	for _, p := range []core.Platform{core.Telegram, core.Slack, core.Discord} {
		if c.Enabled(p) {
			t.Errorf("%s enabled with no token in the environment", p)
		}
	}
	if got := c.Surveys[0].Questions[3]; got.Type != "text" || !got.Optional || got.Min != 0 || got.Max != 0 {
		t.Errorf("comment question = %+v", got)
	}
	if c.DigestSchedule() == nil || c.Location().String() != "Europe/Berlin" {
		t.Errorf("schedule %v, location %v: not parsed at load", c.DigestSchedule(), c.Location())
	}
}

// TestExampleMatchesDefault: the built-in survey is the example's after-delivery, and every
// key of Config appears in the example.
func TestExampleMatchesDefault(t *testing.T) {
	data, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(data, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	d := Default()
	if got, want := c.Surveys[0], d.Surveys[0]; !sameSurvey(got, want) {
		t.Errorf("example survey\n%+v\ndiffers from the default\n%+v", got, want)
	}
	// Load the example's own text to check each key is written in it.
	for _, key := range []string{"username:", "public_url:", "metrics_listen:", "format:", "level:", "chat_rate:", "burst:",
		"api_url:", "webhook_secret:", "signing_secret:", "app_token:", "application_id:", "public_key:",
		"optional:", "languages:", "messages:", "intro:", "label:", "reminder_after:", "expire_after:", "low_score_threshold:", "auto_close_after:", "schedule:"} {
		if !strings.Contains(string(data), key) {
			t.Errorf("config.example.yaml lacks %s", key)
		}
	}
}

func sameSurvey(a, b Survey) bool {
	if a.Name != b.Name || a.Trigger != b.Trigger || a.Delay != b.Delay || a.ReminderAfter != b.ReminderAfter ||
		a.ExpireAfter != b.ExpireAfter || a.LowScoreThreshold != b.LowScoreThreshold || len(a.Questions) != len(b.Questions) {
		return false
	}
	for i := range a.Questions {
		qa, qb := a.Questions[i], b.Questions[i]
		sameOption := func(x, y Option) bool { return x.Key == y.Key && sameText(x.Label, y.Label) }
		if qa.Key != qb.Key || !sameText(qa.Text, qb.Text) || qa.Type != qb.Type || qa.Min != qb.Min || qa.Max != qb.Max ||
			qa.Optional != qb.Optional || qa.Multiple != qb.Multiple || !slices.EqualFunc(qa.Options, qb.Options, sameOption) ||
			qa.AskIf.Question != qb.AskIf.Question || !slices.Equal(qa.AskIf.In, qb.AskIf.In) ||
			qa.AskIf.AtMost != qb.AskIf.AtMost || qa.AskIf.AtLeast != qb.AskIf.AtLeast {
			return false
		}
	}
	return true
}

// sameText: the example's text reads as the built-in one in every language the example
// writes (the built-in survey speaks every language earshot does).
func sameText(example, builtin Text) bool {
	if example.ByLang == nil {
		return example.All == builtin.For("en")
	}
	for l, s := range example.ByLang {
		if builtin.For(l) != s {
			return false
		}
	}
	return true
}

func TestDefaultIsValid(t *testing.T) {
	c := Default()
	if c.DigestSchedule() == nil || c.Location() != time.UTC {
		t.Fatalf("Default() is not ready to use: schedule %v, location %v", c.DigestSchedule(), c.Location())
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	if c.Storage.Path != "earshot.db" || c.HTTP.Listen != "127.0.0.1:8080" || c.Throttle.Std() != 720*time.Hour {
		t.Errorf("defaults = %+v %+v %v", c.Storage, c.HTTP, c.Throttle)
	}
	if c.Surveys[0].Trigger != "delivery" {
		t.Errorf("built-in survey trigger %q, want delivery", c.Surveys[0].Trigger)
	}
	// An empty file and a file of comments are the defaults too.
	for _, data := range []string{"", "# nothing\n"} {
		if _, err := Parse([]byte(data), noEnv); err != nil {
			t.Errorf("Parse(%q) = %v", data, err)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("business: {name: Shop}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(good)
	if err != nil || c.Business.Name != "Shop" || c.Business.Timezone != "UTC" {
		t.Fatalf("Load = %+v, %v", c, err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil || !strings.HasPrefix(err.Error(), "config: read ") {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("business: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "bad.yaml: yaml:") {
		t.Errorf("syntax error: %v", err)
	}
	t.Setenv("EARSHOT_TEST_DELAY", "soon")
	if err := os.WriteFile(bad, []byte("throttle: ${EARSHOT_TEST_DELAY}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad); err == nil || err.Error() != `throttle: "${EARSHOT_TEST_DELAY}" is not a duration (like 90s, 24h or 7d)` {
		t.Errorf("Load with a bad value from the environment: %v", err)
	}
}

// TestBadConfig: each bad file fails with a problem naming the key's path.
func TestBadConfig(t *testing.T) {
	tests := []struct {
		name, yaml, path, reason string
	}{
		{"bad duration", "surveys:\n- name: s\n  trigger: t\n  delay: abc\n  questions: [{key: k, text: q, type: text}]\n",
			"surveys[0].delay", `"abc" is not a duration (like 90s, 24h or 7d)`},
		{"negative duration", "throttle: -1h\n", "throttle", "is negative"},
		{"unknown top key", "thorttle: 1h\n", "thorttle", `unknown key (did you mean "throttle"?)`},
		{"unknown nested key", "business: {nmae: X}\n", "business.nmae", "unknown key"},
		{"unknown key in list element", "surveys:\n- name: s\n  trigger: t\n  dealy: 1h\n  questions: [{key: k, text: q, type: text}]\n",
			"surveys[0].dealy", `unknown key (did you mean "delay"?)`},
		{"unknown key in question", "surveys:\n- name: s\n  trigger: t\n  questions: [{key: k, text: q, type: text, colour: red}]\n",
			"surveys[0].questions[0].colour", "unknown key"},
		{"duplicate key", "business: {name: A, name: B}\n", "business.name", "duplicate key"},
		{"list for a mapping", "business: [a]\n", "business", "expected a mapping"},
		{"scalar for a list", "team: {members: [{name: A, role: owner, accounts: slack:U1}]}\n", "team.members[0].accounts", "expected a list"},
		{"not a number", "surveys:\n- name: s\n  trigger: t\n  questions: [{key: k, text: q, type: scale, max: ten}]\n",
			"surveys[0].questions[0].max", `"ten" is not a whole number`},
		{"not a bool", "surveys:\n- name: s\n  trigger: t\n  questions: [{key: k, text: q, type: text, optional: maybe}]\n",
			"surveys[0].questions[0].optional", "not true or false"},
		{"bad cron", `digest: {schedule: "0 9 * *"}`, "digest.schedule", "is not a cron spec"},
		{"cron never fires", `digest: {schedule: "0 9 30 2 *"}`, "digest.schedule", "never fires"},
		{"CRON_TZ prefix", `digest: {schedule: "CRON_TZ=Europe/Berlin 0 9 * * MON"}`, "digest.schedule", "business.timezone"},
		{"TZ prefix", `digest: {schedule: "TZ=UTC 0 9 * * MON"}`, "digest.schedule", "remove the time zone prefix"},
		{"account not PLATFORM:ID", "team: {members: [{name: A, role: owner, accounts: [U012]}]}\n",
			"team.members[0].accounts[0]", "is not PLATFORM:ID"},
		{"account on unknown platform", "team: {members: [{name: A, role: owner, accounts: [irc:bob]}]}\n",
			"team.members[0].accounts[0]", "unknown platform"},
		{"account in two members", "team: {members: [{name: A, role: owner, accounts: [slack:U1]}, {name: B, role: member, accounts: [slack:U1]}]}\n",
			"team.members[1].accounts[0]", "slack:U1 is already an account of A"},
		{"duplicate member name", "team: {members: [{name: A, role: owner, accounts: [slack:U1]}, {name: a, role: member, accounts: [slack:U2]}]}\n",
			"team.members[1].name", "already the name"},
		{"bad role", "team: {members: [{name: A, role: boss, accounts: [slack:U1]}]}\n", "team.members[0].role", "want owner or member"},
		{"bad channel", "team: {channel: C0123}\n", "team.channel", "is not PLATFORM:ID"},
		{"duplicate question key", "surveys:\n- name: s\n  trigger: t\n  questions: [{key: k, text: q, type: text}, {key: k, text: r, type: text}]\n",
			"surveys[0].questions[1].key", `"k" is already a question`},
		{"bad question key", "surveys:\n- name: s\n  trigger: t\n  questions: [{key: Speed, text: q, type: text}]\n",
			"surveys[0].questions[0].key", "lower-case"},
		{"min not below max", "surveys:\n- name: s\n  trigger: t\n  questions: [{key: k, text: q, type: scale, min: 5, max: 5}]\n",
			"surveys[0].questions[0].min", "is not below max"},
		{"too many buttons", "surveys:\n- name: s\n  trigger: t\n  questions: [{key: k, text: q, type: scale, min: 0, max: 11}]\n",
			"surveys[0].questions[0].max", "at most 11"},
		{"text with min", "surveys:\n- name: s\n  trigger: t\n  questions: [{key: k, text: q, type: text, min: 1}]\n",
			"surveys[0].questions[0]", "takes no min or max"},
		{"bad question type", "surveys:\n- name: s\n  trigger: t\n  questions: [{key: k, text: q, type: stars}]\n",
			"surveys[0].questions[0].type", "want scale, nps, csat, ces, choice or text"},
		{"no questions", "surveys:\n- {name: s, trigger: t}\n", "surveys[0].questions", "at least one question"},
		{"duplicate survey", "surveys:\n- {name: s, trigger: t, questions: [{key: k, text: q, type: text}]}\n- {name: s, trigger: u, questions: [{key: k, text: q, type: text}]}\n",
			"surveys[1].name", "earlier survey"},
		{"no trigger", "surveys:\n- {name: s, questions: [{key: k, text: q, type: text}]}\n", "surveys[0].trigger", "empty"},
		{"threshold off the scale", "surveys:\n- {name: s, trigger: t, low_score_threshold: 7, questions: [{key: k, text: q, type: scale, max: 5}]}\n",
			"surveys[0].low_score_threshold", "must be from 1 to 4"},
		{"reminder after expiry", "surveys:\n- {name: s, trigger: t, reminder_after: 8d, questions: [{key: k, text: q, type: text}]}\n",
			"surveys[0].reminder_after", "is not before expire_after (7d)"},
		{"bad quiet hours", `business: {quiet_hours: "20-09"}`, "business.quiet_hours", "is not HH:MM-HH:MM"},
		{"quiet hours out of range", `business: {quiet_hours: "20:00-24:00"}`, "business.quiet_hours", "is not HH:MM-HH:MM"},
		{"quiet hours empty window", `business: {quiet_hours: "09:00-09:00"}`, "business.quiet_hours", "same time"},
		{"unknown timezone", "business: {timezone: Mars/Olympus}\n", "business.timezone", "not a known time zone"},
		{"Local timezone", "business: {timezone: Local}\n", "business.timezone", "depends on the server"},
		{"empty language", `business: {language: ""}`, "business.language", "empty"},
		{"postgres without url", "storage: {driver: postgres}\n", "storage.url", "empty: give the database"},
		{"postgres bad url", "storage: {driver: postgres, url: 'mysql://db/x'}\n", "storage.url", "want postgres://"},
		{"unknown driver", "storage: {driver: mysql}\n", "storage.driver", "use sqlite or postgres"},
		{"bad listen", "http: {listen: localhost}\n", "http.listen", "is not host:port"},
		{"bad public url", "http: {public_url: bot.example}\n", "http.public_url", "not an http(s) URL"},
		{"bad api url", "telegram: {api_url: ftp://x}\n", "telegram.api_url", "not an http(s) URL"},
		{"bad telegram mode", "telegram: {mode: push}\n", "telegram.mode", "want polling or webhook"},
		{"webhook without secret", "telegram: {token: '1:a', mode: webhook}\n", "telegram.webhook_secret", "required in webhook mode"},
		{"webhook secret charset", "telegram: {webhook_secret: 'a b'}\n", "telegram.webhook_secret", "letters, digits"},
		{"bad bot username", "telegram: {username: acme}\n", "telegram.username", "not a bot username"},
		{"slack without app token or secret", "slack: {bot_token: xoxb-1}\n", "slack", "set app_token"},
		{"discord without application id", "discord: {token: t}\n", "discord.application_id", "required"},
		{"discord bad public key", "discord: {public_key: abc}\n", "discord.public_key", "hex Ed25519"},
		{"complaints zero", "complaints: {resolve_within: 0s}\n", "complaints.resolve_within", "more than 0"},
		{"ack after resolve", "complaints: {acknowledge_within: 3d, resolve_within: 1d}\n", "complaints.acknowledge_within", "longer than resolve_within"},
		{"bad log level", "log: {level: loud}\n", "log.level", "want debug"},
		{"negative rate", "delivery: {slack: {rate: -1}}\n", "delivery.slack.rate", "0 (platform default) or more"},
		{"lease", "delivery: {lease: 1s}\n", "delivery.lease", "no value is safe"},
		{"top level list", "- a\n", "(top level)", "expected a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), noEnv)
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			want := tt.path + ": "
			for _, line := range strings.Split(err.Error(), "\n") {
				if strings.HasPrefix(line, want) && strings.Contains(line, tt.reason) {
					return
				}
			}
			t.Fatalf("error\n%v\nhas no line %q…%q", err, want, tt.reason)
		})
	}
}

func TestSeveralErrorsAtOnce(t *testing.T) {
	data := "business: {timezone: Nowhere/Land, quiet_hours: nope}\ndigest: {schedule: bad}\nstorage: {driver: mysql}\n"
	_, err := Parse([]byte(data), noEnv)
	probs := Problems(err)
	var paths []string
	for _, p := range probs {
		paths = append(paths, p.Path)
	}
	want := []string{"business.timezone", "business.quiet_hours", "storage.driver", "digest.schedule"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Fatalf("problems at %v, want %v\n%v", paths, want, err)
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != len(want) {
		t.Errorf("%d lines, want one per problem:\n%v", n, err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Path != "business.timezone" {
		t.Errorf("errors.As found %v", e)
	}
	// Decoding problems are reported together too.
	_, err = Parse([]byte("thorttle: 1h\nbusiness: {nmae: x}\ncomplaints: {resolve_within: soon}\n"), noEnv)
	if got := len(Problems(err)); got != 3 {
		t.Errorf("%d decoding problems, want 3:\n%v", got, err)
	}
}

func TestAliasLimit(t *testing.T) {
	data := "surveys:\n- name: s\n  trigger: t\n  questions:\n  - &q {key: k, text: q, type: text}\n"
	data += strings.Repeat("  - *q\n", maxAliases+5)
	_, err := Parse([]byte(data), noEnv)
	if err == nil || strings.Count(err.Error(), "too many aliases") != 1 {
		t.Fatalf("err = %.300v", err)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("surveys[0].questions[%d]: too many aliases", maxAliases+1)) {
		t.Fatalf("err does not name the first alias past the limit: %.300v", err)
	}
}
