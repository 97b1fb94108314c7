package core

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// TrendWeeks is how many weeks the owners' page and the digest's chart show.
const TrendWeeks = 12

// Trend is each dimension's weekly figure over consecutive weeks.
type Trend struct {
	Business   string           `json:"business"`
	Weeks      []string         `json:"weeks"` // ISO weeks, oldest first ("2026-W47")
	Dimensions []TrendDimension `json:"dimensions"`
}

// TrendDimension is one question's weekly figures. Kind says which figure Values hold: the
// average score of a scale or ces question, the NPS (-100..100), the CSAT (% of 4s and 5s).
type TrendDimension struct {
	Key  string       `json:"key"`
	Kind QuestionType `json:"kind"`
	// Min and Max are the figure's ends: the scale's, -100 and 100 for an NPS, 0 and 100 for
	// a CSAT; both 0 for a key no plan asks any more.
	Min int `json:"min"`
	Max int `json:"max"`
	// Threshold is the business's standard for the question: a score at or below it offers
	// the customer a complaint (the lowest threshold of the plans asking it); 0 for none.
	Threshold int        `json:"threshold"`
	Values    []*float64 `json:"values"`    // one per week; nil where nobody answered
	Responses []int      `json:"responses"` // answers per week
}

// Last returns the figure of the latest week and of the week before (nil where none).
func (d TrendDimension) Last() (latest, previous *float64) {
	n := len(d.Values)
	if n > 0 {
		latest = d.Values[n-1]
	}
	if n > 1 {
		previous = d.Values[n-2]
	}
	return latest, previous
}

// hasValues reports whether any dimension has a figure in any week.
func (t Trend) hasValues() bool {
	for _, d := range t.Dimensions {
		for _, v := range d.Values {
			if v != nil {
				return true
			}
		}
	}
	return false
}

// trend computes n weeks of every dimension with one figure a week up to and including week
// last, for the answers f selects: the questions of the plans (of f's plan, when set) with a
// figure in plan order, then any other key answered in those weeks, by name. Choices have
// counts, not one figure: they are not in it (the owners' page shows them from Figures).
func (s *Service) trend(tx Tx, last Week, n int, f ReportFilter) (Trend, error) {
	all, err := s.weeklySeries(tx, last, n, f)
	if err != nil {
		return Trend{}, err
	}
	return trendOf(s.set.Business.Name, last, n, all), nil
}

// trendOf is the trend of the series, n weeks up to last.
func trendOf(business string, last Week, n int, all []series) Trend {
	t := Trend{Business: business, Weeks: make([]string, n), Dimensions: []TrendDimension{}}
	for i := range n {
		t.Weeks[i] = last.Add(i - n + 1).String()
	}
	for _, sr := range all {
		if td, ok := sr.trendDimension(); ok {
			t.Dimensions = append(t.Dimensions, td)
		}
	}
	return t
}

// Dashboard is everything the owners' page shows for one week and filter.
type Dashboard struct {
	Business string       `json:"business"`
	Week     string       `json:"week"`
	From     time.Time    `json:"from"`
	To       time.Time    `json:"to"`
	Partial  bool         `json:"partial"` // the week is not over yet
	AsOf     time.Time    `json:"as_of"`
	Filter   ReportFilter `json:"filter"`
	// Plans and Platforms are what the page offers to filter by.
	Plans     []string   `json:"plans"`
	Platforms []Platform `json:"platforms"`
	Trend     Trend      `json:"trend"` // TrendWeeks weeks ending with Week
	// Figures are the week's figures of each question by kind (NPS with its split, CSAT,
	// choice counts), each with its TrendWeeks-week trend, as the digest gives them.
	Figures []Dimension   `json:"figures"`
	Surveys SurveyFigures `json:"surveys"`
	// Complaints are the week's figures against the standards. Breaches are counted only
	// without a filter (a breach is not stored with a plan or platform).
	Complaints ComplaintFigures `json:"complaints"`
	// ResolveWithinStandard counts the week's new complaints resolved before their
	// resolve_within deadline (the acknowledgement's count is in Complaints).
	ResolveWithinStandard int       `json:"resolved_within_standard"`
	Standards             Standards `json:"standards"`
	// Open lists the complaints not closed now, oldest first.
	Open     []OpenComplaint `json:"open"`
	Comments []DigestComment `json:"lowest_comments"`
}

