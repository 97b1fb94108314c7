package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"earshot/cmd/earshot/internal/config"
	"earshot/core"
	"earshot/core/coretest"
	"earshot/storage/sqlite"
)

// demoDB plays the demo into a fresh database and returns it with a configuration file that
// points at it.
func demoDB(t *testing.T) (dbPath, cfgFile string) {
	t.Helper()
	dir := t.TempDir()
	dbPath = filepath.Join(dir, "demo.db")
	var transcript bytes.Buffer
	if err := runDemo(context.Background(), &transcript, dbPath); err != nil {
		t.Fatalf("demo: %v\n%s", err, transcript.String())
	}
	cfgFile = filepath.Join(dir, "config.yaml")
	cfg := string(demoConfig) + fmt.Sprintf("\nstorage: {path: %q}\nhttp: {listen: \"\"}\n", dbPath)
	if err := os.WriteFile(cfgFile, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return dbPath, cfgFile
}

// cli runs an earshot command line in this process and returns its standard output.
func cli(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), args, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("earshot %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

// erasedWords are what the demo's customer said or was called: none may survive an erase,
// not even the comment the owners' digest DM quotes (a message about no one customer).
var erasedWords = []string{"Maria", "console:maria", "refund", "Will the refund go to my card", "two days late", "nobody told me"}

func TestEraseLeavesNoTrace(t *testing.T) {
	dbPath, cfg := demoDB(t)

	export := cli(t, "export", "--customer", "console:maria", "--config", cfg)
	var x struct {
		Customer string `json:"customer"`
		Answers  []struct {
			Question string `json:"question"`
			Value    any    `json:"value"`
		} `json:"answers"`
		Complaints []struct {
			Ref    string            `json:"ref"`
			Thread []json.RawMessage `json:"thread"`
		} `json:"complaints"`
	}
	if err := json.Unmarshal([]byte(export), &x); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, export)
	}
	if x.Customer != "console:maria" || len(x.Answers) < 4 || len(x.Complaints) != 1 || len(x.Complaints[0].Thread) == 0 {
		t.Fatalf("export before erase = %+v", x)
	}
	for _, want := range []string{"The bike came two days late", `"question": "courtesy"`, `"value": 9`, "refund"} {
		if !strings.Contains(export, want) {
			t.Errorf("export lacks %q", want)
		}
	}
	digestBefore := cli(t, "digest", "--json", "--week", "2026-W47", "--config", cfg)
	// The file holds the customer's words before the erase: the check below can fail.
	if raw := dbBytes(t, dbPath); !bytes.Contains(raw, []byte("two days late")) {
		t.Fatal("the database never held the comment; the test proves nothing")
	}

	cli(t, "erase", "--customer", "console:maria", "--config", cfg)

	raw := dbBytes(t, dbPath)
	for _, w := range erasedWords {
		if i := bytes.Index(raw, []byte(w)); i >= 0 {
			t.Errorf("the database file still holds %q: …%q…", w, raw[max(0, i-60):min(len(raw), i+60)])
		}
	}
	digestAfter := cli(t, "digest", "--json", "--week", "2026-W47", "--config", cfg)
	var before, after struct {
		Dimensions []struct {
			Key       string   `json:"key"`
			Average   *float64 `json:"average"`
			Responses int      `json:"responses"`
		} `json:"dimensions"`
	}
	if err := json.Unmarshal([]byte(digestBefore), &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(digestAfter), &after); err != nil {
		t.Fatal(err)
	}
	if len(before.Dimensions) != 3 || !reflect.DeepEqual(before, after) {
		t.Errorf("scores changed by the erase:\nbefore %+v\nafter  %+v", before, after)
	}
	// The comment no longer reaches the digest.
	if strings.Contains(digestAfter, "two days late") {
		t.Error("the digest still quotes the erased customer's comment")
	}
	for _, d := range after.Dimensions {
		if d.Average == nil || d.Responses != 1 {
			t.Errorf("dimension %s lost its score: %+v", d.Key, d)
		}
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"export", "--customer", "console:maria", "--config", cfg},
		strings.NewReader(""), &out, &errOut)
	if core.ErrorCode(err) != core.ENOTFOUND {
		t.Errorf("export after erase = %v, want not found; printed %s", err, out.String())
	}
}

