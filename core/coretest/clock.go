package coretest

import (
	"sync/atomic"
	"time"
)

// SkewClock is the wall clock moved forward on demand: a service running its loops in real
// time can be sent a day ahead ("the survey falls due tomorrow") while pacing and timers
// keep working. The zero value is the wall clock.
type SkewClock struct {
	off atomic.Int64
}

// Now returns the wall-clock time plus every Advance so far.
func (c *SkewClock) Now() time.Time { return time.Now().Add(time.Duration(c.off.Load())) }

// Advance moves the clock forward by d.
func (c *SkewClock) Advance(d time.Duration) { c.off.Add(int64(d)) }
