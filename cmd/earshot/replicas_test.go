//go:build unix

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
	"earshot/storage/pgtest"
	"earshot/storage/postgres"
)

// balancer spreads Telegram's webhook POSTs over the replicas in turn, as a load balancer
// would; when one does not answer, the POST fails and Telegram sends it again, to the next.
// lose, when set, names one update whose reply it throws away after the replica handled
// it, so Telegram redelivers it (to the other replica).
type balancer struct {
	backends []string
	next     atomic.Int64
	lose     atomic.Int64 // update id; 0: none
	lost     atomic.Bool
	hits     sync.Map // backend → count
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	to := b.backends[int(b.next.Add(1))%len(b.backends)]
	req, _ := http.NewRequest(r.Method, to+r.URL.Path, bytes.NewReader(body))
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		http.Error(w, "backend down", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	n, _ := b.hits.LoadOrStore(to, new(atomic.Int64))
	n.(*atomic.Int64).Add(1)
	if id := b.lose.Load(); id != 0 && bytes.Contains(body, []byte(fmt.Sprintf(`"update_id":%d`, id))) && b.lost.CompareAndSwap(false, true) {
		http.Error(w, "reply lost", http.StatusBadGateway)
		return
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

// routeExampleCom makes this process's default HTTP transport, which the fake Telegram posts
// webhooks with, take https://example.com to the TLS server and trust its certificate,
// until the test ends.
func routeExampleCom(t *testing.T, srv *httptest.Server) {
	t.Helper()
	orig := http.DefaultTransport
	tr := orig.(*http.Transport).Clone()
	tr.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	target := srv.Listener.Addr().String()
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == "example.com:443" {
			addr = target
		}
		return d.DialContext(ctx, network, addr)
	}
	http.DefaultTransport = tr
	t.Cleanup(func() { http.DefaultTransport = orig })
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestTwoReplicasOnPostgres runs two `earshot serve` on one PostgreSQL with Telegram in
// webhook mode behind a balancer: updates go to both, one is redelivered to the other
// replica, and one replica is killed with SIGKILL while customers answer. Every answer is
// stored once, repeated sends stay within what was in flight, and the week's digest (due
// work both replicas find at start) is sent once.
func TestTwoReplicasOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("runs earshot serve as child processes")
	}
	bin := earshotBinary(t)
	url := pgtest.Database(t)
	fake := faketelegram.Start(faketelegram.Options{})
	defer fake.Close()
	fake.AddGroup(-100, "Team")

	// A digest was last sent more than a week ago: both replicas find the missed one at start.
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	err = db.Update(context.Background(), func(tx core.Tx) error {
		return tx.SetState("digest.cursor", time.Now().Add(-9*24*time.Hour).UTC().Format(time.RFC3339Nano))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	addrs := []string{freeAddr(t), freeAddr(t)}
	lb := &balancer{backends: []string{"http://" + addrs[0], "http://" + addrs[1]}}
	// Telegram posts only to https:// on a standard port, and config check holds serve to
	// that: the replicas give Telegram https://example.com (a name httptest's certificate
	// holds), and this process, where the fake Telegram runs, reaches it at the balancer.
	front := httptest.NewTLSServer(lb)
	defer front.Close()
	routeExampleCom(t, front)
	dir := t.TempDir()
	cfgs, logs := make([]string, 2), make([]string, 2)
	for i, addr := range addrs {
		cfgs[i] = filepath.Join(dir, fmt.Sprintf("config%d.yaml", i))
		logs[i] = filepath.Join(dir, fmt.Sprintf("serve%d.log", i))
		err := os.WriteFile(cfgs[i], []byte(fmt.Sprintf(`business: {name: Twin Bikes, timezone: Europe/Berlin}
storage: {driver: postgres, url: %q}
http: {listen: %q, public_url: %q}
telegram: {token: "123456:TEST-token", api_url: %q, mode: webhook, webhook_secret: "s3cret_hook"}
team:
  channel: "telegram:-100"
  members: [{name: Ana, role: owner, accounts: ["telegram:42"]}]
surveys:
  - name: quick
    trigger: delivery
    delay: 0s
    expire_after: 1h
    low_score_threshold: 1
    questions:
      - {key: courtesy, text: "How courteous were we?", type: scale}
      - {key: speed, text: "How fast were we?", type: scale}
      - {key: quality, text: "How good is it?", type: scale}
throttle: 0s
delivery: {telegram: {rate: 100, chat_rate: 20, burst: 20}}
`, url, addr, "https://example.com", fake.URL())), 0o600)
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
	// The owner has opened the bot.
	fake.Send(faketelegram.Post{From: faketelegram.User{ID: 42, FirstName: "Ana", LanguageCode: "en"}, Text: "/help"})
	procs := []*proc{startServe(t, bin, cfgs[0], logs[0]), startServe(t, bin, cfgs[1], logs[1])}
	defer func() {
		for _, p := range procs {
			p.kill9()
		}
	}()
	waitUntil(t, 30*time.Second, "the webhook", func() bool { u, _ := fake.Webhook(); return u != "" })

	const customers, questions = 10, 3
	users := make([]faketelegram.User, customers)
	for i := range users {
		users[i] = faketelegram.User{ID: int64(3001 + i), FirstName: fmt.Sprintf("T%d", i), LanguageCode: "en"}
		id := fake.Send(faketelegram.Post{From: users[i], Text: "/start"})
		if i == 3 {
			lb.lose.Store(int64(id))
		}
	}
	waitUntil(t, 30*time.Second, "greetings", func() bool {
		for _, u := range users {
			if len(fake.BotMessages(u.ID)) == 0 {
				return false
			}
		}
		return true
	})
	if !lb.lost.Load() {
		t.Fatal("the balancer never lost a reply: no update was redelivered")
	}
	for _, u := range users {
		if _, _, err := runCLI(t, "touch", "--config", cfgs[0], "--customer", fmt.Sprintf("telegram:%d", u.ID),
			"--stage", "delivery", "--ref", fmt.Sprintf("R-%d", u.ID)); err != nil {
			t.Fatal(err)
		}
	}

	ctx, stop := context.WithCancel(context.Background())
	var answered sync.Map
	var wg sync.WaitGroup
	wg.Go(func() {
		for ctx.Err() == nil {
			for _, u := range users {
				n, _ := answered.LoadOrStore(u.ID, 0)
				k := n.(int)
				if k == questions || !showsQuestion(fake.BotMessages(u.ID), k+1, questions) {
					continue
				}
				if _, _, err := fake.PressButton(u, u.ID, fmt.Sprint(2+(int(u.ID)+k)%9)); err == nil {
					answered.Store(u.ID, k+1)
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
	// Mid-burst, once some answers are in, the first replica dies without a word.
	waitUntil(t, 30*time.Second, "the first answers", func() bool {
		done := 0
		answered.Range(func(_, v any) bool { done += v.(int); return true })
		return done >= customers
	})
	procs[0].kill9()
	waitUntil(t, 60*time.Second, "every customer answered", func() bool {
		for _, u := range users {
			if n, _ := answered.Load(u.ID); n != questions {
				return false
			}
		}
		return true
	})
	stop()
	wg.Wait()
	waitUntil(t, 30*time.Second, "every survey completed", func() bool {
		for _, u := range users {
			if x := exportOf(t, cfgs[1], u.ID); len(x.Surveys) != 1 || x.Surveys[0].State != "completed" {
				return false
			}
		}
		return true
	})
	for _, u := range users {
		if x := exportOf(t, cfgs[1], u.ID); len(x.Answers) != questions {
			t.Fatalf("customer %d has %d answers; want %d: %+v", u.ID, len(x.Answers), questions, x.Answers)
		}
	}
	waitUntil(t, 20*time.Second, "the thank-you messages", func() bool {
		for _, u := range users {
			msgs := fake.BotMessages(u.ID)
			if len(msgs) == 0 || !strings.Contains(msgs[len(msgs)-1].Text, "Thank you") {
				return false
			}
		}
		return true
	})
	for _, b := range lb.backends {
		if n, ok := lb.hits.Load(b); !ok || n.(*atomic.Int64).Load() == 0 {
			t.Errorf("replica %s got no update: the balancer did not spread them", b)
		}
	}
	if p := fake.Pending(); len(p) != 0 {
		t.Fatalf("updates never confirmed: %v", p)
	}
	// A greeting, the intro with the first question and a thank-you each are sent, and each
	// pressed answer edits its question (into the next, the last into what was chosen). More
	// are repeats of what the killed replica had in flight: at most one per chat.
	sends := 0
	for _, method := range []string{"sendMessage", "editMessageText"} {
		for _, call := range fake.Calls(method) {
			if id := call.Params["chat_id"]; id != "-100" && id != "42" {
				sends++
			}
		}
	}
	dups := sends - customers*(3+questions)
	t.Logf("%d sends and edits to customers, %d repeated", sends, dups)
	if dups < 0 || dups > customers {
		t.Fatalf("%d repeated sends; want between 0 and %d (one kill)", dups, customers)
	}
	// The digest goes to the owner's DM, or to the team channel if it was due before the
	// owner's first message was handled (a Telegram bot cannot open a DM): once, either way.
	digests := func() int {
		n := 0
		for _, m := range append(fake.BotMessages(42), fake.BotMessages(-100)...) {
			if strings.Contains(m.Text, "weekly digest") {
				n++
			}
		}
		return n
	}
	waitUntil(t, 20*time.Second, "the digest", func() bool { return digests() > 0 })
	if digests := digests(); digests != 1 {
		t.Fatalf("%d digests sent, want 1: %+v %+v", digests, fake.BotMessages(42), fake.BotMessages(-100))
	}
}
