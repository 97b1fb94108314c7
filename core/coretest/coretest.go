// Package coretest holds what the tests of several packages share, so that each is written
// once: a recording core.Handler that can play a store that is down (Handler), a store whose
// writes can be made to fail (FailingStore), WaitFor, a log sink (LogBuffer), the shipped
// catalogs (Texts), and, in the golden subpackage, golden files with one -update flag. It
// depends on core, bots/i18n and the standard library only and is imported by tests alone
// (core's own tests use golden, which does not import core).
package coretest

import (
	"bytes"
	"sync"
)

// LogBuffer is a log sink safe for concurrent writers: tests hand it to slog handlers that
// servers and adapters write to from their own goroutines, then read it.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
