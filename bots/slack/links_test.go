package slack

import "testing"

// A link keeps the words the person gave it, and its address.
func TestPlainTextKeepsLinkLabels(t *testing.T) {
	for wire, want := range map[string]string{
		"<https://example.com|my order page>":        "my order page (https://example.com)",
		"see <https://example.com/a?b=1&amp;c=2|it>": "see it (https://example.com/a?b=1&c=2)",
		"<http://example.com|example.com>":           "example.com",
		"<https://example.com/|https://example.com>": "https://example.com",
		"<mailto:a@b.c|a@b.c>":                       "a@b.c",
		"<mailto:a@b.c|write to Ann>":                "write to Ann (a@b.c)",
		"<https://x.io|a &lt;b&gt; label>":           "a <b> label (https://x.io)",
	} {
		if got := plainText(wire); got != want {
			t.Errorf("plainText(%q) = %q, want %q", wire, got, want)
		}
	}
}
