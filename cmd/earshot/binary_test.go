package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// buildFlags are the Dockerfile's: a static binary without cgo, paths trimmed, stripped.
var buildFlags = []string{"build", "-trimpath", "-ldflags=-s -w"}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// earshotBinary builds the binary the way the Dockerfile does (no cgo, the same flags), once
// per test run, for the tests that run it as a process.
func earshotBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "earshot-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "earshot")
		cmd := exec.Command("go", append(buildFlags, "-o", binPath, ".")...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}
