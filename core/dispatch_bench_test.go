package core_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
)

// exactPlatform enforces a platform's two limits exactly, as the platform does: at most n
// accepted calls in any window w for the whole bot, and at most chatN within chatW to one
// chat; a call over either gets a 429. It records every accepted send.
type exactPlatform struct {
	platform     core.Platform
	n            int
	w            time.Duration
	chatN        int
	chatW        time.Duration
	onSend       func(d core.Delivery, at time.Time) // called outside the lock
	mu           sync.Mutex
	recent       []time.Time            // the bot's last n accepted calls, oldest first
	chats        map[string][]time.Time // each chat's last chatN, oldest first
	sends        []time.Time
	limited      int
	limitedChats int
}

func newExactPlatform(p core.Platform, n int, w time.Duration, chatN int, chatW time.Duration) *exactPlatform {
	return &exactPlatform{platform: p, n: n, w: w, chatN: chatN, chatW: chatW, chats: map[string][]time.Time{}}
}

func (p *exactPlatform) Platform() core.Platform { return p.platform }

func (p *exactPlatform) Deliver(_ context.Context, d core.Delivery) (string, error) {
	now := time.Now()
	p.mu.Lock()
	if len(p.recent) == p.n && now.Sub(p.recent[0]) < p.w {
		p.limited++
		p.mu.Unlock()
		return "", &core.DeliveryError{Kind: core.DeliveryRateLimited, RetryAfter: time.Second, Global: true}
	}
	chat := p.chats[d.To.ID]
	if len(chat) == p.chatN && now.Sub(chat[0]) < p.chatW {
		p.limitedChats++
		p.mu.Unlock()
		return "", &core.DeliveryError{Kind: core.DeliveryRateLimited, RetryAfter: time.Second}
	}
	if len(p.recent) == p.n {
		p.recent = p.recent[1:]
	}
	p.recent = append(p.recent, now)
	if len(chat) == p.chatN {
		chat = chat[1:]
	}
	p.chats[d.To.ID] = append(chat, now)
	p.sends = append(p.sends, now)
	p.mu.Unlock()
	if p.onSend != nil {
		p.onSend(d, now)
	}
	return "ok", nil
}

// report adds the platform's figures to b: sends per second since start, 429s, and the most
// sends seen in any one second.
func (p *exactPlatform) report(b *testing.B, start time.Time, elapsed time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	since := 0
	for _, t := range p.sends {
		if !t.Before(start) {
			since++
		}
	}
	most := 0
	for i, t := range p.sends {
		j, _ := slices.BinarySearchFunc(p.sends[i:], t.Add(time.Second), func(a, b time.Time) int { return a.Compare(b) })
		most = max(most, j)
	}
	b.ReportMetric(float64(since)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(p.limited), "429s_bot")
	b.ReportMetric(float64(p.limitedChats), "429s_chat")
	b.ReportMetric(float64(most), "max_in_1s")
}

func (p *exactPlatform) sent() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.sends)
}

// benchService opens a database with the given messages queued and a service delivering to
// p with pace.
func benchService(b *testing.B, p *exactPlatform, pace core.Pace, queue func(tx core.Tx) error, mod func(*core.Settings)) (*core.Service, core.Store) {
	b.Helper()
	ctx := context.Background()
	db := benchStore(b, "dispatch.db")
	if queue != nil {
		if err := db.Update(ctx, queue); err != nil {
			b.Fatal(err)
		}
	}
	set := settings()
	set.Platforms[p.platform] = core.PlatformInfo{Pace: pace}
	if mod != nil {
		mod(&set)
	}
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(b), Settings: set, Store: db, Messengers: []core.Messenger{p}})
	if err != nil {
		b.Fatal(err)
	}
	return svc, db
}

// queueBulk queues n invitations spread over chats chats named prefix0, prefix1, ….
func queueBulk(p core.Platform, n, chats int, prefix string) func(tx core.Tx) error {
	return func(tx core.Tx) error {
		for i := range n {
			to := core.ChatRef{Platform: p, ID: prefix + strconv.Itoa(i%chats)}
			o := core.Outgoing{To: to, DM: true, Class: core.ClassBulk, Message: core.Message{Text: "invite " + strconv.Itoa(i)}}
			if _, err := tx.Enqueue(o, time.Now()); err != nil {
				return err
			}
		}
		return nil
	}
}

