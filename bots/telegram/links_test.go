package telegram

import (
	"testing"

	"github.com/go-telegram/bot/models"
)

// A text link keeps the words the person gave it, and its address.
func TestWithLinksKeepsLabels(t *testing.T) {
	link := func(off, n int, url string) models.MessageEntity {
		return models.MessageEntity{Type: models.MessageEntityTypeTextLink, Offset: off, Length: n, URL: url}
	}
	bold := models.MessageEntity{Type: models.MessageEntityTypeBold, Offset: 0, Length: 3}
	for _, tc := range []struct {
		text     string
		entities []models.MessageEntity
		want     string
	}{
		{"see my order page please", []models.MessageEntity{link(4, 13, "https://example.com/o/17")},
			"see my order page (https://example.com/o/17) please"},
		// Offsets count UTF-16 units: the emoji before the link is two.
		{"😀 page and shop", []models.MessageEntity{bold, link(3, 4, "https://a.example"), link(12, 4, "https://b.example")},
			"😀 page (https://a.example) and shop (https://b.example)"},
		{"https://example.com", []models.MessageEntity{link(0, 19, "https://example.com/")}, "https://example.com"},
		{"plain text", nil, "plain text"},
		{"bad entity", []models.MessageEntity{link(8, 40, "https://x.example")}, "bad entity (https://x.example)"},
	} {
		if got := withLinks(tc.text, tc.entities); got != tc.want {
			t.Errorf("withLinks(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