// OpenComplaint is a complaint not closed yet, as the owners' page lists it.
type OpenComplaint struct {
	Ref      ComplaintRef    `json:"ref"`
	Status   ComplaintStatus `json:"status"`
	Owner    string          `json:"owner"` // empty while nobody has acknowledged it
	Platform Platform        `json:"platform"`
	OpenedAt time.Time       `json:"opened_at"`
	Age      time.Duration   `json:"age"`
	// Overdue names the standard it has missed: "acknowledge", "resolve" or "".
	Overdue string `json:"overdue"`
	Excerpt string `json:"excerpt"`
}

// dashboardComments is how many of the lowest-scored comments the page lists.
const dashboardComments = 5

// Dashboard computes the owners' page for week w and filter f: EINVALID for a plan that is
// not configured, an unknown platform or a week that has not started.
func (s *Service) Dashboard(ctx context.Context, w Week, f ReportFilter) (Dashboard, error) {
	now := s.clock.Now()
	if err := s.checkDashboard(w, f, now); err != nil {
		return Dashboard{}, err
	}
	var d Dashboard
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		d, err = s.dashboard(tx, w, f, now)
		return err
	})
	if err != nil {
		return Dashboard{}, fmt.Errorf("core: dashboard %s: %w", w, err)
	}
	return d, nil
}

func (s *Service) checkDashboard(w Week, f ReportFilter, now time.Time) error {
	if f.Plan != "" {
		if _, ok := s.set.Plan(f.Plan); !ok {
			return s.errIn(s.texts.Default(), EINVALID, KeyOwnersNoPlan, Args{"Plan": f.Plan})
		}
	}
	if f.Platform != "" && !f.Platform.Known() {
		return s.errIn(s.texts.Default(), EINVALID, KeyOwnersNoPlatform, Args{"Platform": string(f.Platform)})
	}
	if w.Start(s.set.Business.Location).After(now) {
		return s.errIn(s.texts.Default(), EINVALID, KeyOwnersWeekAhead, Args{"Week": w.String()})
	}
	return nil
}

func (s *Service) dashboard(tx Tx, w Week, f ReportFilter, now time.Time) (Dashboard, error) {
	loc := s.set.Business.Location
	from, to := w.Start(loc), w.End(loc)
	d := Dashboard{Business: s.set.Business.Name, Week: w.String(), From: from, To: to, Partial: now.Before(to),
		AsOf: to, Filter: f, Standards: s.set.Complaints, Open: []OpenComplaint{}, Comments: []DigestComment{},
		Figures: []Dimension{}}
	if d.Partial {
		d.AsOf = now
	}
	for _, p := range s.set.Surveys {
		d.Plans = append(d.Plans, p.Name)
	}
	for p := range s.set.Platforms {
		d.Platforms = append(d.Platforms, p)
	}
	slices.Sort(d.Platforms)
	all, err := s.weeklySeries(tx, w, TrendWeeks, f)
	if err != nil {
		return Dashboard{}, err
	}
	d.Trend = trendOf(s.set.Business.Name, w, TrendWeeks, all)
	for _, sr := range all {
		d.Figures = append(d.Figures, sr.dimension())
	}
	sent, answered, err := tx.SliceSurveyCounts(from, to, f)
	if err != nil {
		return Dashboard{}, err
	}
	d.Surveys = SurveyFigures{Sent: sent, Answered: answered, ResponseRate: ratio(answered, sent)}
	if d.Comments, err = s.lowestComments(tx, from, to, f, dashboardComments); err != nil {
		return Dashboard{}, err
	}
	if err := s.dashboardComplaints(tx, &d, f, now); err != nil {
		return Dashboard{}, err
	}
	return d, nil
}
