package discord

import "testing"

// A link keeps the words the person gave it, and its address.
func TestPlainLinksKeepLabels(t *testing.T) {
	for content, want := range map[string]string{
		"see [my order page](https://example.com/o/17)":   "see my order page (https://example.com/o/17)",
		"[my order page](<https://example.com>) please":   "my order page (https://example.com) please",
		"[https://example.com](https://example.com/)":     "https://example.com/",
		"no preview <https://example.com/a?b=1>":          "no preview https://example.com/a?b=1",
		"[not a link](javascript:alert) and [x] (y) stay": "[not a link](javascript:alert) and [x] (y) stay",
		"<@123> and <#456> stay":                          "<@123> and <#456> stay",
	} {
		if got := plainLinks(content); got != want {
			t.Errorf("plainLinks(%q) = %q, want %q", content, got, want)
		}
	}
}
