package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnswersCommand exports the demo's answers as CSV and as JSON lines.
func TestAnswersCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if err := runDemo(context.Background(), &bytes.Buffer{}, db); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "earshot.yaml")
	if err := os.WriteFile(cfg, []byte("business: {timezone: Europe/Berlin}\nstorage: {path: demo.db}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI(t, "answers", "--config", cfg, "--from", "2026-11-01", "--to", "2026-12-01", "--format", "csv")
	if err != nil {
		t.Fatalf("answers: %v\n%s", err, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, out)
	}
	if len(recs) < 4 || recs[0][0] != "survey" || !strings.Contains(errOut, "answers") {
		t.Fatalf("records %v; stderr %q", recs, errOut)
	}
	var scores []string
	for _, r := range recs[1:] {
		if r[8] != "console:maria" {
			t.Errorf("customer %q", r[8])
		}
		scores = append(scores, r[4])
	}
	if strings.Join(scores[:3], " ") != "9 3 8" {
		t.Errorf("Maria's scores %v, want 9 3 8 first", scores)
	}

	out, _, err = runCLI(t, "answers", "--config", cfg, "--from", "2026-11-01")
	if err != nil || !strings.Contains(out, `"question":"courtesy","kind":"scale","value":9`) {
		t.Fatalf("JSON lines: %v\n%s", err, out)
	}
	for args, want := range map[string]string{
		"--from 2026-11-01 --format xlsx": "want json or csv",
		"--to 2026-12-01":                 "--from is required",
		"--from 11/01/2026":               "is not a date",
	} {
		_, _, err := runCLI(t, append([]string{"answers", "--config", cfg}, strings.Fields(args)...)...)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("answers %s: %v, want %q", args, err, want)
		}
	}
}
