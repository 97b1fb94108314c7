package core

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// ScoreLines is one line per dimension in lang, starting with its key and its figure:
//
//	courtesy  7.5  ▲ 0.4  ▁▂▃▄▅▆▇█  12
//	nps       +32  ▼   4  ▃▄▅▅▆▅▄▃  42  (promoters 20 · passives 14 · detractors 8)
//	csat      84.5%  ▲ 2.0  …  40  (34 of 40 satisfied)
//	reason    delivery 12 ▲3 · staff 5 · price 0  17 answers
//
// then the change from the week before, the trend (its weeks as bars; a dot where nobody
// answered) and the answers. A choice lists its options' picks and changes instead.
func (d Digest) ScoreLines(t Texts, lang Lang) string {
	w := digestWriter{t, lang}
	if len(d.Dimensions) == 0 {
		return w.text(KeyDigestNoQuestions, nil) + "\n"
	}
	width := 0
	for _, dim := range d.Dimensions {
		width = max(width, utf8.RuneCountInString(dim.Key))
	}
	var b strings.Builder
	for _, dim := range d.Dimensions {
		key := dim.Key + strings.Repeat(" ", width-utf8.RuneCountInString(dim.Key))
		if dim.Kind == ChoiceType {
			fmt.Fprintf(&b, "%s %s  %s\n", key, w.options(dim.Options), w.count(KeyDigestAnswers, dim.Responses))
			continue
		}
		decimals, lo, hi := 1, 1.0, 10.0
		switch dim.Kind {
		case NPS:
			decimals, lo, hi = 0, -100, 100
		case CSAT:
			lo, hi = 0, 100
		case CES:
			lo, hi = 1, 7
		}
		line := fmt.Sprintf("%s %s  %s  %s  %d", key, w.figure(dim), w.change(dim.Change, decimals),
			sparkRange(dim.Trend, lo, hi), dim.Responses)
		switch dim.Kind {
		case NPS:
			line += "  (" + w.text(KeyDigestNPSSplit, Args{"Promoters": dim.Promoters, "Passives": dim.Passives,
				"Detractors": dim.Detractors}) + ")"
		case CSAT:
			line += "  (" + w.text(KeyDigestCSATSplit, Args{"Satisfied": dim.Satisfied, "Responses": dim.Responses}) + ")"
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// figure writes the dimension's figure: an average with one decimal, an NPS as a signed
// whole number, a CSAT as a percentage; "–" without answers.
func (w digestWriter) figure(dim Dimension) string {
	v := dim.Figure()
	switch {
	case v == nil:
		return "–"
	case dim.Kind == NPS && *v > 0:
		return "+" + w.num(*v, 0)
	case dim.Kind == NPS:
		return w.num(*v, 0)
	case dim.Kind == CSAT:
		return w.text(KeyDigestPercent, Args{"N": w.num(*v, 1)})
	}
	return w.num(*v, 1)
}

// change writes the change from the week before in five columns: "▲ 0.4", "▼  12", "  =  ",
// or blank when either week had no answers.
func (w digestWriter) change(c *float64, decimals int) string {
	switch {
	case c == nil:
		return "     "
	case *c > 0:
		return "▲" + padLeft(w.num(*c, decimals), 4)
	case *c < 0:
		return "▼" + padLeft(w.num(-*c, decimals), 4)
	}
	return "  =  "
}

// options writes a choice's options with their picks and, where it differs, the change
// from the week before: "delivery 12 ▲3 · staff 5 · price 0".
func (w digestWriter) options(opts []OptionFigure) string {
	parts := make([]string, len(opts))
	for i, o := range opts {
		parts[i] = fmt.Sprintf("%s %d", o.Key, o.Count)
		switch {
		case o.Count > o.Previous:
			parts[i] += fmt.Sprintf(" ▲%d", o.Count-o.Previous)
		case o.Count < o.Previous:
			parts[i] += fmt.Sprintf(" ▼%d", o.Previous-o.Count)
		}
	}
	return strings.Join(parts, " · ")
}

func padLeft(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return strings.Repeat(" ", n-k) + s
	}
	return s
}

// Sparkline draws values of a 1–10 scale as bars; a missing value is a dot.
func Sparkline(vals []*float64) string { return sparkRange(vals, 1, 10) }

// sparkRange draws values from lo to hi as bars; a missing value is a dot.
func sparkRange(vals []*float64, lo, hi float64) string {
	bars := []rune("▁▂▃▄▅▆▇█")
	out := make([]rune, len(vals))
	for i, v := range vals {
		if v == nil {
			out[i] = '·'
			continue
		}
		idx := int(math.Floor((*v - lo) / (hi - lo) * float64(len(bars)-1)))
		out[i] = bars[max(0, min(len(bars)-1, idx))]
	}
	return string(out)
}
