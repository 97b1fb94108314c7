package core

import (
	"sync"
	"time"
)

// Pace is how fast earshot sends on one platform. Zero rates mean unlimited.
type Pace struct {
	Rate  float64 // messages per second over the whole platform
	Burst int     // how many may go at once before Rate applies; at most Rate in any second
	// ChatRate is messages per second to one chat; ChatBurst how many a reply may send at
	// once to a chat that has been quiet (ChatBurst within ChatBurst/ChatRate seconds).
	// Other classes stay paced: one per 1/ChatRate.
	ChatRate  float64
	ChatBurst int
	GroupRate float64 // messages per second to one group or channel (not a DM), if stricter
}

// DefaultPace returns the published limits of each platform, with a little headroom:
// Telegram ~30 msg/s overall, ~1 msg/s per chat with short bursts, 20 per minute per group;
// Slack ~1 msg/s per channel with short bursts; Discord 50 requests/s overall and 5 per 5 s
// per channel.
func DefaultPace(p Platform) Pace {
	switch p {
	case Telegram:
		return Pace{Rate: 28, Burst: 28, ChatRate: 1, ChatBurst: 2, GroupRate: 19.0 / 60}
	case Slack:
		return Pace{Rate: 20, Burst: 20, ChatRate: 1, ChatBurst: 2}
	case Discord:
		return Pace{Rate: 45, Burst: 45, ChatRate: 0.8, ChatBurst: 4}
	}
	return Pace{}
}

// The pacer says when a message may go and records when one went. Each limit is a window:
// at most n sends in any span of w. A send is allowed at the instant every window it falls
// under allows it, and that one instant is recorded in all of them — so what the limiter
// remembers is what the platform saw, never a reservation made earlier. The delivery engine
// asks earliest for each waiting message, hands the one it chooses to a sender at once and
// records that instant; nothing is reserved ahead.
//
//   - platform: floor(Rate) in any second (so no one-second window ever holds more than
//     Rate), and Burst within Burst/Rate seconds when Burst is smaller;
//   - chat: ChatBurst within ChatBurst/ChatRate seconds (the group rate when stricter).
//     Replies may use that burst; other classes are also kept 1/ChatRate apart, so bulk
//     never spends the allowance a customer's reply needs.
type pacer struct {
	mu      sync.Mutex
	paces   map[Platform]Pace
	global  map[Platform][]*window
	chats   map[ChatRef]*window
	cleaned time.Time
}

func newPacer(paces map[Platform]Pace) *pacer {
	return &pacer{paces: paces, global: map[Platform][]*window{}, chats: map[ChatRef]*window{}}
}

func (p *pacer) pace(pl Platform) Pace {
	if pace, ok := p.paces[pl]; ok {
		return pace
	}
	return DefaultPace(pl)
}

// earliest returns the first instant at or after now when a message of the class may go to
// chat.
func (p *pacer) earliest(chat ChatRef, dm bool, class Class, now time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	at := now
	for _, w := range p.platform(chat.Platform) {
		at = later(at, w.earliest(now, true))
	}
	if w := p.chat(chat, dm); w != nil {
		at = later(at, w.earliest(now, class.orTeam() == ClassReply))
	}
	return at
}

// record notes a send to chat at the instant at (not before any instant recorded).
func (p *pacer) record(chat ChatRef, dm bool, at time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.platform(chat.Platform) {
		w.record(at)
	}
	if w := p.chat(chat, dm); w != nil {
		w.record(at)
	}
	if at.Sub(p.cleaned) > time.Minute {
		p.clean(at)
	}
}

// platform returns the platform's windows, made on first use.
func (p *pacer) platform(pl Platform) []*window {
	ws, ok := p.global[pl]
	if ok {
		return ws
	}
	pace := p.pace(pl)
	if pace.Rate > 0 {
		if pace.Rate >= 1 {
			ws = append(ws, newWindow(int(pace.Rate), time.Second))
		} else {
			ws = append(ws, newWindow(1, seconds(1/pace.Rate)))
		}
		if pace.Burst > 0 && pace.Burst < int(pace.Rate) {
			ws = append(ws, newWindow(pace.Burst, seconds(float64(pace.Burst)/pace.Rate)))
		}
	}
	p.global[pl] = ws
	return ws
}

// chat returns the chat's window, made on first use; nil when chats are not limited.
func (p *pacer) chat(chat ChatRef, dm bool) *window {
	if w, ok := p.chats[chat]; ok {
		return w
	}
	pace := p.pace(chat.Platform)
	rate := pace.ChatRate
	if !dm && pace.GroupRate > 0 && (rate == 0 || pace.GroupRate < rate) {
		rate = pace.GroupRate
	}
	if rate <= 0 {
		return nil
	}
	n := max(pace.ChatBurst, 1)
	w := newWindow(n, seconds(float64(n)/rate))
	p.chats[chat] = w
	return w
}

// clean forgets chat windows that no longer limit anything, so idle chats cost no memory.
func (p *pacer) clean(now time.Time) {
	p.cleaned = now
	for k, w := range p.chats {
		if w.idle(now) {
			delete(p.chats, k)
		}
	}
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// window allows at most n sends in any span of length w: a send at t is allowed when the
// n-th most recent one was at t-w or before. It remembers the last n send times.
type window struct {
	n    int
	w    time.Duration
	sent []time.Time // a ring of the last n send times; oldest at next once full
	next int
}

func newWindow(n int, w time.Duration) *window {
	return &window{n: max(n, 1), w: w, sent: make([]time.Time, 0, max(n, 1))}
}

// earliest returns the first instant at or after now when a send is allowed. Unless burst
// is set, sends are also kept w/n apart, evenly paced.
func (w *window) earliest(now time.Time, burst bool) time.Time {
	at := now
	if len(w.sent) == w.n {
		at = later(at, w.sent[w.next].Add(w.w))
	}
	if !burst && len(w.sent) > 0 {
		at = later(at, w.last().Add(w.w/time.Duration(w.n)))
	}
	return at
}

func (w *window) last() time.Time {
	if len(w.sent) < w.n {
		return w.sent[len(w.sent)-1]
	}
	return w.sent[(w.next+w.n-1)%w.n]
}

func (w *window) record(t time.Time) {
	if len(w.sent) < w.n {
		w.sent = append(w.sent, t)
		return
	}
	w.sent[w.next] = t
	w.next = (w.next + 1) % w.n
}

// idle reports whether no recorded send limits one at now.
func (w *window) idle(now time.Time) bool {
	return len(w.sent) == 0 || !now.Before(w.last().Add(w.w))
}
