package core

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

var paceT0 = time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)

func TestPacerWindows(t *testing.T) {
	p := newPacer(map[Platform]Pace{Telegram: {Rate: 2, Burst: 2, ChatRate: 1, ChatBurst: 2, GroupRate: 0.5}})
	a := ChatRef{Platform: Telegram, ID: "1"}
	b := ChatRef{Platform: Telegram, ID: "2"}
	g := ChatRef{Platform: Telegram, ID: "-100"}
	m := chatMargin // each chat's window is this much wider than its rate says
	steps := []struct {
		at    time.Duration // when the message is ready
		chat  ChatRef
		dm    bool
		class Class
		want  time.Duration // when it may go
	}{
		{0, a, true, ClassReply, 0},                               // everything free
		{0, a, true, ClassReply, 0},                               // a reply may use the chat's burst of 2
		{0, b, true, ClassBulk, time.Second},                      // the platform's 2 in a second are spent
		{time.Second, a, true, ClassReply, 2*time.Second + m},     // chat a: 2 within 2 s
		{2 * time.Second, b, true, ClassBulk, 2*time.Second + m},  // paced, with a little slack, after the reply
		{2 * time.Second, g, false, ClassBulk, 3*time.Second + m}, // platform: 2 within a second
	}
	for i, s := range steps {
		now := paceT0.Add(s.at)
		at := p.earliest(s.chat, s.dm, s.class, now)
		if got := at.Sub(paceT0); got != s.want {
			t.Fatalf("step %d: may go at %v; want %v", i, got, s.want)
		}
		p.record(s.chat, s.dm, at)
		p.started(s.chat, s.dm, at)
	}
	// A group's stricter rate applies to it: 0.5/s with a burst of 2 for replies, then 2 s apart.
	later := paceT0.Add(time.Minute)
	for i, want := range []time.Duration{0, 0, 4*time.Second + m} {
		at := p.earliest(g, false, ClassReply, later)
		if got := at.Sub(later); got != want {
			t.Fatalf("group send %d waits %v; want %v", i, got, want)
		}
		p.record(g, false, at)
		p.started(g, false, at)
	}
	// Platforms without limits never wait.
	c := ChatRef{Platform: Console, ID: "x"}
	for range 100 {
		if at := p.earliest(c, true, ClassBulk, paceT0); !at.Equal(paceT0) {
			t.Fatal("console was paced")
		}
		p.record(c, true, paceT0)
		p.started(c, true, paceT0)
	}
	// Idle chats are forgotten.
	p.clean(paceT0.Add(time.Hour))
	if len(p.chats) != 0 {
		t.Fatalf("%d idle chat windows kept", len(p.chats))
	}
}

// simSend is one send in a simulated run of the pacer.
type simSend struct {
	at    time.Time
	chat  ChatRef
	dm    bool
	class Class
}

// TestPacerKeepsBothLimits runs the pacer over random arrival patterns the way the delivery
// engine does — per chat in order, a message goes at the first instant earliest allows and
// that instant is recorded — and checks every send against an exact model of the limits,
// written from their definition: in any one second at most floor(Rate) sends on the
// platform; to one chat at most ChatBurst within ChatBurst/ChatRate seconds; and no two
// sends to a chat closer than 1/ChatRate unless the later is a reply.
func TestPacerKeepsBothLimits(t *testing.T) {
	paces := []Pace{
		DefaultPace(Telegram),
		DefaultPace(Slack),
		DefaultPace(Discord),
		{Rate: 5, Burst: 2, ChatRate: 0.5, ChatBurst: 3, GroupRate: 0.2},
		{Rate: 0.5, ChatRate: 2, ChatBurst: 1},
	}
	for pi, pace := range paces {
		for seed := range uint64(60) {
			t.Run(fmt.Sprintf("pace%d/seed%d", pi, seed), func(t *testing.T) {
				sends, n := simulate(pace, seed)
				if len(sends) != n {
					t.Fatalf("%d of %d messages sent", len(sends), n)
				}
				if err := checkLimits(pace, sends); err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
			})
		}
	}
}

