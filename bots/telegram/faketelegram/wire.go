package faketelegram

// The JSON shapes of the Bot API, written out here rather than borrowed from the SDK's
// models so that the fake checks the SDK's encoding instead of sharing its assumptions.

type wireUser struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

type wireChat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Username  string `json:"username,omitempty"`
}

type wireEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

type wireMessage struct {
	MessageID      int           `json:"message_id"`
	From           *wireUser     `json:"from,omitempty"`
	Chat           wireChat      `json:"chat"`
	Date           int64         `json:"date"`
	EditDate       int64         `json:"edit_date,omitempty"`
	Text           string        `json:"text,omitempty"`
	Entities       []wireEntity  `json:"entities,omitempty"`
	Caption        string        `json:"caption,omitempty"`
	Photo          []wireFile    `json:"photo,omitempty"`
	Sticker        *wireFile     `json:"sticker,omitempty"`
	Voice          *wireFile     `json:"voice,omitempty"`
	Document       *wireFile     `json:"document,omitempty"`
	ReplyToMessage *wireMessage  `json:"reply_to_message,omitempty"`
	ReplyMarkup    *wireKeyboard `json:"reply_markup,omitempty"`
}

type wireCallback struct {
	ID           string       `json:"id"`
	From         wireUser     `json:"from"`
	Message      *wireMessage `json:"message,omitempty"`
	ChatInstance string       `json:"chat_instance"`
	Data         string       `json:"data,omitempty"`
}

type wireUpdate struct {
	UpdateID      int64         `json:"update_id"`
	Message       *wireMessage  `json:"message,omitempty"`
	CallbackQuery *wireCallback `json:"callback_query,omitempty"`
}

type wireButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

type wireKeyboard struct {
	InlineKeyboard [][]wireButton `json:"inline_keyboard"`
}

type wireReplyParameters struct {
	MessageID                int  `json:"message_id"`
	AllowSendingWithoutReply bool `json:"allow_sending_without_reply"`
}

type wireCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

type wireScope struct {
	Type   string `json:"type"`
	ChatID any    `json:"chat_id,omitempty"`
}

type wireResponse struct {
	OK          bool            `json:"ok"`
	Result      any             `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
	Parameters  *wireParameters `json:"parameters,omitempty"`
}

type wireParameters struct {
	RetryAfter      int   `json:"retry_after,omitempty"`
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
}

// wireFile is the common part of photos, stickers, voice notes and documents.
type wireFile struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width,omitempty"`
	Height       int    `json:"height,omitempty"`
	Duration     int    `json:"duration,omitempty"`
	Type         string `json:"type,omitempty"` // stickers: "regular"
}
