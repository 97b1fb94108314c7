package core

import (
	"slices"
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
// at most n sends in any span of w. A message may go at the first instant every window it
// falls under allows; the engine hands it to a sender then (record: the send is on its way)
// and the sender notes the instant it really starts (started) — so what the limiter counts
// is what the platform sees, never a reservation made earlier, and a send on its way counts
// as happening now until it starts.
//
//   - platform: floor(Rate) in any second (so no one-second window ever holds more than
//     Rate), and Burst within Burst/Rate seconds when Burst is smaller;
//   - chat: ChatBurst within ChatBurst/ChatRate seconds (the group rate when stricter),
//     plus chatMargin.
//
// Replies may take any free place at once. Other classes are paced evenly besides (up to
// Burst at once on the platform, one at a time in a chat), so a steady stream of bulk
// leaves a place free within one interval for a customer who writes, and never spends a
// chat's burst.
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
	reply := class.orTeam() == ClassReply
	for _, w := range p.platform(chat.Platform) {
		at = later(at, w.earliest(now, reply))
	}
	if w := p.chat(chat, dm); w != nil {
		at = later(at, w.earliest(now, reply))
	}
	return at
}

// record notes that a send to chat is on its way: until it starts, it counts as now.
func (p *pacer) record(chat ChatRef, dm bool, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.platform(chat.Platform) {
		w.pending++
	}
	if w := p.chat(chat, dm); w != nil {
		w.pending++
	}
	if now.Sub(p.cleaned) > time.Minute {
		p.clean(now)
	}
}

// started notes that a recorded send to chat started at at.
func (p *pacer) started(chat ChatRef, dm bool, at time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.platform(chat.Platform) {
		w.start(at)
	}
	if w := p.chat(chat, dm); w != nil {
		w.start(at)
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
			ws = append(ws, newWindow(int(pace.Rate), time.Second, pace.Burst))
		} else {
			ws = append(ws, newWindow(1, seconds(1/pace.Rate), 1))
		}
		if pace.Burst > 0 && pace.Burst < int(pace.Rate) {
			ws = append(ws, newWindow(pace.Burst, seconds(float64(pace.Burst)/pace.Rate), pace.Burst))
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
	w := newWindow(n, seconds(float64(n)/rate)+chatMargin, 1)
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

// chatMargin widens each chat's window: a chat's limit has no headroom in its rate (1 per
// second is what Telegram allows), and two sends to one chat reach the platform a goroutine
// switch or a network hop apart from when they were paced.
const chatMargin = 25 * time.Millisecond

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// window allows at most n sends in any span of length w: a send at t is allowed when fewer
// than n of the sends that started, or are on their way (pending), fall within (t-w, t].
// Sends that may not burst are also paced: one per w/n (a virtual scheduling time, tat,
// that each start moves on by w/n), with tol of slack after an idle spell, so that a steady
// stream is even and leaves the window's free places to the sends that may burst.
type window struct {
	n       int
	w       time.Duration
	tol     time.Duration
	sent    []time.Time // start instants of the last n sends, in order
	pending int         // sends on their way, not started yet
	tat     time.Time   // when the next paced send is due, without slack
}

// newWindow returns a window of n sends in w; paced sends may run up to burst at once.
func newWindow(n int, w time.Duration, burst int) *window {
	n = max(n, 1)
	burst = min(max(burst, 1), n)
	return &window{n: n, w: w, tol: time.Duration(burst-1) * (w / time.Duration(n))}
}

func (w *window) gap() time.Duration { return w.w / time.Duration(w.n) }

// earliest returns the first instant at or after now when a send is allowed; a paced one
// (burst false) also waits for its turn.
func (w *window) earliest(now time.Time, burst bool) time.Time {
	if w.pending >= w.n {
		return now.Add(w.w) // a start will free a place sooner; the engine looks again then
	}
	at := now
	if k := w.n - w.pending; len(w.sent) >= k {
		at = later(at, w.sent[len(w.sent)-k].Add(w.w))
	}
	if !burst {
		// Sends on their way start at now at the earliest, each moving tat on by a gap.
		tat := w.tat
		if w.pending > 0 {
			tat = later(tat, now).Add(time.Duration(w.pending) * w.gap())
		}
		// The slack is for a start from idle only: after a burst the window frees its places
		// all at once, and paced sends taking them all again would keep the clump forever.
		// Between, a little slack (two sends, or 50 ms at high rates) lets sends that started
		// late be caught up without drifting.
		tol := min(w.tol, max(2*w.gap(), 50*time.Millisecond))
		if w.pending == 0 && (len(w.sent) == 0 || !now.Before(w.sent[len(w.sent)-1].Add(2*w.w))) {
			tol = w.tol
		}
		at = later(at, tat.Add(-tol))
	}
	return at
}

// start turns a pending send into one that started at t, kept in order.
func (w *window) start(t time.Time) {
	if w.pending > 0 {
		w.pending--
	}
	w.tat = later(w.tat, t).Add(w.gap())
	i := len(w.sent)
	for i > 0 && w.sent[i-1].After(t) {
		i--
	}
	w.sent = slices.Insert(w.sent, i, t)
	if len(w.sent) > w.n {
		w.sent = slices.Delete(w.sent, 0, len(w.sent)-w.n)
	}
}

// idle reports whether no send limits one at now.
func (w *window) idle(now time.Time) bool {
	return w.pending == 0 && !now.Before(w.tat) &&
		(len(w.sent) == 0 || !now.Before(w.sent[len(w.sent)-1].Add(w.w)))
}
