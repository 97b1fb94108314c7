package faketelegram

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// TestSendPhotoLimits: the SDK's multipart sendPhoto lands as a photo; the fake refuses
// what Telegram refuses.
func TestSendPhotoLimits(t *testing.T) {
	s := Start(Options{})
	defer s.Close()
	b := newSDK(t, s)
	ctx := context.Background()
	s.StartUser(dana)
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)
	photo := func(data []byte) models.InputFile {
		return &models.InputFileUpload{Filename: "c.png", Data: bytes.NewReader(data)}
	}
	tests := []struct {
		name    string
		p       *bot.SendPhotoParams
		wantErr string
	}{
		{"a png", &bot.SendPhotoParams{ChatID: 42, Photo: photo(png), Caption: "Scores"}, ""},
		{"over 10 MB", &bot.SendPhotoParams{ChatID: 42, Photo: photo(append(png, make([]byte, MaxPhotoBytes)...))}, "photo is too big"},
		{"not a picture", &bot.SendPhotoParams{ChatID: 42, Photo: photo([]byte("hello"))}, "IMAGE_PROCESS_FAILED"},
		{"caption too long", &bot.SendPhotoParams{ChatID: 42, Photo: photo(png), Caption: strings.Repeat("x", MaxCaptionLength+1)}, "caption is too long"},
		{"no photo", &bot.SendPhotoParams{ChatID: 42, Photo: &models.InputFileString{Data: "https://example.com/x.png"}}, "wrong file identifier"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := b.SendPhoto(ctx, tc.p)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
	ms := s.BotMessages(42)
	if len(ms) != 1 || ms[0].Media != "photo" || !bytes.Equal(ms[0].Photo, png) || ms[0].Text != "Scores" {
		t.Fatalf("chat shows %+v", ms)
	}
}
