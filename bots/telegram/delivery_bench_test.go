package telegram

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
	"earshot/core/coretest"
	"earshot/storage/sqlite"
)

// BenchmarkConversations runs 200 conversations through the whole service on the fake Bot
// API — the adapter polling, the real core on SQLite, the delivery engine at Telegram's
// default pace: each customer writes, waits for the reply, and writes again 5–15 s later
// (about 20 messages a second in all, under the 28/s the pace allows). It reports the reply
// latency: the customer's message posted to the fake → the reply's sendMessage reaching it.
// Run with -benchtime 1x.
func BenchmarkConversations(b *testing.B) {
	for range b.N {
		conversations(b)
	}
}

// BenchmarkConnectionReuse delivers 3,200 messages through the adapter from 32 goroutines
// at once, as the delivery engine's senders do, and reports the share of calls that reused
// a connection (the fake counts the TCP connections it accepts): with the tuned transport,
// and with Go's default client as before it.
func BenchmarkConnectionReuse(b *testing.B) {
	for _, c := range []struct {
		name   string
		client *http.Client
	}{{"tuned", nil}, {"default-client", &http.Client{}}} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				f := faketelegram.Start(faketelegram.Options{})
				bot, err := New(Options{Token: f.Token, APIURL: f.URL(), HTTPClient: c.client, Texts: coretest.Texts(b)}, coretest.NewHandler(nil), slog.New(slog.DiscardHandler))
				if err != nil {
					b.Fatal(err)
				}
				const senders, each = 32, 100
				for i := range senders {
					f.StartUser(faketelegram.User{ID: int64(7000 + i), FirstName: "U"})
				}
				b.StartTimer()
				var wg sync.WaitGroup
				for i := range senders {
					wg.Add(1)
					go func() {
						defer wg.Done()
						d := core.Delivery{To: chatRef(int64(7000 + i)), DM: true, Message: core.Message{Text: "How courteous were we?", Choices: scale(1)}}
						for range each {
							if _, err := bot.Deliver(context.Background(), d); err != nil {
								b.Error(err)
								return
							}
						}
					}()
				}
				wg.Wait()
				b.StopTimer()
				calls, conns := len(f.Calls("")), f.Connections()
				b.ReportMetric(float64(conns), "new_conns")
				b.ReportMetric(100*(1-float64(conns)/float64(calls)), "reused_%")
				f.Close()
				b.StartTimer()
			}
		})
	}
}

func conversations(b *testing.B) {
	const people, rounds = 200, 3
	b.StopTimer()
	f := faketelegram.Start(faketelegram.Options{})
	defer f.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "earshot.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	l := &lazy{}
	bot, err := New(Options{Token: f.Token, APIURL: f.URL(), PollTimeout: time.Second, Texts: coretest.Texts(b)}, l, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	set := e2eSettings()
	set.Platforms[core.Telegram] = core.PlatformInfo{DMNeedsContact: true, Pace: core.DefaultPace(core.Telegram)}
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(b), Settings: set, Store: db, Messengers: []core.Messenger{bot}})
	if err != nil {
		b.Fatal(err)
	}
	l.h = svc
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = svc.Run(ctx) }()
	go func() { defer wg.Done(); _ = bot.Run(ctx) }()
	defer wg.Wait()
	defer cancel()

	users := make([]faketelegram.User, people)
	for i := range users {
		users[i] = faketelegram.User{ID: int64(5000 + i), FirstName: "P" + strconv.Itoa(i), LanguageCode: "en"}
		f.Send(faketelegram.Post{From: users[i], Text: "/start"})
	}
	for _, u := range users {
		if _, err := f.WaitBotText(u.ID, time.Minute, ""); err != nil {
			b.Fatal(err)
		}
	}
	time.Sleep(3 * time.Second) // the greetings' pace has passed
	calls0 := len(allCalls(f))

	b.StartTimer()
	var mu sync.Mutex
	wrote := map[int64][]time.Time{} // chat → when each message was posted
	var cw sync.WaitGroup
	for i, u := range users {
		cw.Add(1)
		go func() {
			defer cw.Done()
			r := rand.New(rand.NewPCG(uint64(i), 3))
			time.Sleep(time.Duration(r.Int64N(int64(10 * time.Second))))
			for range rounds {
				before := len(f.BotMessages(u.ID))
				mu.Lock()
				wrote[u.ID] = append(wrote[u.ID], time.Now())
				mu.Unlock()
				f.Send(faketelegram.Post{From: u, Text: "/help"})
				if err := f.Wait(time.Minute, "a reply", func() bool { return len(f.BotMessages(u.ID)) > before }); err != nil {
					b.Error(err)
					return
				}
				time.Sleep(5*time.Second + time.Duration(r.Int64N(int64(10*time.Second))))
			}
		}()
	}
	cw.Wait()
	b.StopTimer()

	calls := allCalls(f)
	sends := map[string][]time.Time{}
	for _, c := range calls[calls0:] {
		if c.Method == "sendMessage" && c.Code == http.StatusOK {
			sends[c.Params["chat_id"]] = append(sends[c.Params["chat_id"]], c.At)
		}
	}
	var lat []time.Duration
	for id, times := range wrote {
		got := sends[strconv.FormatInt(id, 10)]
		for _, t := range times {
			if i := slices.IndexFunc(got, func(s time.Time) bool { return !s.Before(t) }); i >= 0 {
				lat = append(lat, got[i].Sub(t))
			}
		}
	}
	if len(lat) < people*rounds {
		b.Fatalf("%d of %d replies matched", len(lat), people*rounds)
	}
	slices.Sort(lat)
	pct := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(pct(0.5), "reply_p50_ms")
	b.ReportMetric(pct(0.95), "reply_p95_ms")
}

