package slack

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"

	"earshot/bots/internal/kit"
	"earshot/core"
	"earshot/core/coretest"
)

func testPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 390, 300))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestUploadSharesTheFile: the chart goes through Slack's three-step upload with the real
// SDK and is shared in the owner's DM with its caption and alt text; a workspace that
// restricts uploads refuses it for good with Slack's reason, and the channel's text is
// untouched.
func TestUploadSharesTheFile(t *testing.T) {
	fs := newFake(t)
	b := newBot(t, fs, coretest.NewHandler(nil), false)
	ctx := context.Background()
	data := testPNG(t)
	to := core.ChatRef{Platform: core.Slack, ID: member}
	id, err := b.Upload(ctx, to, true, core.Upload{Name: "digest-2026-W47.png", MIME: "image/png", Data: data,
		Caption: "Scores, the 12 weeks to 2026-W47", Alt: strings.Repeat("Courtesy rose. ", 100)})
	if err != nil {
		t.Fatal(err)
	}
	ch, fileID, ok := kit.ParseSentID(id)
	if !ok {
		t.Fatalf("sent id %q", id)
	}
	files := fs.Files(ch)
	if len(files) != 1 || files[0].ID != fileID || !bytes.Equal(files[0].Data, data) || !bytes.HasPrefix(files[0].Data, []byte("\x89PNG")) ||
		files[0].Comment != "Scores, the 12 weeks to 2026-W47" || files[0].Name != "digest-2026-W47.png" ||
		len([]rune(files[0].AltText)) != MaxAltText {
		t.Fatalf("DM %s has files %+v", ch, files)
	}
	for _, c := range []string{"files.getUploadURLExternal", "files.completeUploadExternal"} {
		if len(fs.Calls(c)) != 1 {
			t.Errorf("%s called %d times", c, len(fs.Calls(c)))
		}
	}

	fs.RestrictUploads(len(data) - 1)
	_, err = b.Upload(ctx, core.ChatRef{Platform: core.Slack, ID: team}, false, core.Upload{Name: "c.png", MIME: "image/png", Data: data})
	var de *core.DeliveryError
	if !errors.As(err, &de) || de.Kind != core.DeliveryPermanent || de.Unreachable || de.Reason != "file_upload_size_restricted" {
		t.Fatalf("a file over the workspace's limit: %v", err)
	}
	if n := len(fs.Files(team)); n != 0 {
		t.Fatalf("%d files shared after the refusal", n)
	}
}
