package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"earshot/bots/discord/fakediscord"
	"earshot/bots/slack/fakeslack"
	"earshot/bots/telegram/faketelegram"
	"earshot/cmd/earshot/internal/config"
	"earshot/core"
)

// TestDigestChartOnEveryPlatform: the weekly digest, with the chart serve draws, reaches an
// owner on each platform through the real adapters and SDKs: the text first, then the PNG
// — a Telegram photo, a Slack file shared in the DM, a Discord attachment shown in the
// embed — each within the platform's limits.
func TestDigestChartOnEveryPlatform(t *testing.T) {
	tg := faketelegram.New(faketelegram.Options{})
	defer tg.Close()
	tg.StartUser(faketelegram.User{ID: 42, FirstName: "Tina"})
	sl := fakeslack.New(fakeslack.Options{})
	defer sl.Close()
	sl.AddUser(fakeslack.User{ID: "U01", Name: "sara"})
	sl.AddChannel(fakeslack.Channel{ID: "C0123", Name: "support", BotMember: true})
	dc := fakediscord.New(fakediscord.Options{})
	defer dc.Close()
	const dan = "700000000000000001"

	cfg, err := config.Parse([]byte(fmt.Sprintf(`business: {name: Acme Bikes, timezone: UTC}
http: {listen: "127.0.0.1:0"}
%s%s%s
team:
  channel: slack:C0123
  members:
    - {name: Tina, role: owner, accounts: ["telegram:42"]}
    - {name: Sara, role: owner, accounts: ["slack:U01"]}
    - {name: Dan, role: owner, accounts: ["discord:%s"]}
surveys:
  - name: after-delivery
    trigger: delivery
    questions:
      - {key: courtesy, text: "How courteous were we?", type: scale, min: 1, max: 10}
`, tg.ConfigYAML(), sl.ConfigYAML(false), dc.ConfigYAML(), dan)), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	ads, _, err := buildAdapters(cfg, &lateHandler{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	s := startTestServerWith(t, cfg, nil, messengers(ads)...)
	ctx := context.Background()
	at := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	err = s.a.db.Update(ctx, func(tx core.Tx) error {
		tina := core.Contact{Ref: core.UserRef{Platform: core.Telegram, ID: "42"}, SeenAt: at, CreatedAt: at}
		if err := tx.CreateContact(&tina); err != nil { // Tina opened the bot: it may DM her
			return err
		}
		ct := core.Contact{Ref: core.UserRef{Platform: core.Telegram, ID: "3001"}, CreatedAt: at}
		if err := tx.CreateContact(&ct); err != nil {
			return err
		}
		run := core.SurveyRun{ContactID: ct.ID, Plan: "after-delivery", State: core.RunCompleted, DueAt: at, SentAt: at, CreatedAt: at}
		if err := tx.CreateRun(&run); err != nil {
			return err
		}
		score := 7
		return tx.AddAnswer(&core.Answer{RunID: run.ID, ContactID: ct.ID, Plan: run.Plan, QuestionKey: "courtesy", Score: &score, AnsweredAt: at})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.a.svc.SendDigest(ctx, core.WeekOf(at, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.a.svc.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	png := func(where string, data []byte, limit int) {
		t.Helper()
		if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) || len(data) > limit {
			t.Errorf("%s: %d bytes, PNG %v; want a PNG within %d bytes", where, len(data), bytes.HasPrefix(data, []byte("\x89PNG")), limit)
		}
	}

	ms := tg.BotMessages(42)
	if len(ms) != 2 || ms[1].Media != "photo" || ms[0].Media != "" {
		t.Fatalf("Telegram: %+v, want the text digest then a photo", ms)
	}
	png("Telegram photo", ms[1].Photo, faketelegram.MaxPhotoBytes)

	im := sl.IMChannel("U01")
	if files := sl.Files(im); len(files) != 1 || len(sl.Messages(im)) != 1 || files[0].AltText == "" {
		t.Fatalf("Slack DM %s: files %+v, %d messages; want the text and the chart with alt text", im, files, len(sl.Messages(im)))
	} else {
		png("Slack file", files[0].Data, fakeslack.MaxFileBytes)
	}

	ch, ok := dc.DMChannel(dan)
	dm := dc.Messages(ch)
	if !ok || len(dm) != 2 || len(dm[1].Attachments) != 1 || dm[1].Embeds[0].Image == nil ||
		dm[1].Embeds[0].Image.URL != dm[1].Attachments[0].URL {
		t.Fatalf("Discord DM: %+v, want the text then the chart shown in its embed", dm)
	}
	png("Discord attachment", dm[1].Attachments[0].Data, fakediscord.MaxUploadBytes)
}