// allCalls returns every Bot API call the fake answered, in order.
func allCalls(f *faketelegram.Server) []faketelegram.Call { return f.Calls("") }

// BenchmarkWebhookIntake posts Telegram updates to the webhook handler at 500 a second, one
// after the other as Telegram does with one connection (the next when the last is answered,
// or at its time), through the real core on SQLite with the delivery engine sending the
// replies meanwhile. It reports the handler's latency: POST sent → answer received.
// Run with -benchtime 1x.
func BenchmarkWebhookIntake(b *testing.B) {
	const rate, updates, people = 500, 3000, 500
	for range b.N {
		b.StopTimer()
		f := faketelegram.Start(faketelegram.Options{})
		ctx, cancel := context.WithCancel(context.Background())
		db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "earshot.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		l := &lazy{}
		bot, err := New(Options{Token: f.Token, APIURL: f.URL(), Mode: ModeWebhook, WebhookSecret: secret, Texts: coretest.Texts(b),
			WebhookURL: "https://example.com/hooks/telegram"}, l, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		set := e2eSettings()
		set.Platforms[core.Telegram] = core.PlatformInfo{DMNeedsContact: true, Pace: core.DefaultPace(core.Telegram)}
		svc, err := core.NewService(core.Options{Texts: coretest.Texts(b), Settings: set, Store: db, Messengers: []core.Messenger{bot}})
		if err != nil {
			b.Fatal(err)
		}
		l.h = svc
		done := make(chan struct{})
		go func() { defer close(done); _ = svc.Run(ctx) }()
		hook := httptest.NewServer(bot.WebhookHandler())
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		post := func(i int) time.Duration {
			user := 6000 + i%people
			body := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private","first_name":"P"},"from":{"id":%d,"is_bot":false,"first_name":"P","language_code":"en"},"text":"/help"}}`,
				100000+i, i+1, time.Now().Unix(), user, user)
			req, _ := http.NewRequest(http.MethodPost, hook.URL, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
			start := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("update %d: %s", i, resp.Status)
			}
			return time.Since(start)
		}
		for i := range people { // every sender is a known contact, as in a busy week
			post(updates + i)
		}
		b.StartTimer()
		lat := make([]time.Duration, updates)
		next := time.Now()
		for i := range updates {
			if d := time.Until(next); d > 0 {
				time.Sleep(d)
			}
			next = next.Add(time.Second / rate)
			lat[i] = post(i)
		}
		b.StopTimer()
		hook.Close()
		cancel()
		<-done
		db.Close()
		f.Close()
		slices.Sort(lat)
		pct := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / float64(time.Millisecond) }
		b.ReportMetric(pct(0.5), "p50_ms")
		b.ReportMetric(pct(0.99), "p99_ms")
		b.ReportMetric(pct(0.999), "p99.9_ms")
		b.StartTimer()
	}
}