// simulate sends random arrivals — bursts and trickles, to few or many chats, DMs and
// groups, of every class — through a pacer and returns the sends and how many arrived.
func simulate(pace Pace, seed uint64) ([]simSend, int) {
	r := rand.New(rand.NewPCG(seed, 7))
	p := newPacer(map[Platform]Pace{Telegram: pace})
	type msg struct {
		arrive time.Time
		simSend
	}
	chats := 1 + r.IntN(40)
	var arrivals []msg
	at := paceT0
	for range 50 + r.IntN(250) {
		if r.IntN(4) == 0 {
			at = at.Add(time.Duration(r.Int64N(int64(3 * time.Second))))
		}
		id := r.IntN(chats)
		dm := id%5 != 0
		arrivals = append(arrivals, msg{arrive: at, simSend: simSend{
			chat: ChatRef{Platform: Telegram, ID: fmt.Sprint(id)}, dm: dm, class: Class(1 + r.IntN(4))}})
	}
	queues := map[ChatRef][]msg{}
	var sends []simSend
	now := paceT0
	next := 0
	for next < len(arrivals) || len(queues) > 0 {
		for next < len(arrivals) && !arrivals[next].arrive.After(now) {
			m := arrivals[next]
			queues[m.chat] = append(queues[m.chat], m)
			next++
		}
		// Heads that may go now, in a random order (the engine's order is its own business:
		// the limits must hold whatever it chooses).
		var heads []ChatRef
		for c := range queues {
			heads = append(heads, c)
		}
		slices.SortFunc(heads, func(a, b ChatRef) int { return compareStrings(a.ID, b.ID) })
		r.Shuffle(len(heads), func(i, j int) { heads[i], heads[j] = heads[j], heads[i] })
		sent := false
		wake := time.Time{}
		for _, c := range heads {
			h := queues[c][0]
			at := p.earliest(h.chat, h.dm, h.class, now)
			if at.After(now) {
				if wake.IsZero() || at.Before(wake) {
					wake = at
				}
				continue
			}
			p.record(h.chat, h.dm, now)
			p.started(h.chat, h.dm, now)
			h.at = now
			sends = append(sends, h.simSend)
			if queues[c] = queues[c][1:]; len(queues[c]) == 0 {
				delete(queues, c)
			}
			sent = true
			break
		}
		if sent {
			continue
		}
		if next < len(arrivals) && (wake.IsZero() || arrivals[next].arrive.Before(wake)) {
			wake = arrivals[next].arrive
		}
		now = later(now, wake)
	}
	return sends, len(arrivals)
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// checkLimits is the model: the limits as the platform states them, checked pair by pair.
func checkLimits(pace Pace, sends []simSend) error {
	perSecond := max(int(pace.Rate), 1)
	span := time.Second
	if pace.Rate < 1 {
		span = time.Duration(float64(time.Second) / pace.Rate)
	}
	for i, s := range sends {
		n := 0
		for _, o := range sends[i:] {
			if o.at.Sub(s.at) < span {
				n++
			}
		}
		if n > perSecond {
			return fmt.Errorf("%d sends within %v from %v; the limit is %d", n, span, s.at.Sub(paceT0), perSecond)
		}
	}
	byChat := map[ChatRef][]simSend{}
	for _, s := range sends {
		byChat[s.chat] = append(byChat[s.chat], s)
	}
	for chat, ss := range byChat {
		rate := pace.ChatRate
		if !ss[0].dm && pace.GroupRate > 0 && pace.GroupRate < rate {
			rate = pace.GroupRate
		}
		burst := max(pace.ChatBurst, 1)
		within := time.Duration(float64(burst) / rate * float64(time.Second))
		gap := time.Duration(float64(time.Second)/rate) - time.Duration(burst) // rounding of w/n
		for i, s := range ss {
			n := 0
			for _, o := range ss[i:] {
				if o.at.Sub(s.at) < within {
					n++
				}
			}
			if n > burst {
				return fmt.Errorf("chat %s: %d sends within %v from %v; the limit is %d", chat.ID, n, within, s.at.Sub(paceT0), burst)
			}
			if i > 0 && s.class != ClassReply && s.at.Sub(ss[i-1].at) < gap {
				return fmt.Errorf("chat %s: a %s send %v after the one before; the interval is %v", chat.ID, s.class, s.at.Sub(ss[i-1].at), gap)
			}
		}
	}
	return nil
}

// TestPacerCountsFromTheRealStart: a send on its way counts as happening now until it
// starts, and then from the instant it started, so the platform never sees two sends
// closer than the limits allow however late a sender runs.
func TestPacerCountsFromTheRealStart(t *testing.T) {
	p := newPacer(map[Platform]Pace{Telegram: {Rate: 2, ChatRate: 1, ChatBurst: 1}})
	a := ChatRef{Platform: Telegram, ID: "1"}
	b := ChatRef{Platform: Telegram, ID: "2"}
	c := ChatRef{Platform: Telegram, ID: "3"}
	p.record(a, true, paceT0)
	p.record(b, true, paceT0)
	// Both of the platform's two places are on their way: nothing more until one starts.
	if got := p.earliest(c, true, ClassReply, paceT0); !got.After(paceT0) {
		t.Fatalf("a third send may go at once with two on their way")
	}
	late := paceT0.Add(300 * time.Millisecond)
	p.started(a, true, late)
	p.started(b, true, late)
	if got, want := p.earliest(c, true, ClassReply, late).Sub(paceT0), 1300*time.Millisecond; got != want {
		t.Fatalf("a third send may go at %v; want %v (a second after the two really started)", got, want)
	}
	if got, want := p.earliest(a, true, ClassBulk, late).Sub(paceT0), 1300*time.Millisecond+chatMargin; got != want {
		t.Fatalf("chat a's next send at %v; want %v", got, want)
	}
}