// dbBytes returns the database file with its write-ahead log and shared memory, if any.
func dbBytes(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func TestBackupWhileWriting(t *testing.T) {
	dbPath, cfg := demoDB(t)
	ctx := context.Background()
	a, err := openApp(ctx, cfg, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()

	// Another connection keeps writing touchpoints while the backup runs.
	var wrote atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			who := core.UserRef{Platform: core.Console, ID: fmt.Sprintf("writer%d", i)}
			if _, err := a.svc.Touch(ctx, core.TouchRequest{Customer: who, Stage: "delivery", Ref: "W"}); err != nil {
				t.Errorf("write during backup: %v", err)
				return
			}
			wrote.Add(1)
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for wrote.Load() < 5 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	copyPath := filepath.Join(t.TempDir(), "backup.db")
	out := cli(t, "backup", copyPath, "--config", cfg)
	close(stop)
	wg.Wait()
	if !strings.Contains(out, copyPath) || wrote.Load() < 5 {
		t.Fatalf("backup said %q after %d writes", out, wrote.Load())
	}

	db, err := sqlite.Open(ctx, copyPath)
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer db.Close()
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(t), Settings: a.set, Store: db})
	if err != nil {
		t.Fatal(err)
	}
	list, err := svc.Complaints(ctx, "all")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Ref != "C-1001" || list[0].Status != core.StatusClosed {
		t.Errorf("complaints in the backup = %+v", list)
	}
	if _, err := svc.Export(ctx, core.UserRef{Platform: core.Console, ID: "maria"}); err != nil {
		t.Errorf("the customer is missing from the backup: %v", err)
	}
	if dbPath == copyPath {
		t.Fatal("backup wrote over the database")
	}
}

// testLogsHoldNoSecret runs serve with a fake secret in every secret key, every platform
// enabled against a dead address, feeds it requests that tempt logging (wrong tokens, forged
// webhooks) and searches all it printed, and what /healthz and /metrics say, for each secret.
func testLogsHoldNoSecret(t *testing.T, bin string) {
	dir := t.TempDir()
	dead := fmt.Sprintf("http://127.0.0.1:%d", freePort(t)) // nothing listens there
	port := freePort(t)
	secrets := map[string]string{
		"EARSHOT_API_TOKEN":       "apitok-Zq81vVb3kLm0",
		"TELEGRAM_BOT_TOKEN":      "7000000001:AAtgTokenSecret-x9Kq",
		"TELEGRAM_WEBHOOK_SECRET": "tgWebhookSecret_77aa",
		"SLACK_BOT_TOKEN":         "xoxb-1111-2222-slackBotSecret",
		"SLACK_APP_TOKEN":         "xapp-1-A111-slackAppSecret",
		"SLACK_SIGNING_SECRET":    "slackSigningSecret8f3e2",
		"DISCORD_BOT_TOKEN":       "MTAdiscordBotSecret.GhJk.Lm",
	}
	yaml := fmt.Sprintf(`
business: {name: Acme Bikes, timezone: UTC}
storage: {path: %q}
http: {listen: "127.0.0.1:%d", api_token: "${EARSHOT_API_TOKEN}"}
log: {level: debug}
telegram: {token: "${TELEGRAM_BOT_TOKEN}", username: acme_test_bot, api_url: %q, mode: polling,
           webhook_secret: "${TELEGRAM_WEBHOOK_SECRET}"}
slack: {bot_token: "${SLACK_BOT_TOKEN}", app_token: "${SLACK_APP_TOKEN}",
        signing_secret: "${SLACK_SIGNING_SECRET}", api_url: %q}
discord: {token: "${DISCORD_BOT_TOKEN}", application_id: "123456789012345678",
          public_key: "%s", api_url: %q}
team:
  channel: telegram:-100
  members:
    - {name: Sam, role: owner, accounts: [telegram:42, slack:U1, discord:9]}
surveys:
  - name: after-delivery
    trigger: delivery
    delay: 0s
    questions:
      - {key: courtesy, text: "How courteous were we?", type: scale}
throttle: 0s
`, filepath.Join(dir, "earshot.db"), port, dead, dead+"/api/", strings.Repeat("ab", 32), dead)
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	var env []string
	for k, v := range secrets {
		env = append(env, k+"="+v)
	}

	c := startChild(t, bin, port, env, "serve", "--config", cfg)
	c.waitHealthy(t)
	api := secrets["EARSHOT_API_TOKEN"]
	var seen strings.Builder
	for _, r := range []struct{ path, token, body string }{
		{"/api/v1/touchpoints", api, `{"customer":"telegram:42","stage":"delivery"}`},
		{"/api/v1/touchpoints", api + "x", `{"customer":"telegram:42","stage":"delivery"}`},
		{"/api/v1/invites", api, `{"stage":"delivery"}`},
		{"/hooks/telegram", secrets["TELEGRAM_WEBHOOK_SECRET"] + "x", `{"update_id":1}`},
		{"/hooks/slack/events", secrets["SLACK_SIGNING_SECRET"], `{"type":"url_verification","challenge":"c"}`},
		{"/hooks/discord/interactions", secrets["DISCORD_BOT_TOKEN"], `{"type":1}`},
	} {
		code, body := c.post(t, r.path, r.token, r.body)
		fmt.Fprintf(&seen, "%s %d %s\n", r.path, code, body)
	}
	// Let every adapter fail against the dead address at least once (each logs a retry).
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && strings.Count(c.out.String(), "retrying") < 3 {
		time.Sleep(20 * time.Millisecond)
	}
	seen.WriteString(get(t, c.base+"/healthz"))
	seen.WriteString(get(t, c.base+"/metrics"))
	_ = c.stop(t) // the exit status is the other test's business; the output is this one's

	var check strings.Builder
	for _, args := range [][]string{{"config", "check"}, {"invite", "--stage", "delivery"}, {"complaints"}} {
		cmd := exec.Command(bin, append(args, "--config", cfg)...)
		cmd.Env = append(os.Environ(), env...)
		out, _ := cmd.CombinedOutput()
		check.Write(out)
	}
	all := c.out.String() + seen.String() + check.String()
	if !strings.Contains(c.out.String(), "http listening") {
		t.Fatalf("serve logged too little for the test to mean anything:\n%s", c.out.String())
	}
	if os.Getenv("EARSHOT_SHOW_LOGS") != "" {
		t.Logf("serve printed:\n%s\nresponses:\n%s", c.out.String(), seen.String())
	}
	for name, secret := range secrets {
		if i := strings.Index(all, secret); i >= 0 {
			t.Errorf("%s appears in the output: …%s…", name, all[max(0, i-80):min(len(all), i+len(secret)+20)])
		}
	}
}

