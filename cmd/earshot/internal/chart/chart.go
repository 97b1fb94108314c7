// Package chart draws the owners' trend charts: each dimension's weekly figure as a small
// line chart, as a PNG for the digest and as SVG for the owners' page, from the same code.
//
// It uses gonum.org/v1/plot (pure Go, fonts embedded), so the binary needs neither cgo nor a
// browser. Charts are sized for a phone (390 px wide), coloured from the Okabe–Ito palette
// (safe for the common colour-vision deficiencies), and every word on them comes from the
// caller, so a language is a caller's choice.
package chart

import (
	"fmt"
	"image/color"
	"math"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Chart is one dimension's figure over some weeks.
type Chart struct {
	Title string // the dimension, as the reader calls it ("Courtesy")
	// Weeks are the x-axis labels, oldest first ("W47"); Values has one entry per week, nil
	// where the week had no answer.
	Weeks  []string
	Values []*float64
	// YMin and YMax are the scale's ends; the axis never zooms in, so a small change looks
	// small. Both zero: the values' own range.
	YMin, YMax float64
	// Reference is a standard drawn as a dashed line (the low-score threshold); nil: none.
	Reference *Reference
	// Empty is written across a chart with no value ("No answers yet").
	Empty string
	// Colour picks the series colour from the palette (the dimension's position), so a
	// dimension keeps its colour in the digest and on the page.
	Colour int
}

// Reference is a horizontal line at a standard, with its label.
type Reference struct {
	Value float64
	Label string
}

// Palette is Okabe and Ito's colour-blind-safe palette, in the order series use it. Yellow
// and black come last: yellow is faint on white and black is the axes' colour.
var Palette = []color.RGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0x00, 0x00, 0x00, 0xFF}, // black
	{0xF0, 0xE4, 0x42, 0xFF}, // yellow
}

// referenceColour is the standard's line: dark grey, distinct from every series by its dashes.
var referenceColour = color.RGBA{0x55, 0x55, 0x55, 0xFF}

// gridColour is light enough to stay behind the data.
var gridColour = color.RGBA{0xDD, 0xDD, 0xDD, 0xFF}

// Sizes, in points: at 390 points wide a chart fills a phone's width, so a point is a CSS
// pixel there and the smallest text (11) stays legible.
const (
	PhoneWidth  = 390
	panelHeight = 170
	titleSize   = 14
	labelSize   = 11
	maxXLabels  = 6
)

var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// build turns c into a gonum plot.
func build(c Chart) (*plot.Plot, error) {
	p := plot.New()
	setFonts(p)
	p.Title.Text = c.Title
	p.Title.Padding = 4
	p.BackgroundColor = color.White
	col := Palette[((c.Colour%len(Palette))+len(Palette))%len(Palette)]

	n := max(len(c.Weeks), len(c.Values), 1)
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.X.Tick.Marker = weekTicks(c.Weeks)
	p.Y.Min, p.Y.Max = yRange(c)
	p.X.Padding, p.Y.Padding = 0, 0

	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal.Color = gridColour
	p.Add(grid)

	if r := c.Reference; r != nil && r.Value >= p.Y.Min && r.Value <= p.Y.Max {
		ref, err := plotter.NewLine(plotter.XYs{{X: p.X.Min, Y: r.Value}, {X: p.X.Max, Y: r.Value}})
		if err != nil {
			return nil, fmt.Errorf("chart: reference line: %w", err)
		}
		ref.Color, ref.Width, ref.Dashes = referenceColour, vg.Points(1.5), []vg.Length{vg.Points(5), vg.Points(3)}
		p.Add(ref)
		if r.Label != "" {
			// Under the axis, not as a legend inside the data, where it would hide points.
			p.X.Label.Text = "- - -  " + r.Label
			p.X.Label.TextStyle.Color = referenceColour
		}
	}

	var points plotter.XYs
	for _, seg := range segments(c.Values) {
		l, err := plotter.NewLine(seg)
		if err != nil {
			return nil, fmt.Errorf("chart: line: %w", err)
		}
		l.Color, l.Width = col, vg.Points(2.5)
		p.Add(l)
		points = append(points, seg...)
	}
	if len(points) == 0 {
		return p, addEmpty(p, c.Empty)
	}
	dots, err := plotter.NewScatter(points)
	if err != nil {
		return nil, fmt.Errorf("chart: points: %w", err)
	}
	dots.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
	p.Add(dots)
	// The latest value is written beside its point: the number an owner looks for first.
	last := points[len(points)-1]
	lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{last}, Labels: []string{formatValue(last.Y)}})
	if err != nil {
		return nil, fmt.Errorf("chart: label: %w", err)
	}
	lbl.TextStyle[0].Font = font.From(sans, labelSize+1)
	lbl.TextStyle[0].Color = col
	lbl.TextStyle[0].XAlign, lbl.TextStyle[0].YAlign = draw.XRight, draw.YBottom
	lbl.Offset = vg.Point{X: vg.Points(-4), Y: vg.Points(5)}
	p.Add(lbl)
	return p, nil
}

