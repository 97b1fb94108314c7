//go:build unix

package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"earshot/bots/telegram/faketelegram"
	"earshot/storage/pgtest"
)

// TestPollingReplicaStandsBy runs two `serve` on one PostgreSQL with Telegram long polling:
// the second stands by (it never connects to Telegram, /metrics says it does not hold the
// lease) while the first answers; when the first is killed with kill -9, the second takes
// the lease within 15 s and answers.
func TestPollingReplicaStandsBy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs earshot serve as child processes")
	}
	bin := earshotBinary(t)
	url := pgtest.Database(t)
	fake := faketelegram.Start(faketelegram.Options{})
	defer fake.Close()
	fake.AddGroup(-100, "Team")

	dir := t.TempDir()
	addrs := []string{freeAddr(t), freeAddr(t)}
	cfgs, logs := make([]string, 2), make([]string, 2)
	for i, addr := range addrs {
		cfgs[i] = filepath.Join(dir, fmt.Sprintf("config%d.yaml", i))
		logs[i] = filepath.Join(dir, fmt.Sprintf("serve%d.log", i))
		err := os.WriteFile(cfgs[i], []byte(fmt.Sprintf(`business: {name: Twin Bikes, timezone: Europe/Berlin}
storage: {driver: postgres, url: %q}
http: {listen: %q}
telegram: {token: "123456:TEST-token", api_url: %q, mode: polling}
team:
  channel: "telegram:-100"
  members: [{name: Ana, role: owner, accounts: ["telegram:42"]}]
`, url, addr, fake.URL())), 0o600)
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, l := range logs {
				out, _ := os.ReadFile(l)
				t.Logf("%s:\n%s", l, out)
			}
		}
	})
	logHas := func(i int, s string) bool {
		out, _ := os.ReadFile(logs[i])
		return strings.Contains(string(out), s)
	}
	leaseMetric := func(i int) string {
		resp, err := http.Get("http://" + addrs[i] + "/metrics")
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		for _, line := range strings.Split(string(body), "\n") {
			if strings.HasPrefix(line, `earshot_lease_held{name="adapter:telegram"}`) {
				return line
			}
		}
		return ""
	}
	ana := faketelegram.User{ID: 42, FirstName: "Ana", LanguageCode: "en"}

	first := startServe(t, bin, cfgs[0], logs[0])
	defer func() { first.kill9() }()
	waitUntil(t, 30*time.Second, "the first replica polling", func() bool {
		return logHas(0, "lease: taken") && logHas(0, "telegram bot connected")
	})
	second := startServe(t, bin, cfgs[1], logs[1])
	defer func() { second.kill9() }()
	waitUntil(t, 30*time.Second, "the second replica standing by", func() bool {
		return logHas(1, "standing by") && strings.HasSuffix(leaseMetric(1), " 0")
	})

	// While the first holds the lease, the first answers and the second never connects,
	// through several of the first's renewals.
	fake.Send(faketelegram.Post{From: ana, Text: "/help"})
	waitUntil(t, 30*time.Second, "the answer to /help", func() bool { return len(fake.BotMessages(42)) >= 1 })
	time.Sleep(2 * leaseRenew)
	if logHas(1, "telegram bot connected") || logHas(1, "lease: taken") {
		t.Fatal("the second replica connected to Telegram while the first held the lease")
	}
	if m := leaseMetric(0); !strings.HasSuffix(m, " 1") {
		t.Fatalf("first replica's lease metric %q; want 1", m)
	}

	// The first dies without a word: the second takes over within 15 s and answers.
	first.kill9()
	killed := time.Now()
	waitUntil(t, 30*time.Second, "the second replica taking the lease", func() bool { return logHas(1, "lease: taken") })
	took := time.Since(killed)
	if took > 15*time.Second {
		t.Errorf("takeover took %v; want within 15s", took)
	}
	t.Logf("the second replica took the lease %v after the first was killed", took.Round(100*time.Millisecond))
	before := len(fake.BotMessages(42))
	fake.Send(faketelegram.Post{From: ana, Text: "/help"})
	waitUntil(t, 30*time.Second, "the second replica's answer", func() bool { return len(fake.BotMessages(42)) > before })
	waitUntil(t, 10*time.Second, "the second replica's lease metric", func() bool { return strings.HasSuffix(leaseMetric(1), " 1") })
}
