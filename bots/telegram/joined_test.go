package telegram

import (
	"testing"

	"github.com/go-telegram/bot/models"
)

func TestJoinedGroup(t *testing.T) {
	const botID = 777
	group := models.Chat{ID: -1001234567890, Type: models.ChatTypeSupergroup, Title: "Support"}
	tests := []struct {
		name string
		m    *models.Message
		want string
	}{
		{"bot added", &models.Message{Chat: group, NewChatMembers: []models.User{{ID: botID, IsBot: true}}}, "telegram:-1001234567890"},
		{"group created with the bot", &models.Message{Chat: models.Chat{ID: -42, Type: models.ChatTypeGroup}, GroupChatCreated: true}, "telegram:-42"},
		{"someone else added", &models.Message{Chat: group, NewChatMembers: []models.User{{ID: 5}}}, ""},
		{"a plain message", &models.Message{Chat: group, Text: "hi"}, ""},
		{"a private chat", &models.Message{Chat: models.Chat{ID: 5, Type: models.ChatTypePrivate}, GroupChatCreated: true}, ""},
		{"no message", nil, ""},
	}
	for _, tt := range tests {
		if got := joinedGroup(tt.m, botID); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
