package coretest

import (
	"context"
	"errors"
	"sync"

	"earshot/core"
)

// Handler is a core.Handler for adapter tests: it records every Incoming, answers with
// Reply when set (call counts from 1), and can play a store that is down: while down, Handle
// and Probe (core.Prober) fail with an internal error, as they do when the database takes no
// writes.
type Handler struct {
	mu    sync.Mutex
	got   []core.Incoming
	reply func(ctx context.Context, in core.Incoming, call int) (core.Response, error)
	down  bool
}

var (
	_ core.Handler = (*Handler)(nil)
	_ core.Prober  = (*Handler)(nil)
)

// ErrDown is what Handle and Probe return while the store is down.
var ErrDown = errors.New("coretest: database or disk is full")

// NewHandler returns a handler answering with reply (nil: an empty response).
func NewHandler(reply func(ctx context.Context, in core.Incoming, call int) (core.Response, error)) *Handler {
	return &Handler{reply: reply}
}

// Handle records in and answers.
func (h *Handler) Handle(ctx context.Context, in core.Incoming) (core.Response, error) {
	h.mu.Lock()
	h.got = append(h.got, in)
	n, reply, down := len(h.got), h.reply, h.down
	h.mu.Unlock()
	if down {
		return core.Response{}, ErrDown
	}
	if reply == nil {
		return core.Response{}, nil
	}
	return reply(ctx, in, n)
}

// Probe fails while the store is down.
func (h *Handler) Probe(context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.down {
		return ErrDown
	}
	return nil
}

// SetDown takes the store down or brings it back.
func (h *Handler) SetDown(down bool) {
	h.mu.Lock()
	h.down = down
	h.mu.Unlock()
}

// SetReply replaces the answer function.
func (h *Handler) SetReply(reply func(ctx context.Context, in core.Incoming, call int) (core.Response, error)) {
	h.mu.Lock()
	h.reply = reply
	h.mu.Unlock()
}

// Got returns what Handle was given so far, in order.
func (h *Handler) Got() []core.Incoming {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]core.Incoming(nil), h.got...)
}

// Answer adapts an answer that needs only the Incoming to NewHandler's form.
func Answer(fn func(core.Incoming) (core.Response, error)) func(context.Context, core.Incoming, int) (core.Response, error) {
	if fn == nil {
		return nil
	}
	return func(_ context.Context, in core.Incoming, _ int) (core.Response, error) { return fn(in) }
}
