package core

import "time"

// Observer is told what the service does, for metrics. Its methods must be fast and safe
// for concurrent use; core calls them outside transactions.
type Observer interface {
	// Inbound is called for each handled event: duplicate when it had been seen before,
	// failed when Handle returned an error; took is Handle's duration.
	Inbound(p Platform, duplicate, failed bool, took time.Duration)
	// Delivery is called for each delivery attempt with its outcome: "sent", "retry",
	// "rate_limited", "dead" or "held" (not attempted: the platform is paused); took is the
	// platform call's duration, zero when none was made.
	Delivery(p Platform, outcome string, took time.Duration)
	// JobDone is called when due work is done, with how late it ran after its due time.
	JobDone(kind JobKind, lag time.Duration)
}

type nopObserver struct{}

func (nopObserver) Inbound(Platform, bool, bool, time.Duration) {}
func (nopObserver) Delivery(Platform, string, time.Duration)    {}
func (nopObserver) JobDone(JobKind, time.Duration)              {}