// TestForgedWebhooksLeaveNoTrace mounts the real adapters' webhooks and posts each a forged
// request carrying a customer's message: each is refused with 401 and nothing reaches the
// database. The same Telegram update with the right secret does reach it, so the check can
// fail.
func TestForgedWebhooksLeaveNoTrace(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	yaml := testYAML + fmt.Sprintf(`
telegram: {token: "1:tg", username: acme_test_bot, mode: polling, webhook_secret: tgsecret, api_url: "http://127.0.0.1:1"}
slack: {bot_token: xoxb-1, signing_secret: slacksecret, api_url: "http://127.0.0.1:1/api/"}
discord: {token: dtoken, application_id: "123456789012345678", public_key: %q, api_url: "http://127.0.0.1:1"}
`, hex.EncodeToString(pub))
	cfg, err := config.Parse([]byte(yaml), func(k string) (string, bool) { v, ok := apiEnv[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	late := &lateHandler{}
	ads, hooks, err := buildAdapters(cfg, late, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	s := startTestServerWith(t, cfg, hooks, messengers(ads)...)
	late.svc = s.a.svc
	now := strconv.FormatInt(time.Now().Unix(), 10)

	tgUpdate := `{"update_id":5,"message":{"message_id":1,"date":1,"text":"/complain forged words",
		"from":{"id":777,"is_bot":false,"first_name":"Forged"},"chat":{"id":777,"type":"private"}}}`
	for _, tc := range []struct {
		path, body string
		hdr        []string
	}{
		{"/hooks/telegram", tgUpdate, []string{"X-Telegram-Bot-Api-Secret-Token", "wrong"}},
		{"/hooks/telegram", tgUpdate, nil},
		{"/hooks/slack/events", `{"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel_type":"im",
			"user":"U777","channel":"D777","ts":"1.1","text":"/complain forged words"}}`,
			[]string{"X-Slack-Request-Timestamp", now, "X-Slack-Signature", "v0=" + strings.Repeat("ab", 32)}},
		{"/hooks/slack/commands", "command=%2Fearshot&text=complain+forged+words&user_id=U777&channel_id=D777",
			[]string{"Content-Type", "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp", now}},
		{"/hooks/discord/interactions", `{"type":2,"id":"9","data":{"name":"complain"},"user":{"id":"777"}}`,
			[]string{"X-Signature-Ed25519", strings.Repeat("ab", 64), "X-Signature-Timestamp", now}},
	} {
		code, body := s.call("POST", tc.path, tc.body, tc.hdr...)
		if code != http.StatusUnauthorized {
			t.Errorf("forged %s = %d %s, want 401", tc.path, code, body)
		}
	}
	traces := func() (n int) {
		t.Helper()
		err := s.a.db.View(context.Background(), func(tx core.Tx) error {
			for _, who := range []core.UserRef{{Platform: core.Telegram, ID: "777"}, {Platform: core.Slack, ID: "U777"},
				{Platform: core.Discord, ID: "777"}} {
				if _, err := tx.ContactByRef(who); err == nil {
					n++
				} else if !core.IsNotFound(err) {
					return err
				}
			}
			list, err := tx.Complaints(core.ComplaintFilter{})
			n += len(list)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := traces(); n != 0 {
		t.Fatalf("forged webhooks left %d traces in the database", n)
	}
	if code, body := s.call("POST", "/hooks/telegram", tgUpdate, "X-Telegram-Bot-Api-Secret-Token", "tgsecret",
		"Content-Type", "application/json"); code != http.StatusOK {
		t.Fatalf("the genuine update = %d %s", code, body)
	}
	if n := traces(); n == 0 {
		t.Fatal("the genuine update left no trace either: the check above proves nothing")
	}
}
