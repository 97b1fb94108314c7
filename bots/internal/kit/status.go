package kit

import (
	"sync"
	"time"

	"earshot/core"
)

// Status is an adapter's connection state as it reports it (core.StatusReporter). It is safe
// for concurrent use; the zero value is not usable: make one with NewStatus.
type Status struct {
	mu  sync.Mutex
	s   core.AdapterStatus
	now func() time.Time
}

// NewStatus returns a status that says starting.
func NewStatus() *Status {
	st := &Status{now: time.Now}
	st.s = core.AdapterStatus{State: core.AdapterStarting, Since: st.now()}
	return st
}

// Status returns the current state.
func (st *Status) Status() core.AdapterStatus {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.s
}

// Connected records that events flow.
func (st *Status) Connected() { st.set(core.AdapterConnected, "") }

// Failed records a failed connection: refused when the platform refused the credentials,
// reconnecting otherwise. reason must hold no secret.
func (st *Status) Failed(refused bool, reason string) {
	if refused {
		st.set(core.AdapterRefused, reason)
		return
	}
	st.set(core.AdapterReconnecting, reason)
}

// Stopped records that Run returned.
func (st *Status) Stopped() { st.set(core.AdapterStopped, "") }

// set moves to state; Since changes only when the state does.
func (st *Status) set(state core.AdapterState, reason string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.s.State != state {
		st.s.State, st.s.Since = state, st.now()
	}
	st.s.Reason = reason
}
