package chart

import (
	"strconv"
	"testing"
)

// BenchmarkDigestPNG draws the digest's chart of 8 dimensions over 12 weeks.
func BenchmarkDigestPNG(b *testing.B) {
	t := trend12()
	d := t.Dimensions[0]
	t.Dimensions = nil
	for i := range 8 {
		d.Key = "dim" + strconv.Itoa(i)
		t.Dimensions = append(t.Dimensions, d)
	}
	var size int
	for b.Loop() {
		img, err := Renderer{}.TrendImage(t)
		if err != nil {
			b.Fatal(err)
		}
		size = len(img.PNG)
	}
	b.ReportMetric(float64(size)/1024, "KiB")
}
