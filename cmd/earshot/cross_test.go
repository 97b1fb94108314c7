//go:build unix

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"earshot/bots/slack/fakeslack"
	"earshot/bots/telegram/faketelegram"
)

// TestTelegramCustomerSlackTeam runs serve with two platforms: a customer complains on
// Telegram, the team handles it in its Slack channel, and every word crosses over — the
// card, the acknowledgement, a reply in the card's thread, the customer's answer.
func TestTelegramCustomerSlackTeam(t *testing.T) {
	if testing.Short() {
		t.Skip("runs earshot serve as a child process")
	}
	bin := earshotBinary(t)
	tg := faketelegram.New(faketelegram.Options{})
	defer tg.Close()
	sl := fakeslack.New(fakeslack.Options{})
	defer sl.Close()
	sl.AddUser(fakeslack.User{ID: "U01", Name: "lee", RealName: "Lee", TZ: "Europe/Berlin", Locale: "en-GB"})
	sl.AddChannel(fakeslack.Channel{ID: "C0123", Name: "support", BotMember: true})

	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	err := os.WriteFile(cfg, []byte(fmt.Sprintf(`business: {name: Acme Bikes, timezone: Europe/Berlin}
storage: {path: %s}
http: {listen: ""}
%s%s
team:
  channel: slack:C0123
  members: [{name: Lee, role: owner, accounts: ["slack:U01"]}]
delivery:
  telegram: {rate: 100, chat_rate: 20, burst: 20}
  slack: {rate: 100, chat_rate: 20, burst: 20}
`, filepath.Join(dir, "e.db"), tg.ConfigYAML(), sl.ConfigYAML(true))), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "serve.log")
	t.Cleanup(func() {
		if t.Failed() {
			out, _ := os.ReadFile(logPath)
			t.Logf("serve log:\n%s", out)
		}
	})
	c := startServe(t, bin, cfg, logPath)
	defer c.kill9()

	ana := faketelegram.User{ID: 3001, FirstName: "Ana", LanguageCode: "es"}
	tg.Send(faketelegram.Post{From: ana, Text: "/complain The saddle arrived torn"})
	waitUntil(t, 20*time.Second, "the customer's receipt on Telegram", func() bool {
		return botSaid(tg, ana.ID, "Complaint C-1001 received")
	})
	var card fakeslack.Message
	waitUntil(t, 20*time.Second, "the card in Slack", func() bool {
		for _, m := range sl.Messages("C0123") {
			if strings.Contains(m.Shown(), "C-1001") && strings.Contains(m.Shown(), "The saddle arrived torn") {
				card = m
				return true
			}
		}
		return false
	})
	if !strings.Contains(card.Shown(), "telegram:3001") {
		t.Fatalf("the card does not say who and where: %s", card.Shown())
	}

	click, err := sl.Click("U01", "C0123", card.TS, "Acknowledge")
	if err != nil {
		t.Fatal(err)
	}
	sl.Send(click)
	waitUntil(t, 20*time.Second, "the acknowledgement on Telegram", func() bool {
		return botSaid(tg, ana.ID, "Lee from Acme Bikes is looking at your complaint C-1001")
	})

	sl.Send(sl.ChannelMessage("C0123", "U01", "Sorry, Ana! A new saddle goes out today.", card.TS))
	waitUntil(t, 20*time.Second, "Lee's reply on Telegram", func() bool {
		return botSaid(tg, ana.ID, "A new saddle goes out today.")
	})
	tg.Send(faketelegram.Post{From: ana, Text: "Great, thank you!"})
	waitUntil(t, 20*time.Second, "Ana's answer in the card's Slack thread", func() bool {
		for _, m := range sl.Thread("C0123", card.TS) {
			if strings.Contains(m.Shown(), "Great, thank you!") {
				return true
			}
		}
		return false
	})
}

func botSaid(s *faketelegram.Server, chat int64, text string) bool {
	for _, m := range s.BotMessages(chat) {
		if strings.Contains(m.Text, text) {
			return true
		}
	}
	return false
}
