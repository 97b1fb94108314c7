package dashboard

import (
	"fmt"
	"html/template"
	"math"
	"time"

	"earshot/cmd/earshot/internal/chart"
	"earshot/core"
)

// pageView is what the page template shows: every figure already written out.
type pageView struct {
	Lang      core.Lang // the viewer's
	Business  string
	Viewer    string
	Week      string // "2026-W47"
	Range     string // "Mon 16 Nov – Sun 22 Nov 2026"
	Partial   bool
	AsOf      string
	Filter    filterView
	Plans     []option
	Platforms []option
	Prev      string // the week before, or "" at the first
	Next      string // the week after, or "" when it has not started
	MaxWeek   string // the current week: the picker goes no further

	Surveys    surveysView
	Dimensions []dimensionView
	Choices    []choiceView // kinds.go
	Standards  standardsView
	Open       []openView
	Comments   []commentView
	Filtered   bool
}

type filterView struct{ Week, Plan, Platform string }

type option struct {
	Value, Label string
	Selected     bool
}

type surveysView struct {
	Sent, Answered int
	Rate           string // "67 %" or "–"
}

// dimensionView is one question's trend. Kind picks the template's block, so question kinds
// with other figures (NPS, CSAT) add a block beside "scale".
type dimensionView struct {
	Lang      core.Lang // the viewer's, for the kinds' template (it is given the dimension alone)
	Kind      string
	Key       string
	Title     string
	Latest    string // the chosen week's figure, or "–"
	Change    string // against the week before: "+0.5", "−0.3", ""
	Responses int
	Scale     string // "1–10"
	SVG       template.HTML
	Alt       string
	Rows      []weekRow
	Split     string // an NPS's promoters, passives and detractors; a CSAT's satisfied (kinds.go)
}

type weekRow struct {
	Week      string
	Value     string
	Responses int
}

type standardsView struct {
	AckWithin     string // "12 hours"
	ResolveWithin string
	Opened        int
	AckMet        string // "1 of 2 (50 %)"
	ResolveMet    string
	MedianAck     string
	MedianResolve string
	Resolved      int
	Confirmed     int
	Unconfirmed   int
	Reopened      int
	Breaches      []option // kind → count, only without a filter
}

type openView struct {
	Ref, Status, Owner, Platform, Age, Opened, Overdue, Excerpt string
}

type commentView struct {
	Question, Score, Text string
}

type loginView struct {
	Lang            core.Lang
	Business, Token string
}

type messageView struct {
	Lang        core.Lang
	Title, Text string
}

const dash = "–"

// view writes out the figures of d for viewer.
func (h *Handler) view(d core.Dashboard, viewer core.Member) (pageView, error) {
	loc := h.svc.Settings().Business.Location
	now := h.svc.Now()
	week, err := core.ParseWeek(d.Week)
	if err != nil {
		return pageView{}, err
	}
	w := h.wordsFor(h.svc.MemberLanguage(viewer))
	current := core.WeekOf(now, loc)
	v := pageView{Lang: w.lang, Business: d.Business, Viewer: viewer.Name, Week: d.Week, Partial: d.Partial,
		Range:   d.From.In(loc).Format("2006-01-02") + " – " + d.To.Add(-time.Second).In(loc).Format("2006-01-02"),
		AsOf:    core.When(h.texts, w.lang, d.AsOf, now, loc),
		Filter:  filterView{Week: d.Week, Plan: d.Filter.Plan, Platform: string(d.Filter.Platform)},
		MaxWeek: current.String(), Prev: week.Add(-1).String(), Filtered: !d.Filter.IsZero()}
	if !week.Add(1).Start(loc).After(now) {
		v.Next = week.Add(1).String()
	}
	v.Plans = []option{{Value: "", Label: w.t(core.KeyPageAllPlans, nil), Selected: d.Filter.Plan == ""}}
	for _, p := range d.Plans {
		v.Plans = append(v.Plans, option{Value: p, Label: p, Selected: p == d.Filter.Plan})
	}
	v.Platforms = []option{{Value: "", Label: w.t(core.KeyPageAllPlatforms, nil), Selected: d.Filter.Platform == ""}}
	for _, p := range d.Platforms {
		v.Platforms = append(v.Platforms, option{Value: string(p), Label: chart.Title(string(p)), Selected: p == d.Filter.Platform})
	}
	v.Surveys = surveysView{Sent: d.Surveys.Sent, Answered: d.Surveys.Answered, Rate: w.percent(d.Surveys.ResponseRate, 100)}
	for i, dim := range d.Trend.Dimensions {
		dv, err := h.dimension(w, d.Trend, dim, i)
		if err != nil {
			return pageView{}, err
		}
		v.Dimensions = append(v.Dimensions, dv)
	}
	h.addKindFigures(&v, d, w)
	v.Standards = w.standards(d)
	for _, o := range d.Open {
		ov := openView{Ref: string(o.Ref), Status: core.StatusWord(h.texts, w.lang, o.Status), Owner: o.Owner,
			Platform: chart.Title(string(o.Platform)), Age: w.duration(o.Age),
			Opened: core.When(h.texts, w.lang, o.OpenedAt, now, loc), Excerpt: o.Excerpt}
		switch o.Overdue {
		case "acknowledge":
			ov.Overdue = w.t(core.KeyPageAckOverdue, nil)
		case "resolve":
			ov.Overdue = w.t(core.KeyPageResolveOverdue, nil)
		}
		v.Open = append(v.Open, ov)
	}
	for _, c := range d.Comments {
		cv := commentView{Question: chart.Title(c.Question), Score: dash, Text: c.Text}
		if c.MinScore != nil {
			cv.Score = fmt.Sprint(*c.MinScore)
		}
		v.Comments = append(v.Comments, cv)
	}
	return v, nil
}