// setFonts gives every text of p the sans face at a size legible on a phone.
func setFonts(p *plot.Plot) {
	p.Title.TextStyle.Font = font.From(sans, titleSize)
	p.Title.TextStyle.Font.Weight = xfont.WeightBold
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sans, labelSize)
		ax.Tick.Label.Font = font.From(sans, labelSize)
	}
	p.Legend.TextStyle.Font = font.From(sans, labelSize)
}

// yRange returns the scale's ends, or the values' range padded when the chart has none.
func yRange(c Chart) (lo, hi float64) {
	if c.YMin != 0 || c.YMax != 0 {
		return c.YMin, c.YMax
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range c.Values {
		if v != nil {
			lo, hi = math.Min(lo, *v), math.Max(hi, *v)
		}
	}
	if math.IsInf(lo, 0) {
		return 0, 1
	}
	if lo == hi {
		return lo - 1, hi + 1
	}
	pad := (hi - lo) / 10
	return lo - pad, hi + pad
}

// segments splits the values at weeks without one, so a gap shows as a gap, not as a line
// across weeks nobody answered.
func segments(vals []*float64) []plotter.XYs {
	var out []plotter.XYs
	var cur plotter.XYs
	for i, v := range vals {
		if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
			if len(cur) > 0 {
				out, cur = append(out, cur), nil
			}
			continue
		}
		cur = append(cur, plotter.XY{X: float64(i), Y: *v})
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// weekTicks marks every week and labels at most maxXLabels of them, always the latest.
type weekTicks []string

// Ticks implements plot.Ticker.
func (w weekTicks) Ticks(lo, hi float64) []plot.Tick {
	step := (len(w) + maxXLabels - 1) / maxXLabels
	ticks := make([]plot.Tick, 0, len(w))
	for i, name := range w {
		t := plot.Tick{Value: float64(i)}
		if (len(w)-1-i)%step == 0 {
			t.Label = name
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// addEmpty writes msg in the middle of a chart that has no value.
func addEmpty(p *plot.Plot, msg string) error {
	if msg == "" {
		return nil
	}
	l, err := plotter.NewLabels(plotter.XYLabels{
		XYs:    plotter.XYs{{X: (p.X.Min + p.X.Max) / 2, Y: (p.Y.Min + p.Y.Max) / 2}},
		Labels: []string{msg},
	})
	if err != nil {
		return fmt.Errorf("chart: empty label: %w", err)
	}
	l.TextStyle[0].Font = font.From(sans, labelSize+1)
	l.TextStyle[0].Color = referenceColour
	l.TextStyle[0].XAlign, l.TextStyle[0].YAlign = draw.XCenter, draw.YCenter
	p.Add(l)
	return nil
}

// formatValue writes a figure with one decimal, or none when it is whole.
func formatValue(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}