// BenchmarkDispatch queues messages to a few chats each and lets the engine deliver them to a
// platform enforcing both limits exactly; it reports the achieved rate as a fraction of the
// bot-wide limit, the 429s of each limit, and the most sends in any one second. Run with
// -benchtime 1x.
//   - scaled: the platform allows 500/s and 1 per 100 ms per chat; earshot paces at 470/s.
//   - telegram: Telegram's limits (30/s, 1/s per chat) and earshot's default pace for it.
func BenchmarkDispatch(b *testing.B) {
	cases := []struct {
		name         string
		total, chats int
		allowed      int
		chatGap      time.Duration
		pace         core.Pace
	}{
		{"scaled", 6000, 100, 500, 100 * time.Millisecond, core.Pace{Rate: 470, Burst: 470, ChatRate: 10, ChatBurst: 1}},
		{"telegram", 600, 40, 30, time.Second, core.DefaultPace(core.Telegram)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				p := newExactPlatform(core.Telegram, c.allowed, time.Second, 1, c.chatGap)
				svc, _ := benchService(b, p, c.pace, queueBulk(core.Telegram, c.total, c.chats, "c"), nil)
				ctx, cancel := context.WithCancel(context.Background())
				b.StartTimer()
				start := time.Now()
				done := make(chan struct{})
				go func() { defer close(done); _ = svc.Run(ctx) }()
				for p.sent() < c.total {
					if time.Since(start) > 5*time.Minute {
						b.Fatalf("only %d of %d delivered", p.sent(), c.total)
					}
					time.Sleep(10 * time.Millisecond)
				}
				elapsed := time.Since(start)
				b.StopTimer()
				cancel()
				<-done
				p.report(b, start, elapsed)
				b.ReportMetric(float64(c.total)/elapsed.Seconds()/float64(c.allowed), "of_allowed")
				b.StartTimer()
			}
		})
	}
}

// BenchmarkReplyUnderBulk: 3,000 invitations drain at Telegram's pace while 20 customers
// each write, wait for the reply and write again 1.5 s later; it reports how long a
// customer waits from their message to the reply reaching the platform (p50, p95), how
// fast the invitations still go, and the 429s of a platform enforcing both limits exactly
// (30/s; 2 within 2 s per chat). Run with -benchtime 1x.
func BenchmarkReplyUnderBulk(b *testing.B) {
	const customers, rounds = 20, 12
	for range b.N {
		b.StopTimer()
		p := newExactPlatform(core.Telegram, 30, time.Second, 2, 2*time.Second)
		replied := map[string]chan time.Time{}
		for c := range customers {
			replied[strconv.Itoa(900000+c)] = make(chan time.Time, rounds)
		}
		p.onSend = func(d core.Delivery, at time.Time) {
			if ch, ok := replied[d.To.ID]; ok {
				ch <- at
			}
		}
		svc, _ := benchService(b, p, core.DefaultPace(core.Telegram), queueBulk(core.Telegram, 3000, 3000, "b"), enableTelegram)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); _ = svc.Run(ctx) }()
		// The customers are known (their first message gets a greeting too), and the
		// invitations are flowing.
		for c := range customers {
			id := strconv.Itoa(900000 + c)
			in := core.Incoming{Platform: core.Telegram, EventID: id + "-start", From: core.UserRef{Platform: core.Telegram, ID: id},
				Chat: core.ChatRef{Platform: core.Telegram, ID: id}, Direct: true, Text: "/start"}
			if _, err := svc.Handle(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
		time.Sleep(5 * time.Second)
		for _, ch := range replied {
			for len(ch) > 0 {
				<-ch
			}
		}
		b.StartTimer()
		start, before := time.Now(), p.sent()
		var mu sync.Mutex
		var lat []time.Duration
		var wg sync.WaitGroup
		for c := range customers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := strconv.Itoa(900000 + c)
				time.Sleep(time.Duration(c) * 1500 * time.Millisecond / customers)
				for r := range rounds {
					in := core.Incoming{Platform: core.Telegram, EventID: fmt.Sprintf("%s-%d", id, r),
						From: core.UserRef{Platform: core.Telegram, ID: id}, Chat: core.ChatRef{Platform: core.Telegram, ID: id},
						Direct: true, Text: "/help"}
					wrote := time.Now()
					if _, err := svc.Handle(ctx, in); err != nil {
						b.Error(err)
						return
					}
					select {
					case at := <-replied[id]:
						mu.Lock()
						lat = append(lat, at.Sub(wrote))
						mu.Unlock()
					case <-time.After(time.Minute):
						b.Errorf("customer %s got no reply to message %d", id, r)
						return
					}
					time.Sleep(1500 * time.Millisecond)
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		b.StopTimer()
		cancel()
		<-done
		slices.Sort(lat)
		if len(lat) == 0 {
			b.Fatal("no replies")
		}
		pct := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / float64(time.Millisecond) }
		b.ReportMetric(pct(0.5), "reply_p50_ms")
		b.ReportMetric(pct(0.95), "reply_p95_ms")
		b.ReportMetric(float64(p.sent()-before-len(lat))/elapsed.Seconds(), "bulk_msgs/s")
		p.report(b, start, elapsed)
		b.StartTimer()
	}
}

// enableTelegram makes Telegram a platform core may send to without a contact first.
func enableTelegram(s *core.Settings) {
	info := s.Platforms[core.Telegram]
	info.DMNeedsContact = false
	s.Platforms[core.Telegram] = info
}
