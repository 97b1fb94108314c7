package core

import (
	"sync"
	"time"
)

// Pace is how fast earshot sends on one platform. Zero rates mean unlimited.
type Pace struct {
	Rate      float64 // messages per second over the whole platform
	Burst     int     // how many may go at once before Rate applies
	ChatRate  float64 // messages per second to one chat
	ChatBurst int
	GroupRate float64 // messages per second to one group or channel (not a DM), if stricter
}

// DefaultPace returns the published limits of each platform, with a little headroom:
// Telegram ~30 msg/s overall, ~1 msg/s per chat and 20 per minute per group; Slack ~1 msg/s
// per channel; Discord 50 requests/s overall and 5 per 5 s per channel.
func DefaultPace(p Platform) Pace {
	switch p {
	case Telegram:
		return Pace{Rate: 28, Burst: 28, ChatRate: 1, ChatBurst: 1, GroupRate: 19.0 / 60}
	case Slack:
		return Pace{Rate: 20, Burst: 20, ChatRate: 1, ChatBurst: 2}
	case Discord:
		return Pace{Rate: 45, Burst: 45, ChatRate: 1, ChatBurst: 4}
	}
	return Pace{}
}

// pacer hands out send times: a token bucket per platform and one per chat. reserve takes a
// token from both and says when the send may happen, so a chat that is limited waits for its
// own tokens without holding up the others.
type pacer struct {
	mu      sync.Mutex
	paces   map[Platform]Pace
	global  map[Platform]*bucket
	chats   map[ChatRef]*bucket
	cleaned time.Time
}

func newPacer(paces map[Platform]Pace) *pacer {
	return &pacer{paces: paces, global: map[Platform]*bucket{}, chats: map[ChatRef]*bucket{}}
}

// reserve returns when a message to chat may be sent (now, or later).
func (p *pacer) reserve(chat ChatRef, dm bool, now time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	pace, ok := p.paces[chat.Platform]
	if !ok {
		pace = DefaultPace(chat.Platform)
	}
	at := now
	if pace.Rate > 0 {
		b := p.global[chat.Platform]
		if b == nil {
			b = newBucket(pace.Rate, pace.Burst)
			p.global[chat.Platform] = b
		}
		at = later(at, b.reserve(now))
	}
	rate, burst := pace.ChatRate, pace.ChatBurst
	if !dm && pace.GroupRate > 0 && (rate == 0 || pace.GroupRate < rate) {
		rate = pace.GroupRate
	}
	if rate > 0 {
		b := p.chats[chat]
		if b == nil {
			b = newBucket(rate, burst)
			p.chats[chat] = b
		}
		at = later(at, b.reserve(now))
	}
	if now.Sub(p.cleaned) > time.Minute {
		p.clean(now)
	}
	return at
}

// clean forgets chat buckets that are full again, so idle chats cost no memory.
func (p *pacer) clean(now time.Time) {
	p.cleaned = now
	for k, b := range p.chats {
		if b.full(now) {
			delete(p.chats, k)
		}
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// bucket is a token bucket that may go into debt: reserving from an empty bucket returns
// the time the token will have been earned.
type bucket struct {
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
}

func newBucket(rate float64, burst int) *bucket {
	if burst < 1 {
		burst = 1
	}
	return &bucket{rate: rate, burst: float64(burst), tokens: float64(burst)}
}

func (b *bucket) refill(now time.Time) {
	if !b.last.IsZero() && now.After(b.last) {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	if now.After(b.last) {
		b.last = now
	}
}

func (b *bucket) reserve(now time.Time) time.Time {
	b.refill(now)
	b.tokens--
	if b.tokens >= 0 {
		return now
	}
	return b.last.Add(time.Duration(-b.tokens / b.rate * float64(time.Second)))
}

func (b *bucket) full(now time.Time) bool {
	b.refill(now)
	return b.tokens >= b.burst
}
