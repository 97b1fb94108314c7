package core

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
)

// A question's figure by kind, computed from the per-hour rollups (ScoreStats for the sums
// and counts, ScoreCounts for NPS and CSAT, ChoiceCounts for choices), never from the
// answers themselves:
//   - scale and ces: the average score;
//   - nps: % promoters (9-10) − % detractors (0-6), a whole number from -100 to 100;
//   - csat: the % of answers that are 4 or 5, to one decimal;
//   - choice: no single figure; how often each option was picked. Of a multiple choice
//     each picked option counts, so the picks can add up to more than the answers.

// series is one question's tallies over consecutive weeks.
type series struct {
	q         Question // Key, Type, Min, Max; for a key no plan asks any more: a scale with no range
	threshold int      // the lowest low_score_threshold of the plans asking a scale; 0 for none
	asked     bool     // a plan asks it
	weeks     []tally
}

// tally is what one question got in one week.
type tally struct {
	n        int            // answers
	sum      int64          // of the scores
	byScore  map[int]int    // nps and csat: answers by score
	byOption map[string]int // choice: picks by option key
}

// npsSplit counts the promoters (9-10), passives (7-8) and detractors (0-6).
func (t tally) npsSplit() (promoters, passives, detractors int) {
	for score, n := range t.byScore {
		switch {
		case score >= 9:
			promoters += n
		case score >= 7:
			passives += n
		default:
			detractors += n
		}
	}
	return promoters, passives, detractors
}

// satisfied counts the csat answers of 4 or 5.
func (t tally) satisfied() int {
	return t.byScore[4] + t.byScore[5]
}

// figure is the week's figure of the question's kind; nil without answers and for a choice.
func (t tally) figure(kind QuestionType) *float64 {
	if t.n == 0 {
		return nil
	}
	switch kind {
	case NPS:
		p, _, d := t.npsSplit()
		v := math.Round(100 * float64(p-d) / float64(t.n))
		return &v
	case CSAT:
		v := math.Round(1000*float64(t.satisfied())/float64(t.n)) / 10
		return &v
	case ChoiceType:
		return nil
	}
	return round2(float64(t.sum) / float64(t.n))
}

// figureKind reports whether questions of the kind have figures in the digest.
func figureKind(k QuestionType) bool {
	switch k {
	case Scale, NPS, CSAT, CES, ChoiceType:
		return true
	}
	return false
}

// weeklySeries tallies n weeks up to and including last, for the answers f selects: the
// questions with figures of the plans (of f's plan, when set) in plan order, a key asked by
// several plans once, as the first plan asks it; then any other key with scores in those
// weeks (from a plan since changed), as a scale, by name.
func (s *Service) weeklySeries(tx Tx, last Week, n int, f ReportFilter) ([]series, error) {
	loc := s.set.Business.Location
	var out []series
	index := map[string]int{}
	var countKeys, choiceKeys []string
	for _, p := range s.set.Surveys {
		if f.Plan != "" && p.Name != f.Plan {
			continue
		}
		for _, q := range p.Questions {
			if !figureKind(q.Type) {
				continue
			}
			i, ok := index[q.Key]
			if !ok {
				i = len(out)
				index[q.Key] = i
				out = append(out, series{q: q, asked: true, weeks: make([]tally, n)})
				switch q.Type {
				case NPS, CSAT:
					countKeys = append(countKeys, q.Key)
				case ChoiceType:
					choiceKeys = append(choiceKeys, q.Key)
				}
			}
			if th := p.LowScoreThreshold; q.Type == Scale && out[i].q.Type == Scale && th > 0 &&
				(out[i].threshold == 0 || th < out[i].threshold) {
				out[i].threshold = th
			}
		}
	}
	planned := len(out)
	for i := range n {
		w := last.Add(i - n + 1)
		from, to := w.Start(loc), w.End(loc)
		var stats []ScoreStat
		var err error
		if f.IsZero() {
			stats, err = tx.ScoreStats(from, to)
		} else {
			stats, err = tx.SliceScoreStats(from, to, f)
		}
		if err != nil {
			return nil, err
		}
		for _, st := range stats {
			j, ok := index[st.Key]
			if !ok {
				j = len(out)
				index[st.Key] = j
				out = append(out, series{q: Question{Key: st.Key, Type: Scale}, weeks: make([]tally, n)})
			}
			if out[j].q.Type != ChoiceType {
				out[j].weeks[i].n, out[j].weeks[i].sum = st.Count, st.Sum
			}
		}
		counts, err := tx.ScoreCounts(from, to, countKeys, f)
		if err != nil {
			return nil, err
		}
		for _, c := range counts {
			t := &out[index[c.Key]].weeks[i]
			if t.byScore == nil {
				t.byScore = map[int]int{}
			}
			t.byScore[c.Score] += c.Count
		}
		choices, err := tx.ChoiceCounts(from, to, choiceKeys, f)
		if err != nil {
			return nil, err
		}
		for _, c := range choices {
			t := &out[index[c.Key]].weeks[i]
			if c.Option == "" {
				t.n = c.Count
				continue
			}
			if t.byOption == nil {
				t.byOption = map[string]int{}
			}
			t.byOption[c.Option] = c.Count
		}
	}
	slices.SortFunc(out[planned:], func(a, b series) int { return cmp.Compare(a.q.Key, b.q.Key) })
	return out, nil
}

