package core_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"earshot/core"
)

// limitedPlatform allows rate messages a second with a burst and answers 429 above it, as
// a platform does.
type limitedPlatform struct {
	mu       sync.Mutex
	rate     float64
	burst    float64
	tokens   float64
	last     time.Time
	sent     atomic.Int64
	limited  atomic.Int64
	finished chan struct{}
	want     int64
}

func (p *limitedPlatform) Platform() core.Platform { return core.Slack }

func (p *limitedPlatform) Deliver(context.Context, core.Delivery) (string, error) {
	p.mu.Lock()
	now := time.Now()
	if p.last.IsZero() {
		p.tokens = p.burst
	} else {
		p.tokens = min(p.burst, p.tokens+now.Sub(p.last).Seconds()*p.rate)
	}
	p.last = now
	if p.tokens < 1 {
		p.mu.Unlock()
		p.limited.Add(1)
		return "", &core.DeliveryError{Kind: core.DeliveryRateLimited, RetryAfter: time.Second, Global: true}
	}
	p.tokens--
	p.mu.Unlock()
	if p.sent.Add(1) == p.want {
		close(p.finished)
	}
	return "ok", nil
}

// BenchmarkDispatch queues 10,000 messages to 1,000 chats and lets the dispatcher deliver
// them to a platform allowing 500 msg/s: it reports the achieved rate as a fraction of the
// allowed one and the 429s it provoked (run with -benchtime 1x).
func BenchmarkDispatch(b *testing.B) {
	const total, chats, allowed = 10000, 1000, 500.0
	for range b.N {
		b.StopTimer()
		ctx := context.Background()
		db := benchStore(b, "dispatch.db")
		now := time.Now()
		if err := db.Update(ctx, func(tx core.Tx) error {
			for i := range total {
				to := core.ChatRef{Platform: core.Slack, ID: "C" + strconv.Itoa(i%chats)}
				if _, err := tx.Enqueue(core.Outgoing{To: to, Message: core.Message{Text: "message " + strconv.Itoa(i)}}, now); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		platform := &limitedPlatform{rate: allowed, burst: 50, finished: make(chan struct{}), want: total}
		set := settings()
		// Paced like the defaults: a little under the platform's limit, so the jitter of
		// real clocks never crosses it.
		set.Platforms[core.Slack] = core.PlatformInfo{Pace: core.Pace{Rate: allowed * 0.96, Burst: 40}}
		svc, err := core.NewService(core.Options{Settings: set, Store: db, Messengers: []core.Messenger{platform}})
		if err != nil {
			b.Fatal(err)
		}
		runCtx, cancel := context.WithCancel(ctx)
		b.StartTimer()
		start := time.Now()
		go svc.Run(runCtx)
		select {
		case <-platform.finished:
		case <-time.After(5 * time.Minute):
			b.Fatalf("only %d of %d delivered", platform.sent.Load(), total)
		}
		elapsed := time.Since(start)
		b.StopTimer()
		cancel()
		b.StartTimer()
		achieved := float64(total) / elapsed.Seconds()
		b.ReportMetric(achieved, "msgs/s")
		b.ReportMetric(achieved/allowed, "of_allowed")
		b.ReportMetric(float64(platform.limited.Load()), "429s")
	}
}
