package chart

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/bits"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func f(v float64) *float64 { return &v }

var weeks12 = []string{"W38", "W39", "W40", "W41", "W42", "W43", "W44", "W45", "W46", "W47", "W48", "W49"}

// cases are the charts every golden test draws: no week, one week, twelve weeks with a gap,
// twelve weeks without any answer.
func cases() map[string]Chart {
	ref := &Reference{Value: 4, Label: "complaint offered at 4 or below"}
	return map[string]Chart{
		"weeks0": {Title: "Courtesy", YMin: 1, YMax: 10, Empty: "No answers yet"},
		"weeks1": {Title: "Speed", Weeks: weeks12[11:], Values: []*float64{f(6)}, YMin: 1, YMax: 10, Reference: ref, Colour: 1},
		"weeks12": {Title: "Quality", Weeks: weeks12, YMin: 1, YMax: 10, Reference: ref, Colour: 2,
			Values: []*float64{f(7.2), f(7.5), nil, f(6.8), f(7.1), f(7.9), f(8.2), f(8), f(7.7), f(8.4), f(8.1), f(8.6)}},
		"none12": {Title: "Courtesy", Weeks: weeks12, Values: make([]*float64, 12), YMin: 1, YMax: 10, Empty: "No answers yet"},
	}
}

// TestPNGPhoneWidth draws each case as the digest's PNG at a phone's width and compares its
// size and a coarse perceptual hash with the golden one: a change of layout fails, a font
// renderer's anti-aliasing does not.
func TestPNGPhoneWidth(t *testing.T) {
	for name, c := range cases() {
		t.Run(name, func(t *testing.T) {
			b, err := PNG([]Chart{c}, PhoneWidth, "")
			if err != nil {
				t.Fatal(err)
			}
			img := decodePNG(t, b)
			if got, want := img.Bounds().Size(), (image.Point{PhoneWidth * PixelRatio, panelHeight * PixelRatio}); got != want {
				t.Fatalf("size %v, want %v", got, want)
			}
			compareHash(t, "png_"+name+".hash", averageHash(img))
		})
	}
}

// TestPNGStacksPanels draws all dimensions of a digest in one image, one panel each, and
// each series in its own Okabe–Ito colour.
func TestPNGStacksPanels(t *testing.T) {
	cs := cases()
	b, err := PNG([]Chart{cs["weeks12"], cs["weeks1"], cs["none12"]}, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, b)
	if got, want := img.Bounds().Dy(), 3*panelHeight*PixelRatio; got != want {
		t.Fatalf("height %d, want %d (three panels)", got, want)
	}
	counts := colourCounts(img)
	for _, i := range []int{1, 2} {
		if counts[Palette[i]] < 50 {
			t.Errorf("palette colour %d (%v) covers %d pixels; its series is missing", i, Palette[i], counts[Palette[i]])
		}
	}
	if counts[Palette[0]] > 0 {
		t.Errorf("palette colour 0 drawn although no chart asked for it")
	}
}

// TestPNGWithoutCharts draws one panel with the message.
func TestPNGWithoutCharts(t *testing.T) {
	b, err := PNG(nil, 0, "No scores yet")
	if err != nil {
		t.Fatal(err)
	}
	if got := decodePNG(t, b).Bounds().Dy(); got != panelHeight*PixelRatio {
		t.Fatalf("height %d, want one panel", got)
	}
}

// TestSVGStructure compares the SVG's element outline (names, nesting and texts, not
// coordinates) with the golden one, and checks what an inline SVG on a strict page needs.
func TestSVGStructure(t *testing.T) {
	for name, c := range cases() {
		t.Run(name, func(t *testing.T) {
			b, err := SVG(c, 0, c.Title+" over 12 weeks")
			if err != nil {
				t.Fatal(err)
			}
			s := string(b)
			if !strings.HasPrefix(s, `<svg viewBox="0 0 390 170" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="`) {
				t.Errorf("root = %.120q", s)
			}
			for _, bad := range []string{" style=", "<?xml", "<!--", ` width="`, ` height="`, "xlink"} {
				if strings.Contains(s, bad) {
					t.Errorf("svg holds %q", bad)
				}
			}
			compareGolden(t, "svg_"+name+".outline", outline(t, b))
		})
	}
}

