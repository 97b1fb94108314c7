package qr

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

// decode reads a QR code back with an independent reader (a port of ZXing).
func decode(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the reader cannot read the code: %v", err)
	}
	return res.GetText()
}

func TestPNGDecodesToTheLink(t *testing.T) {
	for _, link := range []string{
		"https://t.me/acme_bikes_bot?start=inv_3kq9x2m8a7d4f1c6",
		"Open Slack, find the app Acme Bikes and type: start inv_3kq9x2m8a7d4f1c6",
		"https://discord.com/users/1234567890123456789 — send: start inv_3kq9x2m8a7d4f1c6",
	} {
		b, err := PNG(link, 512)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			t.Fatal("not a PNG")
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if w := img.Bounds().Dx(); w < 256 || w > 600 {
			t.Errorf("%d px wide for a 512 px request", w)
		}
		if got := decode(t, img); got != link {
			t.Errorf("decoded %q, want %q", got, link)
		}
	}
}

func TestPNGRefusesNothing(t *testing.T) {
	if _, err := PNG("  ", 512); err == nil {
		t.Error("an empty link encoded")
	}
}

var moduleRun = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)

// TestCardDrawsTheSameCode rebuilds the card's modules from its path and compares them with
// the encoder's, then has the reader decode a raster of them.
func TestCardDrawsTheSameCode(t *testing.T) {
	link := "https://t.me/acme_bikes_bot?start=inv_3kq9x2m8a7d4f1c6"
	var buf bytes.Buffer
	err := WriteCardSVG(&buf, Card{Business: `Acme <Bikes> & "Sons"`, Line: "Scan to tell us how we did", Link: link})
	if err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	if err := xml.Unmarshal(buf.Bytes(), new(struct{ XMLName xml.Name })); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, svg)
	}
	if strings.Contains(svg, "<Bikes>") || !strings.Contains(svg, "Acme &lt;Bikes&gt; &amp; &#34;Sons&#34;") {
		t.Errorf("business name not escaped:\n%s", svg)
	}
	for _, want := range []string{"Scan to tell us how we did", link} {
		if !strings.Contains(svg, want) {
			t.Errorf("card lacks %q", want)
		}
	}
	c, err := code(link)
	if err != nil {
		t.Fatal(err)
	}
	n := c.Bounds().Dx()
	side := n + 2*quiet
	grid := image.NewGray(image.Rect(0, 0, side*8, side*8))
	for i := range grid.Pix {
		grid.Pix[i] = 0xff
	}
	drawn := map[[2]int]bool{}
	for _, m := range moduleRun.FindAllStringSubmatch(svg, -1) {
		var x, y, run int
		fmt.Sscan(m[1]+" "+m[2]+" "+m[3], &x, &y, &run)
		for i := range run {
			drawn[[2]int{x + i - quiet, y - quiet}] = true
			for dy := range 8 {
				for dx := range 8 {
					grid.Pix[(y*8+dy)*grid.Stride+(x+i)*8+dx] = 0
				}
			}
		}
	}
	for y := range n {
		for x := range n {
			if drawn[[2]int{x, y}] != dark(c, x, y) {
				t.Fatalf("module (%d,%d) drawn %v, encoder says %v", x, y, drawn[[2]int{x, y}], dark(c, x, y))
			}
		}
	}
	if got := decode(t, grid); got != link {
		t.Errorf("card's code decodes to %q", got)
	}
}
