// Package coretest holds small helpers that the tests of several packages share. It depends
// on the standard library only and is imported by tests alone.
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
