package telegram

import (
	"strconv"

	"github.com/go-telegram/bot/models"
)

// joinedGroup returns the chat reference of the group or supergroup a message says the bot
// was just added to (or that was created with it), and "" for any other message. Serve
// logs it, so an operator learns the team group's id (telegram:-100…) without reading raw
// updates.
func joinedGroup(m *models.Message, botID int64) string {
	if m == nil || m.Chat.Type == models.ChatTypePrivate || m.Chat.Type == models.ChatTypeChannel {
		return ""
	}
	added := m.GroupChatCreated || m.SupergroupChatCreated
	for _, u := range m.NewChatMembers {
		if u.ID == botID || u.IsBot && botID == 0 {
			added = true
		}
	}
	if !added {
		return ""
	}
	return "telegram:" + strconv.FormatInt(m.Chat.ID, 10)
}
