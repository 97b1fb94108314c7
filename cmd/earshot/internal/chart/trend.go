package chart

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"earshot/core"
)

// Labels are the words on the charts and in their descriptions. Format strings take the
// values their doc comments name.
type Labels struct {
	Threshold string // a standard's line; %d: the threshold ("complaint offered at 4 or below")
	Empty     string // across a chart without a value
	NoScores  string // the digest's image when no question has a score
	// Alt describes a dimension's chart; %s: the dimension, %d: weeks, %s: first week, %s:
	// last week, %s: the latest figure (or NoValue).
	Alt     string
	NoValue string
	// DigestAlt introduces the digest image's description; %d: weeks, %s: the last week.
	DigestAlt string
}

// English are the charts' words in English, as LabelsFor writes them from the catalog.
var English = Labels{
	Threshold: "complaint offered at %[1]d or below",
	Empty:     "No answers yet",
	NoScores:  "No scores yet",
	Alt:       "%[1]s, weekly average over %[2]d weeks from %[3]s to %[4]s; latest: %[5]s.",
	NoValue:   "no answers",
	DigestAlt: "Chart of each question's weekly average over %[1]d weeks up to %[2]s.",
}

// FromTrend makes one chart per dimension of t, in t's order, with the scale's ends as the
// axis and the low-score threshold as the reference line.
func FromTrend(t core.Trend, l Labels) []Chart {
	weeks := make([]string, len(t.Weeks))
	for i, w := range t.Weeks {
		weeks[i] = ShortWeek(w)
	}
	out := make([]Chart, 0, len(t.Dimensions))
	for i, d := range t.Dimensions {
		c := Chart{Title: Title(d.Key), Weeks: weeks, Values: d.Values, Empty: l.Empty, Colour: i,
			YMin: float64(d.Min), YMax: float64(d.Max)}
		if d.Threshold > 0 {
			c.Reference = &Reference{Value: float64(d.Threshold), Label: fmt.Sprintf(l.Threshold, d.Threshold)}
		}
		out = append(out, c)
	}
	return out
}

// Alt describes dimension d of t in words, for alt text and screen readers.
func Alt(t core.Trend, d core.TrendDimension, l Labels) string {
	latest := l.NoValue
	if v, _ := d.Last(); v != nil {
		latest = formatValue(*v)
	}
	first, last := "", ""
	if n := len(t.Weeks); n > 0 {
		first, last = t.Weeks[0], t.Weeks[n-1]
	}
	return fmt.Sprintf(l.Alt, Title(d.Key), len(t.Weeks), first, last, latest)
}

// ShortWeek turns "2026-W47" into "W47", the axis label.
func ShortWeek(w string) string {
	if _, n, ok := strings.Cut(w, "-"); ok {
		return n
	}
	return w
}

// Title writes a question key as a heading: "courtesy" → "Courtesy", "on_time" → "On time".
func Title(key string) string {
	s := strings.ReplaceAll(key, "_", " ")
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Renderer draws the digest's chart: core.ChartRenderer.
type Renderer struct {
	Labels Labels
	Width  float64 // points; PhoneWidth when 0
}

var _ core.ChartRenderer = Renderer{}

// TrendImage draws every dimension of t as one PNG, one panel each.
func (r Renderer) TrendImage(t core.Trend) (core.Image, error) {
	l := r.Labels
	if l == (Labels{}) {
		l = English
	}
	png, err := PNG(FromTrend(t, l), r.Width, l.NoScores)
	if err != nil {
		return core.Image{}, err
	}
	last := ""
	if n := len(t.Weeks); n > 0 {
		last = t.Weeks[n-1]
	}
	alt := []string{fmt.Sprintf(l.DigestAlt, len(t.Weeks), last)}
	for _, d := range t.Dimensions {
		alt = append(alt, Alt(t, d, l))
	}
	return core.Image{Name: "digest-" + last + ".png", PNG: png, Alt: strings.Join(alt, " ")}, nil
}
