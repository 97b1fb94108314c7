package sqlite

import (
	"testing"
)

func TestScrubString(t *testing.T) {
	long := "The bike came two days late and nobody told me."
	cases := []struct {
		name, in, want string
		texts          []string
	}{
		{"whole", `  “` + long + `” (lowest score 2)`, `  “[erased]” (lowest score 2)`, []string{long}},
		{"excerpt", "“The bike came two days l…”", "“[erased]”", []string{long}},
		{"collapsed space", "C-1001: The bike came two days late and", "C-1001: [erased]",
			[]string{"The bike   came\ntwo days late and"}},
		{"twice", long + " / " + long, "[erased] / [erased]", []string{long}},
		{"short text left", "ok, thanks", "ok, thanks", []string{"ok"}},
		{"other text left", "The bike was great", "The bike was great", []string{long}},
		{"several texts", "a: " + long + " b: Fix the brakes please!", "a: [erased] b: [erased]",
			[]string{long, "Fix the brakes please!"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := scrubString(c.in, c.texts); got != c.want {
				t.Errorf("scrubString(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}
