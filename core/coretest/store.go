package coretest

import (
	"context"
	"sync/atomic"

	"earshot/core"
)

// FailingStore wraps a real store and can make its writes fail, as a full disk or a
// read-only file does: Update returns ErrDown without running its function while failing;
// View goes through (reads still work on a full disk).
type FailingStore struct {
	core.Store
	failing atomic.Bool
	refused atomic.Int64
}

var _ core.Store = (*FailingStore)(nil)

// NewFailingStore wraps s, writing normally until SetFailing(true).
func NewFailingStore(s core.Store) *FailingStore { return &FailingStore{Store: s} }

// SetFailing makes writes fail (true) or go through again (false).
func (f *FailingStore) SetFailing(on bool) { f.failing.Store(on) }

// Refused counts the writes refused so far.
func (f *FailingStore) Refused() int64 { return f.refused.Load() }

// Update runs fn in a write transaction of the real store, unless writes are failing.
func (f *FailingStore) Update(ctx context.Context, fn func(core.Tx) error) error {
	if f.failing.Load() {
		f.refused.Add(1)
		return ErrDown
	}
	return f.Store.Update(ctx, fn)
}

// Probing is a core.Handler that is also a core.Prober, as serve's handler is: Probe makes
// the smallest real write on store.
type Probing struct {
	core.Handler
	Store core.Store
}

var _ core.Prober = Probing{}

// Probe reports whether store takes writes.
func (p Probing) Probe(ctx context.Context) error {
	return p.Store.Update(ctx, func(tx core.Tx) error { return tx.SetState("coretest.probe", "1") })
}
