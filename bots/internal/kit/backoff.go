package kit

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff is a wait that doubles with each attempt, from Base up to Max, with jitter so that
// many clients do not retry in step.
type Backoff struct {
	Base time.Duration // default 500ms
	Max  time.Duration // default 1 minute
}

// Wait returns how long to wait before retry number attempt (0 for the first retry): between
// half and all of Base·2^attempt, capped at Max.
func (b Backoff) Wait(attempt int) time.Duration {
	base, top := b.Base, b.Max
	if base <= 0 {
		base = 500 * time.Millisecond
	}
	if top <= 0 {
		top = time.Minute
	}
	d := base
	for i := 0; i < attempt && d < top; i++ {
		d *= 2
	}
	d = min(d, top)
	return d/2 + rand.N(d/2+1)
}

// Sleep waits d or until ctx ends; it reports whether the wait completed.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