// dimension draws one question's chart and writes its figures.
func (h *Handler) dimension(w pageWords, t core.Trend, dim core.TrendDimension, i int) (dimensionView, error) {
	c := chart.FromTrend(core.Trend{Weeks: t.Weeks, Dimensions: []core.TrendDimension{dim}}, w.labels)[0]
	c.Colour = i
	c.Title = "" // the figure's caption names it
	alt := chart.Alt(t, dim, w.labels)
	svg, err := chart.SVG(c, 0, alt)
	if err != nil {
		return dimensionView{}, err
	}
	dv := dimensionView{Kind: string(dim.Kind), Key: dim.Key, Title: chart.Title(dim.Key), Latest: dash,
		SVG: template.HTML(svg), Alt: alt} // chart.SVG escapes every text it writes
	if dim.Max > 0 {
		dv.Scale = fmt.Sprintf("%d–%d", dim.Min, dim.Max)
	}
	latest, previous := dim.Last()
	if latest != nil {
		dv.Latest = w.decimal(*latest)
	}
	if latest != nil && previous != nil {
		switch ch := *latest - *previous; {
		case ch > 0.005:
			dv.Change = "+" + w.decimal(ch)
		case ch < -0.005:
			dv.Change = "−" + w.decimal(-ch)
		default:
			dv.Change = "±0"
		}
	}
	if n := len(dim.Responses); n > 0 {
		dv.Responses = dim.Responses[n-1]
	}
	for j := len(t.Weeks) - 1; j >= 0; j-- { // newest first in the table
		row := weekRow{Week: t.Weeks[j], Value: dash, Responses: dim.Responses[j]}
		if dim.Values[j] != nil {
			row.Value = w.decimal(*dim.Values[j])
		}
		dv.Rows = append(dv.Rows, row)
	}
	return dv, nil
}

// pageWords writes the page's figures in the viewer's language.
type pageWords struct {
	texts  core.Texts
	lang   core.Lang
	labels chart.Labels
}

func (h *Handler) wordsFor(lang core.Lang) pageWords {
	l := h.opts.Labels
	if l == (chart.Labels{}) {
		l = chart.LabelsFor(h.texts, lang)
	}
	return pageWords{texts: h.texts, lang: lang, labels: l}
}

func (w pageWords) t(key core.Key, args core.Args) string { return w.texts.Text(w.lang, key, args) }

func (w pageWords) duration(d time.Duration) string { return core.SayDuration(w.texts, w.lang, d) }

func (w pageWords) standards(d core.Dashboard) standardsView {
	c := d.Complaints
	s := standardsView{AckWithin: w.duration(d.Standards.AcknowledgeWithin),
		ResolveWithin: w.duration(d.Standards.ResolveWithin), Opened: c.Opened,
		AckMet: w.t(core.KeyPageOutOf, core.Args{"N": c.AckWithinStandard, "Total": c.Opened}), MedianAck: dash,
		MedianResolve: dash, Resolved: c.Resolved, Confirmed: c.ConfirmedSolved, Unconfirmed: c.ClosedUnconfirmed,
		Reopened: c.Reopened}
	if c.AckWithinPct != nil {
		s.AckMet += " (" + w.percent(c.AckWithinPct, 1) + ")"
	}
	s.ResolveMet = w.t(core.KeyPageOutOf, core.Args{"N": d.ResolveWithinStandard, "Total": c.Opened})
	if c.Opened > 0 {
		pct := float64(d.ResolveWithinStandard) / float64(c.Opened)
		s.ResolveMet += " (" + w.percent(&pct, 100) + ")"
	}
	if c.MedianAckSeconds != nil {
		s.MedianAck = w.duration(time.Duration(*c.MedianAckSeconds * float64(time.Second)))
	}
	if c.MedianResolveSecond != nil {
		s.MedianResolve = w.duration(time.Duration(*c.MedianResolveSecond * float64(time.Second)))
	}
	for _, b := range []struct {
		kind  string
		label core.Key
	}{
		{string(core.BreachAcknowledge), core.KeyPageBreachesAck},
		{string(core.BreachResolve), core.KeyPageBreachesResolve},
	} {
		if n := c.Breaches[b.kind]; n > 0 {
			s.Breaches = append(s.Breaches, option{Value: fmt.Sprint(n), Label: w.t(b.label, nil)})
		}
	}
	return s
}

// percent writes a ratio times scale as a whole percentage, or a dash for none.
func (w pageWords) percent(p *float64, scale float64) string {
	if p == nil {
		return dash
	}
	return w.texts.Number(w.lang, math.Round(*p*scale), 0) + " %"
}

// decimal writes a figure with one decimal, or none when it is whole ("7,5", "7").
func (w pageWords) decimal(x float64) string {
	if r := math.Round(x*10) / 10; r == math.Trunc(r) {
		return w.texts.Number(w.lang, r, 0)
	}
	return w.texts.Number(w.lang, x, 1)
}
