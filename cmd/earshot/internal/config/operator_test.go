package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestDefaultThresholdFollowsTheScale: without low_score_threshold a plan's threshold is
// the bottom 40 % of its scale, so on 1-5 a 4 is not called a bad experience.
func TestDefaultThresholdFollowsTheScale(t *testing.T) {
	tests := []struct {
		name, questions string
		want            int
	}{
		{"1-10", "[{key: k, text: q, type: scale}]", 4},
		{"1-5", "[{key: k, text: q, type: scale, max: 5}]", 2},
		{"1-7", "[{key: k, text: q, type: scale, max: 7}]", 3},
		{"0-10", "[{key: k, text: q, type: scale, min: 0, max: 10}]", 4},
		{"1-3", "[{key: k, text: q, type: scale, max: 3}]", 1},
		{"1-5 beside 1-10: the lower", "[{key: a, text: q, type: scale}, {key: b, text: q, type: scale, max: 5}]", 2},
		{"no scale: never", "[{key: k, text: q, type: text}]", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte("surveys:\n- {name: s, trigger: t, questions: "+tt.questions+"}\n"), noEnv)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Surveys[0].LowScoreThreshold; got != tt.want {
				t.Fatalf("default threshold %d, want %d", got, tt.want)
			}
		})
	}
	// A written threshold is kept and checked against every scale of the plan.
	_, err := Parse([]byte("surveys:\n- {name: s, trigger: t, low_score_threshold: 4, questions: [{key: a, text: q, type: scale}, {key: b, text: q, type: scale, min: 1, max: 4}]}\n"), noEnv)
	if err == nil || !strings.Contains(err.Error(), `surveys[0].low_score_threshold: 4 must be from 1 to 3 to fit question "b"`) {
		t.Fatalf("threshold 4 on a 1-4 scale: %v", err)
	}
}

// TestTelegramWebhookNeedsAnHTTPSPublicURL: what the adapter would refuse at serve, Validate
// refuses first, naming http.public_url.
func TestTelegramWebhookNeedsAnHTTPSPublicURL(t *testing.T) {
	base := "telegram: {token: \"1:x\", mode: webhook, webhook_secret: s3cret}\n"
	for _, tt := range []struct{ name, http, want string }{
		{"empty", "", "http.public_url: required by telegram.mode webhook"},
		{"http", "http: {public_url: \"http://bot.example\"}\n", "Telegram webhooks need https://"},
		{"port", "http: {public_url: \"https://bot.example:8080\"}\n", "only to port 443, 80, 88 or 8443"},
		{"ok", "http: {public_url: \"https://bot.example:8443\"}\n", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(base+tt.http), noEnv)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	// Polling needs no public URL.
	if _, err := Parse([]byte("telegram: {token: \"1:x\"}\n"), noEnv); err != nil {
		t.Fatal(err)
	}
}

func TestMetricsListen(t *testing.T) {
	if _, err := Parse([]byte("http: {listen: \"0.0.0.0:8080\", metrics_listen: \"127.0.0.1:9090\"}\n"), noEnv); err != nil {
		t.Fatal(err)
	}
	for _, y := range []string{
		"http: {listen: \"0.0.0.0:8080\", metrics_listen: \"0.0.0.0:8080\"}\n",
		"http: {metrics_listen: \"nine\"}\n",
	} {
		if _, err := Parse([]byte(y), noEnv); err == nil || !strings.Contains(err.Error(), "http.metrics_listen") {
			t.Errorf("%s: err = %v", y, err)
		}
	}
}

// TestErrorsShowVariablesAsWritten: a value that came from ${VAR} appears in an error as
// ${VAR}, never as what the variable holds.
func TestErrorsShowVariablesAsWritten(t *testing.T) {
	env := envOf(map[string]string{
		"SLACK_SIGNING_SECRET": "SLACKSIGNINGSECRETVALUE0123",
		"TZ_NAME":              "Mars/Olympus",
		"TG":                   "1:telegram-token-value",
		"CHAN":                 "telegram:notanid-secretish",
	})
	_, err := Parse([]byte(`
business: {timezone: "${TZ_NAME}"}
slack: {signing_secret: "${SLACK_SIGNING_SECRET}"}
discord: {application_id: "${SLACK_SIGNING_SECRET}"}
telegram: {token: "${TG}", mode: "${TG}"}
team: {channel: "${CHAN}"}
`), env)
	if err == nil {
		t.Fatal("accepted")
	}
	msg := err.Error()
	for _, secret := range []string{"SLACKSIGNINGSECRETVALUE0123", "Mars/Olympus", "telegram-token-value", "notanid-secretish"} {
		if strings.Contains(msg, secret) {
			t.Errorf("the error shows %q:\n%s", secret, msg)
		}
	}
	for _, want := range []string{`discord.application_id: "${SLACK_SIGNING_SECRET}" is not a Discord id`,
		`business.timezone: "${TZ_NAME}"`, `telegram.mode: "${TG}"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error lacks %q:\n%s", want, msg)
		}
	}
}

// TestLoadIsBounded: a FIFO, a device, an oversized file and documents that expand without
// end are refused at once with an error instead of hanging or eating memory.
func TestLoadIsBounded(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(fifo); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("FIFO: %v", err)
	}
	if _, err := Load("/dev/zero"); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("/dev/zero: %v", err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", MaxFileSize)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "at most") {
		t.Errorf("oversized: %v", err)
	}

	// A merge-key bomb: each level merges the one below ten times.
	var b strings.Builder
	b.WriteString("x-bomb:\n  l0: &l0 {name: a, timezone: UTC, language: en}\n")
	for i := 1; i <= 9; i++ {
		b.WriteString("  l" + string(rune('0'+i)) + ": &l" + string(rune('0'+i)) + " {<<: [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*l" + string(rune('0'+i-1)))
		}
		b.WriteString("]}\n")
	}
	b.WriteString("business: {<<: *l9}\n")
	if _, err := Parse([]byte(b.String()), noEnv); err == nil {
		t.Error("merge-key bomb accepted")
	}

	// A wide alias: one anchored list of many values used many times.
	var w strings.Builder
	w.WriteString("team:\n  members:\n  - {name: m0, role: owner, accounts: &big [")
	for i := range 5000 {
		if i > 0 {
			w.WriteString(", ")
		}
		w.WriteString("slack:U1")
	}
	w.WriteString("]}\n")
	for i := 1; i < 200; i++ {
		w.WriteString("  - {name: m" + strings.Repeat("x", i) + ", role: member, accounts: *big}\n")
	}
	_, err := Parse([]byte(w.String()), noEnv)
	if err == nil || !strings.Contains(err.Error(), "expands to more than") {
		t.Errorf("wide alias: %.300v", err)
	}
}

// TestRelativeStoragePathIsFromTheFile: a relative storage.path is taken from the
// configuration file's directory, whatever the working directory.
func TestRelativeStoragePathIsFromTheFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "earshot.yaml")
	if err := os.WriteFile(path, []byte("storage: {path: data/e.db}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "data", "e.db"); c.Storage.Path != want {
		t.Fatalf("storage.path = %q, want %q", c.Storage.Path, want)
	}
	if err := os.WriteFile(path, []byte("storage: {path: /var/lib/e.db}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if c, err = Load(path); err != nil || c.Storage.Path != "/var/lib/e.db" {
		t.Fatalf("absolute path: %v %q", err, c.Storage.Path)
	}
}
