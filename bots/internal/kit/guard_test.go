package kit

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
)

func newTestGuard(h core.Handler, maxAttempts int) (*Guard, *coretest.LogBuffer) {
	logs := &coretest.LogBuffer{}
	g := NewGuard(h, slog.New(slog.NewTextHandler(logs, nil)),
		GuardOptions{MaxAttempts: maxAttempts, Backoff: Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond}})
	return g, logs
}

func TestGuardConfirmsSuccessAndRefusals(t *testing.T) {
	h := coretest.NewHandler(func(_ context.Context, in core.Incoming, _ int) (core.Response, error) {
		if in.Text == "no" {
			return core.Response{}, core.Errorf(core.EFORBIDDEN, "Only team members can use /ack.")
		}
		return core.Response{Notice: "ok"}, nil
	})
	g, _ := newTestGuard(h, 3)
	texts := coretest.Texts(t)
	if o := g.Handle(t.Context(), core.Incoming{EventID: "1"}); !o.Confirm || o.Resp.Notice != "ok" || o.Reply(texts, "en") != "" {
		t.Errorf("success: %+v", o)
	}
	o := g.Handle(t.Context(), core.Incoming{EventID: "2", Text: "no"})
	if !o.Confirm || o.Reply(texts, "en") != "Only team members can use /ack." || len(h.Got()) != 2 {
		t.Errorf("refusal: %+v (a refusal is handled, once)", o)
	}
}

// A poison event (it fails while the store answers) is skipped after the bound; a panic is
// one such failure, not a crash.
func TestGuardSkipsPoisonAfterTheBound(t *testing.T) {
	h := coretest.NewHandler(func(_ context.Context, in core.Incoming, _ int) (core.Response, error) {
		panic("nil map")
	})
	g, logs := newTestGuard(h, 4)
	o := g.Handle(t.Context(), core.Incoming{EventID: "p"})
	if !o.Confirm || !o.Skipped || len(h.Got()) != 4 || o.Reply(coretest.Texts(t, "de"), "de") != "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es gleich noch einmal." {
		t.Errorf("poison: %+v after %d calls", o, len(h.Got()))
	}
	if !contains(logs.String(), "poison") || !contains(logs.String(), "panicked") {
		t.Errorf("log:\n%s", logs.String())
	}
}

// During an outage nothing is skipped and nothing confirmed, however long it lasts; when the
// store answers, the held event is handled.
func TestGuardHoldsEventsThroughAnOutage(t *testing.T) {
	h := coretest.NewHandler(nil)
	h.SetDown(true)
	g, logs := newTestGuard(h, 2)
	got := make(chan Outcome, 1)
	go func() { got <- g.Handle(t.Context(), core.Incoming{EventID: "held"}) }()
	coretest.WaitFor(t, "the outage noticed", func() bool { _, down := g.Outage(); return down })
	time.Sleep(50 * time.Millisecond) // ten times the longest backoff: far past the bound of 2
	select {
	case o := <-got:
		t.Fatalf("the event was let go during the outage: %+v", o)
	default:
	}
	h.SetDown(false)
	o := <-got
	if !o.Confirm || o.Skipped || o.Err != nil {
		t.Errorf("after the outage: %+v", o)
	}
	if _, down := g.Outage(); down || !contains(logs.String(), "answers again") {
		t.Errorf("outage not ended; log:\n%s", logs.String())
	}
}

// When ctx ends first, the event is not confirmed: the platform delivers it again.
func TestGuardLeavesTheEventUnconfirmedAtShutdown(t *testing.T) {
	h := coretest.NewHandler(nil)
	h.SetDown(true)
	g, _ := newTestGuard(h, 2)
	ctx, cancel := context.WithCancel(t.Context())
	got := make(chan Outcome, 1)
	go func() { got <- g.Handle(ctx, core.Incoming{EventID: "e"}) }()
	coretest.WaitFor(t, "the outage noticed", func() bool { _, down := g.Outage(); return down })
	cancel()
	if o := <-got; o.Confirm {
		t.Errorf("confirmed at shutdown: %+v", o)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
