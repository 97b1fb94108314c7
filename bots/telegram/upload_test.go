package telegram

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"strconv"
	"strings"
	"testing"

	"earshot/core"
	"earshot/core/coretest"
)

// testPNG is a real PNG picture, as the chart renderer makes.
func testPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 390, 300))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestUploadSendsAPhoto: the chart arrives as a photo through the SDK's multipart
// sendPhoto, with its caption; one over Telegram's 10 MB is refused for good with a reason
// the dead letter can show, and a refused chat is permanent too.
func TestUploadSendsAPhoto(t *testing.T) {
	h := newHarness(t)
	h.fake.StartUser(dana)
	b := h.bot(t, coretest.NewHandler(nil), nil)
	ctx := context.Background()
	data := testPNG(t)

	id, err := b.Upload(ctx, dm(42), true, core.Upload{Name: "digest-2026-W47.png", MIME: "image/png", Data: data,
		Caption: "Scores, the 12 weeks to 2026-W47", Alt: "Courtesy, weekly average…"})
	if err != nil {
		t.Fatal(err)
	}
	ms := h.fake.BotMessages(42)
	if len(ms) != 1 || ms[0].Media != "photo" || !bytes.Equal(ms[0].Photo, data) || !bytes.HasPrefix(ms[0].Photo, []byte("\x89PNG")) ||
		ms[0].Text != "Scores, the 12 weeks to 2026-W47" {
		t.Fatalf("chat shows %+v", ms)
	}
	if id != "42/"+strconv.Itoa(ms[0].ID) {
		t.Errorf("sentID = %q", id)
	}

	big := append(append([]byte{}, data...), make([]byte, MaxPhotoBytes)...)
	_, err = b.Upload(ctx, dm(42), true, core.Upload{Name: "big.png", MIME: "image/png", Data: big})
	var de *core.DeliveryError
	if !errors.As(err, &de) || de.Kind != core.DeliveryPermanent || de.Unreachable || !strings.Contains(de.Reason, "Telegram takes photos up to") {
		t.Fatalf("an 11 MB photo: %v", err)
	}
	if n := len(h.fake.BotMessages(42)); n != 1 {
		t.Fatalf("%d messages after the refused photo", n)
	}

	_, err = b.Upload(ctx, dm(77), true, core.Upload{Name: "c.png", MIME: "image/png", Data: data}) // never opened the bot
	if !errors.As(err, &de) || de.Kind != core.DeliveryPermanent || !de.Unreachable {
		t.Fatalf("a chat that never started the bot: %v", err)
	}
}
