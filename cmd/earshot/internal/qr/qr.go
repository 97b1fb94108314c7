// Package qr draws an invite as a QR code: a PNG for a receipt or a screen, and a printable
// card (SVG) for the counter with the business's name and one line of text. The code holds
// the link exactly as `earshot invite` prints it.
package qr

import (
	"bytes"
	"fmt"
	"html"
	"image"
	"image/png"
	"io"
	"strings"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
)

// quiet is the blank margin around a code, in modules, that the QR standard asks for.
const quiet = 4

// code encodes link with error correction level M (15 %: survives a smudge or a fold).
func code(link string) (barcode.Barcode, error) {
	if strings.TrimSpace(link) == "" {
		return nil, fmt.Errorf("qr: nothing to encode")
	}
	c, err := qr.Encode(link, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("qr: encode: %w", err)
	}
	return c, nil
}

// PNG returns link as a black-on-white QR code about size pixels wide (at least 4 pixels a
// module), with the quiet zone.
func PNG(link string, size int) ([]byte, error) {
	c, err := code(link)
	if err != nil {
		return nil, err
	}
	n := c.Bounds().Dx()
	scale := max(4, size/(n+2*quiet))
	side := (n + 2*quiet) * scale
	img := image.NewGray(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := range n {
		for x := range n {
			if dark(c, x, y) {
				for dy := range scale {
					row := ((y+quiet)*scale + dy) * img.Stride
					for dx := range scale {
						img.Pix[row+(x+quiet)*scale+dx] = 0
					}
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("qr: png: %w", err)
	}
	return buf.Bytes(), nil
}

func dark(c barcode.Barcode, x, y int) bool {
	r, _, _, _ := c.At(x, y).RGBA()
	return r < 0x8000
}

// Card is what a printable counter card shows.
type Card struct {
	Business string // the business's name, as a heading
	Line     string // one line of text in the business's language ("Scan to tell us how we did")
	Link     string // what the code holds, also printed small under it
}

// WriteCardSVG writes the card as an A6-proportioned SVG: the heading, the code drawn as
// one path of dark modules, the line and the link. Text is escaped; fonts are the viewer's.
func WriteCardSVG(w io.Writer, card Card) error {
	c, err := code(card.Link)
	if err != nil {
		return err
	}
	n := c.Bounds().Dx()
	const width, height, codeSide, top = 1050.0, 1480.0, 800.0, 260.0
	unit := codeSide / float64(n+2*quiet)
	left := (width - codeSide) / 2
	var path strings.Builder
	for y := range n {
		for x := 0; x < n; x++ {
			if !dark(c, x, y) {
				continue
			}
			run := 1
			for x+run < n && dark(c, x+run, y) {
				run++
			}
			fmt.Fprintf(&path, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run - 1
		}
	}
	esc := html.EscapeString
	_, err = fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="105mm" height="148mm" role="img" aria-label="%s">
<title>%s</title>
<rect width="100%%" height="100%%" fill="#fff"/>
<text x="%g" y="170" text-anchor="middle" font-family="sans-serif" font-size="72" font-weight="bold" fill="#000">%s</text>
<g transform="translate(%g %g) scale(%g)"><path fill="#000" d="%s"/></g>
<text x="%g" y="%g" text-anchor="middle" font-family="sans-serif" font-size="52" fill="#000">%s</text>
<text x="%g" y="%g" text-anchor="middle" font-family="monospace" font-size="26" fill="#333">%s</text>
</svg>
`, width, height, esc(card.Line), esc(card.Business),
		width/2, esc(card.Business),
		left, top, unit, path.String(),
		width/2, top+codeSide+110, esc(card.Line),
		width/2, top+codeSide+180, esc(card.Link))
	return err
}
