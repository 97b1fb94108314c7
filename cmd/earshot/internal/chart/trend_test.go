package chart

import (
	"fmt"
	"strings"
	"testing"

	"earshot/core"
	"earshot/core/coretest"
)

func trend12() core.Trend {
	t := core.Trend{Business: "Acme Bikes"}
	for i := range 12 {
		t.Weeks = append(t.Weeks, "2026-"+weeks12[i])
	}
	vals := []*float64{nil, nil, f(6), f(6.5), f(7), nil, f(7.25), f(7.5), f(7), f(8), f(7.5), f(5.5)}
	t.Dimensions = []core.TrendDimension{
		{Key: "courtesy", Kind: core.Scale, Min: 1, Max: 10, Threshold: 4, Values: vals, Responses: make([]int, 12)},
		{Key: "on_time", Kind: core.Scale, Min: 1, Max: 5, Values: make([]*float64, 12), Responses: make([]int, 12)},
	}
	return t
}

// TestRendererDrawsTheDigestChart: the digest's image is a phone-width PNG with a panel per
// dimension, named after the week, described in words.
func TestRendererDrawsTheDigestChart(t *testing.T) {
	img, err := Renderer{}.TrendImage(trend12())
	if err != nil {
		t.Fatal(err)
	}
	if img.Name != "digest-2026-W49.png" {
		t.Errorf("name = %q", img.Name)
	}
	size := decodePNG(t, img.PNG).Bounds().Size()
	if size.X != PhoneWidth*PixelRatio || size.Y != 2*panelHeight*PixelRatio {
		t.Errorf("size = %v, want two phone-width panels", size)
	}
	for _, want := range []string{"over 12 weeks up to 2026-W49", "Courtesy, weekly average over 12 weeks from 2026-W38 to 2026-W49; latest: 5.5.",
		"On time, weekly average over 12 weeks from 2026-W38 to 2026-W49; latest: no answers."} {
		if !strings.Contains(img.Alt, want) {
			t.Errorf("alt %q lacks %q", img.Alt, want)
		}
	}
	if len(img.PNG) > 200<<10 {
		t.Errorf("the PNG is %d bytes; it rides in the outbox and must stay small", len(img.PNG))
	}
}

func TestRendererWithoutDimensions(t *testing.T) {
	img, err := Renderer{}.TrendImage(core.Trend{})
	if err != nil {
		t.Fatal(err)
	}
	if got := decodePNG(t, img.PNG).Bounds().Dy(); got != panelHeight*PixelRatio {
		t.Errorf("height %d, want one empty panel", got)
	}
}

func TestFromTrend(t *testing.T) {
	cs := FromTrend(trend12(), English)
	if len(cs) != 2 || cs[0].Title != "Courtesy" || cs[1].Title != "On time" || cs[0].Weeks[11] != "W49" ||
		cs[0].Reference == nil || cs[0].Reference.Label != "complaint offered at 4 or below" || cs[1].Reference != nil ||
		cs[1].YMax != 5 || cs[1].Colour != 1 {
		t.Fatalf("charts = %+v", cs)
	}
}

// TestLabelsFor: the catalogs' words become Labels: English as before, German with its
// values in place.
func TestLabelsFor(t *testing.T) {
	if got := LabelsFor(coretest.Texts(t), "en"); got != English {
		t.Fatalf("English from the catalog = %+v, want %+v", got, English)
	}
	de := LabelsFor(coretest.Texts(t, "de"), "de")
	if got := fmt.Sprintf(de.Threshold, 4); got != "Beschwerde angeboten bei 4 oder weniger" {
		t.Errorf("threshold = %q", got)
	}
	if got := fmt.Sprintf(de.Alt, "Höflichkeit", 12, "2026-W36", "2026-W47", "7,5"); got !=
		"Höflichkeit, Wochendurchschnitt über 12 Wochen von 2026-W36 bis 2026-W47; zuletzt: 7,5." {
		t.Errorf("alt = %q", got)
	}
}
