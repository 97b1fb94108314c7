package core_test

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
	"earshot/storage/sqlite"
)

// gatedMessenger records the order of sends; while gate is set, Deliver waits for it.
type gatedMessenger struct {
	platform core.Platform
	mu       sync.Mutex
	sent     []string // texts in the order they reached the platform
	gate     chan struct{}
	entered  chan string // each text as its Deliver starts
}

func (g *gatedMessenger) Platform() core.Platform { return g.platform }

func (g *gatedMessenger) Deliver(ctx context.Context, d core.Delivery) (string, error) {
	select {
	case g.entered <- d.Message.Text:
	default:
	}
	g.mu.Lock()
	gate := g.gate
	g.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sent = append(g.sent, d.Message.Text)
	return strconv.Itoa(len(g.sent)), nil
}

func (g *gatedMessenger) order() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.sent)
}

// engine is a service running on a real database with one messenger.
type engine struct {
	t    *testing.T
	db   *sqlite.DB
	svc  *core.Service
	msgr *gatedMessenger
	stop func()
}

func startEngine(t *testing.T, platform core.Platform, pace core.Pace, workers int, gated bool) *engine {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "engine.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	m := &gatedMessenger{platform: platform, entered: make(chan string, 1000)}
	if gated {
		m.gate = make(chan struct{})
	}
	set := settings()
	set.Platforms[platform] = core.PlatformInfo{Pace: pace}
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(t), Settings: set, Store: db, Messengers: []core.Messenger{m}, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return &engine{t: t, db: db, svc: svc, msgr: m}
}

func (e *engine) run() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = e.svc.Run(ctx) }()
	e.stop = func() { cancel(); <-done }
	e.t.Cleanup(e.stop)
}

func (e *engine) enqueue(chat string, class core.Class, text string) {
	e.t.Helper()
	to := core.ChatRef{Platform: e.msgr.platform, ID: chat}
	err := e.db.Update(context.Background(), func(tx core.Tx) error {
		_, err := tx.Enqueue(core.Outgoing{To: to, DM: true, Class: class, Message: core.Message{Text: text}}, time.Now())
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.svc.Wake()
}

// waitSent waits until every text has reached the platform.
func (e *engine) waitSent(texts ...string) []string {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := e.msgr.order()
		missing := false
		for _, t := range texts {
			if !slices.Contains(got, t) {
				missing = true
			}
		}
		if !missing {
			return got
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("sent %v; still waiting for some of %v", got, texts)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (e *engine) waitEntered(text string) {
	e.t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case got := <-e.msgr.entered:
			if got == text {
				return
			}
		case <-timeout:
			e.t.Fatalf("%q never reached the platform", text)
		}
	}
}

// TestReplyOvertakesBulkToOtherChats: with invitations queued to many chats, a reply to
// someone else goes before them; a reply to a chat whose invitation is still queued goes
// right after that invitation, never before it.
func TestReplyOvertakesBulkToOtherChats(t *testing.T) {
	e := startEngine(t, core.Console, core.Pace{}, 1, true)
	for i := range 20 {
		e.enqueue("b"+strconv.Itoa(i), core.ClassBulk, "invite "+strconv.Itoa(i))
	}
	e.run()
	e.waitEntered("invite 0") // the one sender is busy with it; more invitations wait
	e.enqueue("x", core.ClassReply, "reply x")
	e.enqueue("b15", core.ClassReply, "reply b15")
	e.msgr.mu.Lock()
	close(e.msgr.gate)
	e.msgr.gate = nil
	e.msgr.mu.Unlock()
	got := e.waitSent("reply x", "reply b15", "invite 19")
	at := func(text string) int { return slices.Index(got, text) }
	if at("invite 15") > at("reply b15") {
		t.Errorf("the reply to b15 overtook the invitation before it in that chat: %v", got)
	}
	for _, reply := range []string{"reply x", "reply b15"} {
		// Queued invitations may take at most the share that keeps bulk from starving.
		overtaken := 0
		for i := 1; i < 20; i++ {
			if i != 15 && at("invite "+strconv.Itoa(i)) > at(reply) {
				overtaken++
			}
		}
		if overtaken < 14 {
			t.Errorf("%s overtook %d of the 18 queued invitations to other chats; want nearly all: %v", reply, overtaken, got)
		}
	}
}

// TestWaitingHoldsNoSender: a message waiting for its chat's pace holds no sender, so with a
// single sender a message to another chat still goes at once.
func TestWaitingHoldsNoSender(t *testing.T) {
	// One message per 30 s to a chat: a second to the same chat waits long.
	e := startEngine(t, core.Telegram, core.Pace{ChatRate: 1.0 / 30, ChatBurst: 1}, 1, false)
	e.enqueue("a", core.ClassBulk, "a1")
	e.enqueue("a", core.ClassBulk, "a2")
	e.run()
	e.waitSent("a1")
	e.enqueue("b", core.ClassBulk, "b1")
	got := e.waitSent("b1")
	if slices.Contains(got, "a2") {
		t.Fatalf("a2 went within its chat's 30-second pace: %v", got)
	}
}

// TestBulkNeverStarves: with replies always waiting, bulk still gets a share of the budget.
func TestBulkNeverStarves(t *testing.T) {
	e := startEngine(t, core.Console, core.Pace{}, 1, false)
	for i := range 40 {
		e.enqueue("r"+strconv.Itoa(i), core.ClassReply, "reply "+strconv.Itoa(i))
	}
	e.enqueue("bulk", core.ClassBulk, "invite")
	e.run()
	got := e.waitSent("invite", "reply 39")
	if at := slices.Index(got, "invite"); at > 20 {
		t.Fatalf("the invitation went after %d replies; bulk must get a share: %v", at, got)
	}
}
