package coretest

import (
	"testing"
	"time"
)

// Wait is how long WaitFor waits: long, because a shared machine under -race is slow; a
// passing test never waits that long.
const Wait = 10 * time.Second

// WaitFor polls cond until it holds, failing the test when Wait passes first. Wait for the
// specific thing expected, never for "the next message".
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(Wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
