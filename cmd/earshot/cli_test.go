package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// runCLI runs the binary's main logic in-process and returns its output and error.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestDemoRefusesAnExistingDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	if err := os.WriteFile(db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, "demo", "--db", db); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("demo on an existing file: %v", err)
	}
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConfigCheck(t *testing.T) {
	if out, _, err := runCLI(t, "config", "check", "--config", "../../config.example.yaml"); err != nil || !strings.Contains(out, "OK") {
		t.Fatalf("the example config: %v\n%s", err, out)
	}
	bad := []struct{ name, yaml, want string }{
		{"bad duration", "surveys:\n  - name: s\n    trigger: delivery\n    delay: soon\n    questions: [{key: q, text: Q, type: scale}]\n", "surveys[0].delay"},
		{"unknown key", "complaints: {acknowledge_within: 12h, resolve_withn: 48h}\n", "complaints.resolve_withn"},
		{"bad cron", "digest: {schedule: \"0 9 * * FUNDAY\"}\n", "digest.schedule"},
		{"bad member account", "team:\n  members:\n    - {name: Dana, role: owner, accounts: [dana]}\n", "team.members[0].accounts[0]"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCLI(t, "config", "check", "--config", writeConfig(t, tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("config check = %v; want an error naming %s", err, tt.want)
			}
		})
	}
}

func TestOperatorCommands(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, "storage: {path: "+filepath.Join(dir, "e.db")+"}\n")
	// A customer on a platform this configuration does not enable is refused.
	if _, _, err := runCLI(t, "touch", "--config", cfg, "--customer", "telegram:123", "--stage", "delivery", "--ref", "A-17",
		"--at", "2026-11-20T10:00:00Z"); err == nil || !strings.Contains(err.Error(), "telegram is not enabled") {
		t.Fatalf("touch on a disabled platform: %v", err)
	}
	if _, _, err := runCLI(t, "touch", "--config", cfg, "--customer", "console:123", "--stage", "delivery", "--at", "2126-11-20T10:00:00Z"); err == nil ||
		!strings.Contains(err.Error(), "more than a day in the future") {
		t.Fatalf("touch a century ahead: %v", err)
	}
	out, _, err := runCLI(t, "touch", "--config", cfg, "--customer", "console:123", "--stage", "delivery", "--ref", "A-17",
		"--at", "2026-11-20T10:00:00Z")
	if err != nil || !strings.Contains(out, "after-delivery: skipped: ") {
		t.Fatalf("touch: %v\n%s", err, out)
	}
	if _, _, err := runCLI(t, "touch", "--config", cfg, "--customer", "nope", "--stage", "delivery"); err == nil ||
		!strings.Contains(err.Error(), "--customer") {
		t.Fatalf("bad customer: %v", err)
	}
	if _, _, err := runCLI(t, "touch", "--config", cfg, "--customer", "console:1", "--stage", "moon"); err == nil ||
		!strings.Contains(err.Error(), `unknown stage "moon"`) {
		t.Fatalf("bad stage: %v", err)
	}
	out, _, err = runCLI(t, "complaints", "--config", cfg, "--json")
	if err != nil || strings.TrimSpace(out) != "[]" {
		t.Fatalf("complaints --json: %v %q", err, out)
	}
	out, _, err = runCLI(t, "export", "--config", cfg, "--customer", "console:123")
	var x map[string]any
	if err != nil || json.Unmarshal([]byte(out), &x) != nil || x["customer"] != "console:123" {
		t.Fatalf("export: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, "digest", "--config", cfg, "--week", "2026-W47", "--json")
	if err != nil || !strings.Contains(out, `"week": "2026-W47"`) {
		t.Fatalf("digest --json: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, "invite", "--config", cfg, "--stage", "delivery", "--ref", "A-18")
	if err != nil || !strings.HasPrefix(out, "token: ") {
		t.Fatalf("invite: %v\n%s", err, out)
	}
	backup := filepath.Join(dir, "copy.db")
	if _, _, err := runCLI(t, "backup", backup, "--config", cfg); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, "erase", "--config", cfg, "--customer", "console:123"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, "export", "--config", cfg, "--customer", "console:123"); err == nil {
		t.Fatal("export after erase found the customer")
	}
	if _, _, err := runCLI(t, "frobnicate"); err == nil {
		t.Fatal("unknown command accepted")
	}
}

// TestStaticBinaryRunsDemo builds the binary as the Dockerfile does, without cgo, and runs
// the demo with it.
func TestStaticBinaryRunsDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := earshotBinary(t)
	cmd := exec.Command(bin, "demo")
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "weekly digest 2026-W47") {
		t.Fatalf("demo with the static binary: %v\n%s", err, out)
	}
	cmd = exec.Command(bin, "config", "check", "--config", "/nonexistent.yaml")
	out, err = cmd.CombinedOutput()
	if err == nil || strings.Count(strings.TrimSpace(string(out)), "\n") != 0 {
		t.Fatalf("a failing command must exit non-zero with one line: %v %q", err, out)
	}
}