// TestSVGEscapesText: a label holding markup stays text in the SVG.
func TestSVGEscapesText(t *testing.T) {
	evil := `<script>alert(1)</script>"&'`
	c := Chart{Title: evil, Weeks: []string{evil}, Values: []*float64{f(3)}, Reference: &Reference{Value: 3, Label: evil}}
	b, err := SVG(c, 0, evil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("<script")) {
		t.Fatalf("markup leaked: %s", b)
	}
	if n := strings.Count(outline(t, b), "alert(1)"); n < 3 {
		t.Errorf("the label shows %d times as text, want it in the title, axis and legend:\n%s", n, outline(t, b))
	}
}

// TestSegmentsBreakAtGaps: weeks without a value split the line.
func TestSegmentsBreakAtGaps(t *testing.T) {
	got := segments([]*float64{nil, f(1), f(2), nil, nil, f(3), nil})
	if len(got) != 2 || len(got[0]) != 2 || len(got[1]) != 1 || got[1][0].X != 5 {
		t.Fatalf("segments = %v", got)
	}
}

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("not a PNG: % x", b[:min(8, len(b))])
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// averageHash shrinks img to 16×16 cells of mean grey and sets a bit for each cell darker
// than the mean of all cells.
func averageHash(img image.Image) []uint64 {
	const n = 16
	r := img.Bounds()
	var cells [n * n]float64
	for cy := range n {
		for cx := range n {
			var sum float64
			var cnt int
			for y := r.Min.Y + cy*r.Dy()/n; y < r.Min.Y+(cy+1)*r.Dy()/n; y++ {
				for x := r.Min.X + cx*r.Dx()/n; x < r.Min.X+(cx+1)*r.Dx()/n; x++ {
					g := color.GrayModel.Convert(img.At(x, y)).(color.Gray)
					sum += float64(g.Y)
					cnt++
				}
			}
			cells[cy*n+cx] = sum / float64(cnt)
		}
	}
	var mean float64
	for _, c := range cells {
		mean += c / float64(len(cells))
	}
	hash := make([]uint64, n*n/64)
	for i, c := range cells {
		if c < mean {
			hash[i/64] |= 1 << (i % 64)
		}
	}
	return hash
}

// compareHash fails when more than 1 in 16 of the hash's bits differ from the golden hash.
func compareHash(t *testing.T, file string, got []uint64) {
	t.Helper()
	var sb strings.Builder
	for _, h := range got {
		fmt.Fprintf(&sb, "%016x\n", h)
	}
	path := filepath.Join("testdata", file)
	if *update {
		writeGolden(t, path, sb.String())
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	fields := strings.Fields(string(raw))
	if len(fields) != len(got) {
		t.Fatalf("%s has %d words, want %d", path, len(fields), len(got))
	}
	diff := 0
	for i, fld := range fields {
		want, err := strconv.ParseUint(fld, 16, 64)
		if err != nil {
			t.Fatal(err)
		}
		diff += bits.OnesCount64(want ^ got[i])
	}
	if limit := len(got) * 64 / 16; diff > limit {
		t.Errorf("perceptual hash differs from %s in %d bits (limit %d): the layout changed", path, diff, limit)
	}
}

func colourCounts(img image.Image) map[color.RGBA]int {
	counts := map[color.RGBA]int{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			counts[c]++
		}
	}
	return counts
}

// outline lists the SVG's elements, indented by depth, with their texts: its structure
// without coordinates, which fonts change.
func outline(t *testing.T, b []byte) string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var sb strings.Builder
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("svg does not parse: %v\n%s", err, b)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			sb.WriteString(strings.Repeat("  ", depth) + tk.Name.Local)
			for _, a := range tk.Attr {
				switch a.Name.Local {
				case "fill", "stroke", "stroke-dasharray", "font-size", "font-weight", "role":
					if a.Name.Local != "stroke-dasharray" || a.Value != "none" {
						sb.WriteString(" " + a.Name.Local + "=" + a.Value)
					}
				}
			}
			sb.WriteString("\n")
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if s := strings.TrimSpace(string(tk)); s != "" {
				sb.WriteString(strings.Repeat("  ", depth) + strconv.Quote(s) + "\n")
			}
		}
	}
	return sb.String()
}

func compareGolden(t *testing.T, file, got string) {
	t.Helper()
	path := filepath.Join("testdata", file)
	if *update {
		writeGolden(t, path, got)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it after a deliberate change):\n%s", path, got)
	}
}

func writeGolden(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
