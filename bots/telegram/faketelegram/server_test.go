package faketelegram

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func newSDK(t *testing.T, s *Server) *bot.Bot {
	t.Helper()
	b, err := bot.New(s.Token, bot.WithServerURL(s.URL()), bot.WithSkipGetMe(),
		bot.WithErrorsHandler(func(error) {}))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var dana = User{ID: 42, FirstName: "Dana", LanguageCode: "de"}

func TestSendMessageLimits(t *testing.T) {
	s := Start(Options{})
	defer s.Close()
	b := newSDK(t, s)
	ctx := context.Background()
	s.StartUser(dana)
	kb := func(data string) models.ReplyMarkup {
		return json.RawMessage(`{"inline_keyboard":[[{"text":"x","callback_data":` + strconv.Quote(data) + `}]]}`)
	}
	sdkButton := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "x", CallbackData: "d"}}}}
	tests := []struct {
		name   string
		params bot.SendMessageParams
		want   string // "" for success, else a substring of the error
	}{
		{"html ok", bot.SendMessageParams{ChatID: 42, Text: "<b>hi</b> &lt;b&gt; &amp; &#39;", ParseMode: models.ParseModeHTML}, ""},
		{"bad html", bot.SendMessageParams{ChatID: 42, Text: "<b>hi", ParseMode: models.ParseModeHTML}, "can't parse entities"},
		{"bare lt", bot.SendMessageParams{ChatID: 42, Text: "a <x> b", ParseMode: models.ParseModeHTML}, "can't parse entities"},
		{"bare amp", bot.SendMessageParams{ChatID: 42, Text: "a & b", ParseMode: models.ParseModeHTML}, "can't parse entities"},
		{"empty", bot.SendMessageParams{ChatID: 42, Text: "<b> </b>", ParseMode: models.ParseModeHTML}, "message text is empty"},
		{"4096", bot.SendMessageParams{ChatID: 42, Text: strings.Repeat("é", 4096)}, ""},
		{"4097", bot.SendMessageParams{ChatID: 42, Text: strings.Repeat("a", 4097)}, "message is too long"},
		{"tags do not count", bot.SendMessageParams{ChatID: 42, Text: "<b>" + strings.Repeat("a", 4096) + "</b>", ParseMode: models.ParseModeHTML}, ""},
		{"data 64", bot.SendMessageParams{ChatID: 42, Text: "q", ReplyMarkup: kb(strings.Repeat("d", 64))}, ""},
		{"data 65", bot.SendMessageParams{ChatID: 42, Text: "q", ReplyMarkup: kb(strings.Repeat("d", 65))}, "BUTTON_DATA_INVALID"},
		{"data empty", bot.SendMessageParams{ChatID: 42, Text: "q", ReplyMarkup: kb("")}, "BUTTON_DATA_INVALID"},
		{"sdk button type", bot.SendMessageParams{ChatID: 42, Text: "q", ReplyMarkup: sdkButton}, "BUTTON_COPY_TEXT_INVALID"},
		{"never started", bot.SendMessageParams{ChatID: 77, Text: "q"}, "Forbidden: bot can't initiate conversation"},
		{"unknown group", bot.SendMessageParams{ChatID: -5, Text: "q"}, "chat not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.SendMessage(ctx, &tt.params)
			if tt.want == "" && err != nil {
				t.Fatalf("err = %v, want success", err)
			}
			if tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	ms := s.BotMessages(42)
	if len(ms) != 4 || ms[0].Text != "hi <b> & '" {
		t.Fatalf("messages = %+v", ms)
	}
}

func TestFaults(t *testing.T) {
	s := Start(Options{})
	defer s.Close()
	b := newSDK(t, s)
	ctx := context.Background()
	s.StartUser(dana)
	s.AddGroup(-100, "team")
	send := func(chat int64) error {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat, Text: "hello"})
		return err
	}

	s.RateLimit("sendMessage", 1, 7)
	var tm *bot.TooManyRequestsError
	if err := send(42); !errors.As(err, &tm) || tm.RetryAfter != 7 {
		t.Fatalf("429: err = %v", err)
	}
	if err := send(42); err != nil {
		t.Fatalf("after the fault: %v", err)
	}
	s.Block(42)
	if err := send(42); !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "bot was blocked by the user") {
		t.Fatalf("blocked: err = %v", err)
	}
	s.MigrateGroup(-100, -1001234567890)
	var me *bot.MigrateError
	if err := send(-100); !errors.As(err, &me) || me.MigrateToChatID != -1001234567890 {
		t.Fatalf("migrated: err = %v", err)
	}
	if err := send(-1001234567890); err != nil {
		t.Fatalf("send to the supergroup: %v", err)
	}
	s.FailNext("sendMessage", 1, 502)
	if err := send(-1001234567890); err == nil || !strings.Contains(err.Error(), "502") {
		t.Fatalf("502: err = %v", err)
	}
	if got := len(s.Calls("sendMessage")); got != 6 {
		t.Fatalf("recorded %d sendMessage calls, want 6", got)
	}
}

// getUpdates forgets an update only when a later call's offset passes it.
func TestGetUpdatesOffsets(t *testing.T) {
	s := Start(Options{})
	defer s.Close()
	poll := func(offset int64, timeout int) []int64 {
		t.Helper()
		resp, err := http.PostForm(s.URL()+"/bot"+s.Token+"/getUpdates", url.Values{
			"offset": {itoa(offset)}, "timeout": {itoa(int64(timeout))}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r struct {
			OK     bool
			Result []wireUpdate
		}
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || !r.OK {
			t.Fatalf("decode: %v %+v", err, r)
		}
		var ids []int64
		for _, u := range r.Result {
			ids = append(ids, u.UpdateID)
		}
		return ids
	}
	a := s.Send(Post{From: dana, Text: "hi"})
	b := s.Send(Post{From: dana, Text: "/start tok"})
	if got := poll(0, 0); len(got) != 2 || got[0] != a || got[1] != b {
		t.Fatalf("first poll = %v", got)
	}
	if got := poll(0, 0); len(got) != 2 {
		t.Fatalf("unconfirmed updates must come back, got %v", got)
	}
	if got := poll(b, 0); len(got) != 1 || got[0] != b {
		t.Fatalf("offset %d = %v", b, got)
	}
	if s.Confirmed() != b {
		t.Fatalf("confirmed = %d, want %d", s.Confirmed(), b)
	}
	done := make(chan []int64)
	go func() { done <- poll(b+1, 5) }()
	time.Sleep(20 * time.Millisecond) // let the poll start waiting; correctness does not depend on it
	c := s.Send(Post{From: dana, Text: "late"})
	if got := <-done; len(got) != 1 || got[0] != c {
		t.Fatalf("long poll = %v, want [%d]", got, c)
	}
	s.Redeliver(a)
	if got := poll(0, 0); len(got) != 2 || got[0] != a || got[1] != c {
		t.Fatalf("after redelivery = %v", got)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestHoldDelaysTheAnswer(t *testing.T) {
	s := Start(Options{})
	defer s.Close()
	b := newSDK(t, s)
	s.StartUser(dana)
	release := s.Hold("sendMessage")
	done := make(chan error, 1)
	go func() {
		_, err := b.SendMessage(context.Background(), &bot.SendMessageParams{ChatID: 42, Text: "held"})
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("the call returned while held: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	if n := len(s.Messages(42)); n != 0 {
		t.Fatalf("a held call took effect: %d messages", n)
	}
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitBotText(42, 5*time.Second, "held"); err != nil {
		t.Fatal(err)
	}
}