// dimension is the series' figures for its last week, with the week before and the trend.
func (sr series) dimension() Dimension {
	n := len(sr.weeks)
	d := Dimension{Key: sr.q.Key, Kind: sr.q.Type, Trend: make([]*float64, n)}
	if d.Kind == "" {
		d.Kind = Scale
	}
	cur := sr.weeks[n-1]
	d.Responses = cur.n
	if d.Kind == ChoiceType {
		d.Options = sr.options()
		return d
	}
	for i, t := range sr.weeks {
		d.Trend[i] = t.figure(d.Kind)
	}
	latest := d.Trend[n-1]
	if n > 1 {
		d.Previous = d.Trend[n-2]
	}
	if latest != nil && d.Previous != nil {
		d.Change = round2(*latest - *d.Previous)
	}
	switch d.Kind {
	case NPS:
		d.NPS = latest
		d.Promoters, d.Passives, d.Detractors = cur.npsSplit()
	case CSAT:
		d.CSAT = latest
		d.Satisfied = cur.satisfied()
	default:
		d.Average = latest
	}
	return d
}

// options lists a choice's options with their picks: the question's options in its order,
// then any other key picked in these weeks (an option since removed), by name.
func (sr series) options() []OptionFigure {
	n := len(sr.weeks)
	var keys []string
	for _, o := range sr.q.Options {
		keys = append(keys, o.Key)
	}
	var others []string
	for _, t := range sr.weeks {
		for k := range t.byOption {
			if !slices.Contains(keys, k) && !slices.Contains(others, k) {
				others = append(others, k)
			}
		}
	}
	slices.SortFunc(others, strings.Compare)
	out := make([]OptionFigure, 0, len(keys)+len(others))
	for _, k := range append(keys, others...) {
		o := OptionFigure{Key: k, Count: sr.weeks[n-1].byOption[k], Trend: make([]int, n)}
		for i, t := range sr.weeks {
			o.Trend[i] = t.byOption[k]
		}
		if n > 1 {
			o.Previous = sr.weeks[n-2].byOption[k]
		}
		out = append(out, o)
	}
	return out
}

// trendDimension is the series as the owners' page and the digest's chart draw it: the
// figure of each week between the kind's ends. A choice has no single figure: ok is false.
func (sr series) trendDimension() (td TrendDimension, ok bool) {
	td = TrendDimension{Key: sr.q.Key, Kind: sr.q.Type, Min: sr.q.Min, Max: sr.q.Max, Threshold: sr.threshold,
		Values: make([]*float64, len(sr.weeks)), Responses: make([]int, len(sr.weeks))}
	switch sr.q.Type {
	case ChoiceType:
		return td, false
	case NPS:
		td.Min, td.Max = -100, 100
	case CSAT:
		td.Min, td.Max = 0, 100
	}
	for i, t := range sr.weeks {
		td.Values[i], td.Responses[i] = t.figure(sr.q.Type), t.n
	}
	return td, true
}

// lowestComments returns up to limit of the lowest-scored comments that f selects in [from,
// to): text answers, not a choice's option keys (stored as text too).
func (s *Service) lowestComments(tx Tx, from, to time.Time, f ReportFilter, limit int) ([]DigestComment, error) {
	var choices []string
	for _, p := range s.set.Surveys {
		for _, q := range p.Questions {
			if q.Type == ChoiceType && !slices.Contains(choices, q.Key) {
				choices = append(choices, q.Key)
			}
		}
	}
	cs, err := tx.Comments(from, to, f, choices, limit)
	if err != nil {
		return nil, err
	}
	out := []DigestComment{}
	for _, c := range cs {
		dc := DigestComment{Question: c.Key, Text: c.Text}
		if c.MinScore >= 0 {
			v := c.MinScore
			dc.MinScore = &v
		}
		out = append(out, dc)
	}
	return out, nil
}
