package core_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
)

// outbox returns the outbox message with the id.
func (e *env) outbox(id int64) core.OutboxMessage {
	e.t.Helper()
	var m core.OutboxMessage
	if err := e.db.View(e.ctx, func(tx core.Tx) error {
		var err error
		m, err = tx.OutboxMessage(id)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return m
}

// enqueue writes messages straight to the outbox, as a state change would.
func (e *env) enqueue(chat string, texts ...string) []int64 {
	e.t.Helper()
	var ids []int64
	if err := e.db.Update(e.ctx, func(tx core.Tx) error {
		for _, text := range texts {
			id, err := tx.Enqueue(core.Outgoing{To: core.ChatRef{Platform: core.Console, ID: chat}, Message: core.Message{Text: text}}, e.clock.Now())
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
	return ids
}

func (e *env) deliver() {
	e.t.Helper()
	if _, err := e.svc.DeliverDue(e.ctx); err != nil {
		e.t.Fatal(err)
	}
}

// failing makes the messenger fail each delivery whose text is in plan with the errors
// listed, one per attempt, and counts the attempts.
type failing struct {
	mu       sync.Mutex
	plan     map[string][]error
	attempts map[string]int
}

func (f *failing) fail(d core.Delivery) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempts[d.Message.Text]++
	if errs := f.plan[d.Message.Text]; len(errs) > 0 {
		f.plan[d.Message.Text] = errs[1:]
		return errs[0]
	}
	return nil
}

func newFailing(plan map[string][]error) *failing {
	return &failing{plan: plan, attempts: map[string]int{}}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	e := newEnv(t, nil)
	f := newFailing(map[string][]error{"one": {&core.DeliveryError{Kind: core.DeliveryRateLimited, RetryAfter: 30 * time.Second}}})
	e.msgr.fail = f.fail
	ids := e.enqueue("a", "one", "two")
	e.deliver()
	if f.attempts["one"] != 1 || f.attempts["two"] != 0 {
		t.Fatalf("attempts = %v; the second message must wait behind the first", f.attempts)
	}
	if m := e.outbox(ids[0]); !m.DueAt.Equal(start.Add(30 * time.Second)) {
		t.Fatalf("due after 429 = %v; want retry-after later", m.DueAt)
	}
	e.clock.Advance(29 * time.Second)
	e.deliver()
	if f.attempts["one"] != 1 {
		t.Fatal("sent before retry-after passed")
	}
	e.clock.Advance(time.Second)
	e.deliver()
	if f.attempts["one"] != 2 || f.attempts["two"] != 1 || e.outbox(ids[1]).State != core.OutboxSent {
		t.Fatalf("after retry-after: %v", f.attempts)
	}
	if got := e.msgr.texts("a"); strings.Join(got, ",") != "one,two" {
		t.Fatalf("order = %v", got)
	}
}

func TestGlobalRateLimitHoldsThePlatform(t *testing.T) {
	e := newEnv(t, nil)
	f := newFailing(map[string][]error{"a1": {&core.DeliveryError{Kind: core.DeliveryRateLimited, RetryAfter: 10 * time.Second, Global: true}}})
	e.msgr.fail = f.fail
	e.enqueue("a", "a1")
	e.deliver()
	e.enqueue("b", "b1")
	e.deliver()
	if f.attempts["b1"] != 0 {
		t.Fatal("a global rate limit did not hold the other chats")
	}
	e.clock.Advance(10 * time.Second)
	e.deliver()
	if f.attempts["a1"] != 2 || f.attempts["b1"] != 1 {
		t.Fatalf("after the global hold: %v", f.attempts)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	e := newEnv(t, nil)
	var errs []error
	for range 14 {
		errs = append(errs, &core.DeliveryError{Kind: core.DeliveryTemporary, Reason: "502 Bad Gateway"})
	}
	e.msgr.fail = newFailing(map[string][]error{"x": errs}).fail
	id := e.enqueue("a", "x")[0]
	var waits []time.Duration
	for range 14 {
		e.deliver()
		m := e.outbox(id)
		waits = append(waits, m.DueAt.Sub(e.clock.Now()))
		e.clock.Set(m.DueAt)
	}
	// The test's jitter source returns half the range: waits are half of 1s·2ⁿ, capped.
	for i := 1; i < len(waits); i++ {
		if waits[i] < waits[i-1] {
			t.Fatalf("backoff shrank: %v", waits)
		}
	}
	if waits[0] > time.Second || waits[len(waits)-1] > 5*time.Minute || waits[len(waits)-1] < 2*time.Minute {
		t.Fatalf("backoff = %v; want from under a second to the 5-minute cap", waits)
	}
	e.deliver()
	if m := e.outbox(id); m.State != core.OutboxSent || m.Attempts != 14 || !strings.Contains(m.LastError, "502") {
		t.Fatalf("after recovery: %+v", m)
	}
}

func TestPermanentErrorsAreDeadLettersWithTheReason(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/start")
	blocked := &core.DeliveryError{Kind: core.DeliveryPermanent, Unreachable: true, Reason: "Forbidden: bot was blocked by the user"}
	f := newFailing(nil)
	attempts := 0
	e.msgr.fail = func(d core.Delivery) error {
		if d.To.ID == "maria" {
			attempts++
			return blocked
		}
		return f.fail(d)
	}
	e.touch("maria", "A-1")
	x := e.export("maria")
	if x.Contacts[0].Unreachable != "Forbidden: bot was blocked by the user" {
		t.Fatalf("contact = %+v", x.Contacts[0])
	}
	if x.Surveys[0].State != core.RunExpired { // sent, then found unreachable: ended
		t.Fatalf("survey after blocked = %+v", x.Surveys[0])
	}
	// Not retried: a dead letter, counted in the digest.
	e.advance(time.Hour)
	d, _ := e.svc.Digest(e.ctx, core.WeekOf(start, berlin))
	if d.DeadLetters != 1 || attempts != 1 {
		t.Fatalf("dead letters in the digest = %d, platform calls %d; want the intro with its first "+
			"question refused once, not asked again", d.DeadLetters, attempts)
	}
	if s := e.touch("maria", "A-2").Surveys[0]; s.State != core.RunSkipped || !strings.HasPrefix(s.Reason, "unreachable") {
		t.Fatalf("next touch = %+v", s)
	}
	// Writing to the bot again makes her reachable.
	e.msgr.fail = nil
	e.dm("maria", "/status")
	if x := e.export("maria"); x.Contacts[0].Unreachable != "" {
		t.Fatal("still unreachable after she wrote")
	}
}

func TestRepeatedUnauthorizedOpensTheCircuit(t *testing.T) {
	e := newEnv(t, nil)
	e.msgr.fail = func(core.Delivery) error {
		return &core.DeliveryError{Kind: core.DeliveryUnauthorized, Reason: "401 Unauthorized"}
	}
	e.enqueue("a", "x")
	for range 3 {
		e.deliver()
		e.clock.Advance(10 * time.Minute)
	}
	if h := e.svc.Health(); !strings.Contains(h[core.Console], "401") {
		t.Fatalf("health = %v; want the console circuit open", h)
	}
	e.msgr.fail = nil
	e.clock.Advance(10 * time.Minute)
	e.deliver()
	if h := e.svc.Health(); len(h) != 0 {
		t.Fatalf("health after a good send = %v", h)
	}
}

func TestMovedChatIsFollowed(t *testing.T) {
	e := newEnv(t, nil)
	e.msgr.fail = func(d core.Delivery) error {
		if d.To.ID == "team" {
			return &core.DeliveryError{Kind: core.DeliveryMoved, MovedTo: core.ChatRef{Platform: core.Console, ID: "team2"}}
		}
		return nil
	}
	e.dm("maria", "/complain Flat tyre")
	if got := e.msgr.to("team2"); len(got) != 1 || !strings.Contains(got[0].Message.Title, "C-1001") {
		t.Fatalf("card after the move = %+v", got)
	}
	e.dm("bob", "/complain Broken bell")
	if got := e.msgr.to("team2"); len(got) != 2 {
		t.Fatalf("later cards must go to the new chat at once: %+v", got)
	}
}

// TestSlowChatDoesNotHoldUpOthers runs the real dispatcher: one chat limited to 1 msg/s
// has three messages; twenty other chats' messages all go before its second.
func TestSlowChatDoesNotHoldUpOthers(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) {
		s.Platforms[core.Console] = core.PlatformInfo{Pace: core.Pace{ChatRate: 1, ChatBurst: 1}}
	})
	e.clock = nil
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(t), Settings: e.set, Store: e.db, Messengers: []core.Messenger{e.msgr}})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	e.clock = core.NewManualClock(time.Now()) // enqueue stamps; the service runs on real time
	e.clock.Set(time.Now().Add(-time.Second))
	e.enqueue("slow", "s1", "s2", "s3")
	for i := range 20 {
		e.enqueue(fmt.Sprintf("c%d", i), fmt.Sprintf("c%d", i))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go svc.Run(ctx)
	waitFor(t, func() bool { return len(e.msgr.to("slow")) == 3 })
	cancel()
	var order []string
	e.msgr.mu.Lock()
	for _, m := range e.msgr.msgs {
		order = append(order, m.d.Message.Text)
	}
	e.msgr.mu.Unlock()
	pos := map[string]int{}
	for i, s := range order {
		pos[s] = i
	}
	for i := range 20 {
		if c := fmt.Sprintf("c%d", i); pos[c] > pos["s2"] {
			t.Fatalf("%s went after s2: %v", c, order)
		}
	}
	if !(pos["s1"] < pos["s2"] && pos["s2"] < pos["s3"]) {
		t.Fatalf("the slow chat's order broke: %v", order)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestEditOfUndeliveredMessageIsDropped(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/start")
	e.msgr.fail = func(d core.Delivery) error {
		if strings.Contains(d.Message.Text, "1/3") {
			return &core.DeliveryError{Kind: core.DeliveryPermanent, Reason: "Bad Request: message is too long"}
		}
		return nil
	}
	e.touch("maria", "A-1")
	e.msgr.fail = nil
	e.dm("maria", "7") // the answer edits a question that never arrived
	for _, d := range e.msgr.to("maria") {
		if d.EditID != "" {
			t.Fatalf("an edit of an undelivered message was sent: %+v", d)
		}
	}
	// Only the edit is dropped: the answer itself is stored.
	if a := e.export("maria").Answers; len(a) != 1 || a[0].Question != "courtesy" || fmt.Sprint(a[0].Value) != "7" {
		t.Errorf("answers stored = %+v, want courtesy 7", a)
	}
}

func TestTimeoutsRetryAndDeadLettersKeepTheReason(t *testing.T) {
	e := newEnv(t, nil)
	f := newFailing(map[string][]error{
		"slow": {context.DeadlineExceeded}, // a timeout, not classified by the adapter
		"bad":  {&core.DeliveryError{Kind: core.DeliveryPermanent, Reason: "Bad Request: chat not found"}},
	})
	e.msgr.fail = f.fail
	slow := e.enqueue("a", "slow")[0]
	bad := e.enqueue("b", "bad")[0]
	e.deliver()
	if m := e.outbox(slow); m.State != core.OutboxPending || m.Attempts != 1 || !strings.Contains(m.LastError, "deadline") {
		t.Fatalf("a timeout must be retried: %+v", m)
	}
	if m := e.outbox(bad); m.State != core.OutboxDead || !strings.Contains(m.LastError, "chat not found") {
		t.Fatalf("a dead letter must keep the platform's reason: %+v", m)
	}
	e.clock.Advance(time.Minute)
	e.deliver()
	if f.attempts["bad"] != 1 || e.outbox(slow).State != core.OutboxSent {
		t.Fatalf("attempts = %v: the permanent error retried, or the timeout not", f.attempts)
	}
}

// TestDailyPruneForgetsWhatIsNoLongerNeeded: Run queues the day's prune, which forgets event
// ids older than a week and delivered messages older than three months — but not the card
// of a complaint still open, which replies in its thread must find.
func TestDailyPruneForgetsWhatIsNoLongerNeeded(t *testing.T) {
	e := newEnv(t, nil)
	greeting := e.send(core.Incoming{EventID: "old-event", From: user("maria"), Chat: core.ChatRef(user("maria")), Direct: true, Text: "/start"})
	if greeting.Duplicate {
		t.Fatal("first event a duplicate")
	}
	e.dm("maria", "/complain The bell is broken")
	var cardID string
	for _, m := range e.msgr.msgs {
		if m.d.To.ID == "team" {
			cardID = m.id
			break
		}
	}
	e.clock.Advance(100 * 24 * time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.svc.Run(ctx); close(done) }()
	greetingID := int64(1)
	waitFor(t, func() bool {
		var gone bool
		e.db.View(e.ctx, func(tx core.Tx) error {
			_, err := tx.OutboxMessage(greetingID)
			gone = core.IsNotFound(err)
			return nil
		})
		return gone
	})
	cancel()
	<-done
	var cardKept bool
	e.db.View(e.ctx, func(tx core.Tx) error {
		c, err := tx.ComplaintByCard(core.Console, cardID)
		cardKept = err == nil && c.Ref() == "C-1001"
		return nil
	})
	if !cardKept {
		t.Fatal("the open complaint's card was pruned")
	}
	if r := e.send(core.Incoming{EventID: "old-event", From: user("maria"), Chat: core.ChatRef(user("maria")), Direct: true, Text: "/status"}); r.Duplicate {
		t.Fatal("an event id older than a week is still remembered")
	}
}
