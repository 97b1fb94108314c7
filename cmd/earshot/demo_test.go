package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoTranscript plays the demo in each language it speaks and compares the transcript
// with testdata/demo.golden (English) or testdata/demo.<lang>.golden; go test -update
// rewrites them. Beside the golden file, each transcript must show the steps of the
// lifecycle, and the survey in its own language only.
func TestDemoTranscript(t *testing.T) {
	for _, tc := range []struct {
		lang, golden string
		want, never  []string
	}{
		{"en", "demo.golden",
			[]string{"1/4 · How courteous", "We hope your delivery (A-17) arrived well.", "Complaint C-1001 received",
				"Only team members can use /ack", "Lee from Acme Bikes is looking at your complaint", "Is your problem solved?",
				"weekly digest 2026-W47", "C-1001  closed  console:maria  owner Lee  confirmed solved"},
			[]string{"Wie freundlich", "Schulz"}},
		{"de", "demo.de.golden",
			[]string{"1/4 · Wie freundlich waren wir?", "Wir hoffen, Ihre Lieferung (A-17) ist gut angekommen.",
				"4/4 · Was können wir besser machen?", "Maria writes: Das Rad kam zwei Tage zu spät",
				"Das tut uns sehr leid, Frau Schulz!", "C-1001  closed  console:maria  owner Lee  confirmed solved"},
			[]string{"How courteous", "We hope your delivery", "Maria Lopez"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var out bytes.Buffer
			if err := runDemoIn(context.Background(), &out, filepath.Join(t.TempDir(), "demo.db"), tc.lang); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.golden)
			if *update {
				if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if out.String() != string(want) {
				t.Errorf("demo transcript differs from %s (go test -update rewrites it):\n%s", path, out.String())
			}
			for _, s := range tc.want {
				if !strings.Contains(out.String(), s) {
					t.Errorf("the transcript lacks %q", s)
				}
			}
			for _, s := range tc.never {
				if strings.Contains(out.String(), s) {
					t.Errorf("the %s transcript has %q", tc.lang, s)
				}
			}
		})
	}
}

func TestDemoLanguages(t *testing.T) {
	if _, _, err := runCLI(t, "demo", "--lang", "fr"); err == nil || !strings.Contains(err.Error(), `--lang "fr": the demo speaks de or en`) {
		t.Errorf("demo --lang fr: %v", err)
	}
	// Every language the demo speaks has its golden transcript (English's is demo.golden).
	for _, l := range demoLangs() {
		name := "demo." + l + ".golden"
		if l == "en" {
			name = "demo.golden"
		}
		if _, err := os.Stat(filepath.Join("testdata", name)); err != nil {
			t.Errorf("--lang %s has no golden transcript: %v", l, err)
		}
	}
}
