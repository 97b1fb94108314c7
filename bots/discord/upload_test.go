package discord

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"earshot/bots/internal/kit"
	"earshot/core"
)

func testPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 390, 300))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestUploadShowsTheChartInAnEmbed: the chart is posted as files[0] with payload_json, the
// embed's image names it (attachment://), the alt text is the attachment's description; a
// file over Discord's 10 MiB is refused for good with the reason, by the adapter and by the
// fake alike.
func TestUploadShowsTheChartInAnEmbed(t *testing.T) {
	fake, b := newBot(t, nil)
	ctx := context.Background()
	data := testPNG(t)
	to := core.ChatRef{Platform: core.Discord, ID: "500000000000000001"}
	id, err := b.Upload(ctx, to, true, core.Upload{Name: "digest-2026-W47.png", MIME: "image/png", Data: data,
		Caption: "Scores, the 12 weeks to 2026-W47", Alt: "Courtesy, weekly average over 12 weeks"})
	if err != nil {
		t.Fatal(err)
	}
	ch, mid, _ := kit.ParseSentID(id)
	m, ok := fake.Message(mid)
	if !ok || m.ChannelID != ch || len(m.Attachments) != 1 || len(m.Embeds) != 1 {
		t.Fatalf("message %q = %+v", id, m)
	}
	a := m.Attachments[0]
	if !bytes.Equal(a.Data, data) || !bytes.HasPrefix(a.Data, []byte("\x89PNG")) || a.Size > 10<<20 ||
		a.Filename != "digest-2026-W47.png" || a.Description != "Courtesy, weekly average over 12 weeks" || a.ContentType != "image/png" {
		t.Fatalf("attachment = %+v", a)
	}
	if e := m.Embeds[0]; e.Image == nil || e.Image.URL != a.URL || e.Title != "Scores, the 12 weeks to 2026-W47" {
		t.Fatalf("embed = %+v, want its image to be the attachment %s", e, a.URL)
	}

	big := append(append([]byte{}, data...), make([]byte, MaxUploadBytes)...)
	_, err = b.Upload(ctx, to, true, core.Upload{Name: "big.png", MIME: "image/png", Data: big})
	var de *core.DeliveryError
	if !errors.As(err, &de) || de.Kind != core.DeliveryPermanent || !strings.Contains(de.Reason, "Discord takes up to") {
		t.Fatalf("an 11 MiB file: %v", err)
	}
}

// TestFakeRefusesFilesOverTheLimit: the fake answers an upload over 10 MiB as Discord does,
// 413 with code 40005, which the adapter classifies as permanent.
func TestFakeRefusesFilesOverTheLimit(t *testing.T) {
	fake, b := newBot(t, nil)
	send := func(size int) error {
		data := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, size)...)
		_, err := b.s.ChannelMessageSendComplex(fake.TeamChannelID, &discordgo.MessageSend{
			Files: []*discordgo.File{{Name: "c.png", ContentType: "image/png", Reader: bytes.NewReader(data)}}})
		return err
	}
	if err := send(1 << 20); err != nil {
		t.Fatalf("1 MiB: %v", err)
	}
	err := send(10 << 20)
	if status, code, _, ok := restCode(err); !ok || status != 413 || code != 40005 {
		t.Fatalf("over 10 MiB: %v, want 413 / 40005", err)
	}
	var de *core.DeliveryError
	if !errors.As(classify("upload file", err, &callInfo{}), &de) || de.Kind != core.DeliveryPermanent || de.Reason != "Request entity too large" {
		t.Fatalf("classified %+v", de)
	}
}
