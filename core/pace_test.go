package core

import (
	"testing"
	"time"
)

func TestPacer(t *testing.T) {
	now := time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)
	p := newPacer(map[Platform]Pace{Telegram: {Rate: 2, Burst: 2, ChatRate: 1, ChatBurst: 1, GroupRate: 0.5}})
	a := ChatRef{Platform: Telegram, ID: "1"}
	b := ChatRef{Platform: Telegram, ID: "2"}
	g := ChatRef{Platform: Telegram, ID: "-100"}
	steps := []struct {
		chat ChatRef
		dm   bool
		want time.Duration
	}{
		{a, true, 0},            // burst of the platform and of chat a
		{b, true, 0},            // platform burst spent; chat b's own first token
		{a, true, time.Second},  // chat a: 1/s, and the platform refills at 2/s
		{g, false, time.Second}, // platform in debt by two tokens at 2/s
	}
	for i, s := range steps {
		if got := p.reserve(s.chat, s.dm, now).Sub(now); got != s.want {
			t.Fatalf("step %d: wait %v; want %v", i, got, s.want)
		}
	}
	// A group's stricter rate applies to it: 0.5/s, so its next message waits 2 s.
	later := now.Add(10 * time.Second)
	if got := p.reserve(g, false, later).Sub(later); got != 0 {
		t.Fatalf("group first wait = %v", got)
	}
	if got := p.reserve(g, false, later).Sub(later); got != 2*time.Second {
		t.Fatalf("group second wait = %v", got)
	}
	// Platforms without limits never wait.
	c := ChatRef{Platform: Console, ID: "x"}
	for range 100 {
		if at := p.reserve(c, true, now); !at.Equal(now) {
			t.Fatal("console was paced")
		}
	}
	// Idle chats are forgotten.
	p.clean(now.Add(time.Hour))
	if len(p.chats) != 0 {
		t.Fatalf("%d idle chat buckets kept", len(p.chats))
	}
}
