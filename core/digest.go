package core

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"
)

// Digest is the weekly report for owners: scores, surveys and complaints of one ISO week in
// the business time zone.
type Digest struct {
	Business    string           `json:"business"`
	Week        string           `json:"week"`
	From        time.Time        `json:"from"`
	To          time.Time        `json:"to"`
	Partial     bool             `json:"partial"` // the week is not over yet
	AsOf        time.Time        `json:"as_of"`   // the week's end, or now while it runs
	Dimensions  []Dimension      `json:"dimensions"`
	Surveys     SurveyFigures    `json:"surveys"`
	Complaints  ComplaintFigures `json:"complaints"`
	Comments    []DigestComment  `json:"lowest_comments"`
	DeadLetters int              `json:"dead_letters"`
	// ErasedByRetention counts the customers erased in the week for having been inactive
	// longer than retention.customers.
	ErasedByRetention int `json:"erased_by_retention"`
}

// Dimension is one question's figures for the week (digest_kinds.go says how each kind's
// is computed): the figure, the week before's (Previous), the change and the weeks up to
// this one (Trend, oldest first; nil where a week had no answer). Average holds the figure of
// scale and ces questions, NPS and CSAT theirs; a choice has Options instead. Its JSON is
// the kind's shape (digest_json.go).
type Dimension struct {
	Key       string
	Kind      QuestionType
	Average   *float64 // scale, ces
	NPS       *float64 // nps: -100..100
	CSAT      *float64 // csat: % of the answers that are 4 or 5
	Previous  *float64
	Change    *float64
	Responses int // answers (to a multiple choice: the answers, not the picks)
	Trend     []*float64
	// Promoters (9-10), Passives (7-8) and Detractors (0-6) split an NPS's answers.
	Promoters, Passives, Detractors int
	// Satisfied counts a CSAT's answers of 4 or 5.
	Satisfied int
	// Options are a choice's options: the question's in its order, then any other picked.
	Options []OptionFigure
}

// OptionFigure is how often one option of a choice was picked: this week, the week before
// and in each week of the trend.
type OptionFigure struct {
	Key      string
	Count    int
	Previous int
	Trend    []int
}

// Figure returns the kind's figure of the week: the average, the NPS or the CSAT; nil for
// a choice or a week without answers.
func (d Dimension) Figure() *float64 {
	switch d.Kind {
	case NPS:
		return d.NPS
	case CSAT:
		return d.CSAT
	}
	return d.Average
}

// SurveyFigures counts the week's surveys.
type SurveyFigures struct {
	Sent         int      `json:"sent"`
	Answered     int      `json:"answered"`
	ResponseRate *float64 `json:"response_rate"` // answered / sent, 0..1
}

// ComplaintFigures are the week's complaint figures against the standards.
type ComplaintFigures struct {
	Opened              int            `json:"opened"`
	Acknowledged        int            `json:"acknowledged"`
	AckWithinStandard   int            `json:"acknowledged_within_standard"`
	AckWithinPct        *float64       `json:"acknowledged_within_standard_pct"`
	MedianAckSeconds    *float64       `json:"median_ack_seconds"`
	MedianResolveSecond *float64       `json:"median_resolve_seconds"`
	Resolved            int            `json:"resolved"`
	ConfirmedSolved     int            `json:"confirmed_solved"`
	ClosedUnconfirmed   int            `json:"closed_unconfirmed"`
	Reopened            int            `json:"reopened"`
	Breaches            map[string]int `json:"breaches"`
	StillOpen           []OpenItem     `json:"still_open"`
	// WaitingOnCustomer counts the complaints still open whose team is waiting for the
	// customer (/wait) at the week's end; their resolve clock is paused.
	WaitingOnCustomer int `json:"waiting_on_customer"`
}

// OpenItem is a complaint still open at the end of the week.
type OpenItem struct {
	Ref      ComplaintRef    `json:"ref"`
	Status   ComplaintStatus `json:"status"`
	Owner    string          `json:"owner"`
	OpenedAt time.Time       `json:"opened_at"`
}

// DigestComment is one of the lowest-scored comments.
type DigestComment struct {
	Question string `json:"question"`
	Text     string `json:"text"`
	MinScore *int   `json:"min_score"`
}

// Empty reports whether nothing happened in the week.
func (d Digest) Empty() bool {
	for _, dim := range d.Dimensions {
		if dim.Responses > 0 {
			return false
		}
	}
	c := d.Complaints
	return d.Surveys.Sent == 0 && c.Opened == 0 && c.Acknowledged == 0 && c.Resolved == 0 &&
		len(c.StillOpen) == 0 && c.ConfirmedSolved == 0 && c.ClosedUnconfirmed == 0 && d.DeadLetters == 0
}

// Digest computes the digest of a week.
func (s *Service) Digest(ctx context.Context, w Week) (Digest, error) {
	var d Digest
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		d, err = s.digest(tx, w, s.clock.Now())
		return err
	})
	if err != nil {
		return Digest{}, fmt.Errorf("core: digest %s: %w", w, err)
	}
	return d, nil
}

// LastFullWeek returns the ISO week before the current one.
func (s *Service) LastFullWeek() Week {
	return WeekOf(s.clock.Now(), s.set.Business.Location).Add(-1)
}

func (s *Service) digest(tx Tx, w Week, now time.Time) (Digest, error) {
	loc := s.set.Business.Location
	from, to := w.Start(loc), w.End(loc)
	d := Digest{Business: s.set.Business.Name, Week: w.String(), From: from, To: to, Partial: now.Before(to),
		AsOf:       to,
		Dimensions: []Dimension{}, Comments: []DigestComment{}}
	if now.Before(to) {
		d.AsOf = now
	}
	if err := s.digestScores(tx, &d, w); err != nil {
		return Digest{}, err
	}
	sent, answered, err := tx.SurveyCounts(from, to)
	if err != nil {
		return Digest{}, err
	}
	d.Surveys = SurveyFigures{Sent: sent, Answered: answered, ResponseRate: ratio(answered, sent)}
	if d.Complaints, err = s.complaintFigures(tx, from, to); err != nil {
		return Digest{}, err
	}
	if d.Comments, err = s.lowestComments(tx, from, to, ReportFilter{}, 3); err != nil {
		return Digest{}, err
	}
	if d.ErasedByRetention, err = s.retired(tx, w); err != nil {
		return Digest{}, err
	}
	if d.DeadLetters, err = tx.DeadLetters(from, to); err != nil {
		return Digest{}, err
	}
	return d, nil
}

// digestWeeks is how many weeks each dimension's trend in the digest shows.
const digestWeeks = 8

// digestScores fills the dimensions: every question with a figure of the plans (scale, nps,
// csat, ces, choice) in plan order, then any key with scores this week from a plan since changed.
func (s *Service) digestScores(tx Tx, d *Digest, w Week) error {
	all, err := s.weeklySeries(tx, w, digestWeeks, ReportFilter{})
	if err != nil {
		return err
	}
	for _, sr := range all {
		if sr.asked || sr.weeks[digestWeeks-1].n > 0 { // a key no plan asks: while it has answers
			d.Dimensions = append(d.Dimensions, sr.dimension())
		}
	}
	return nil
}

func (s *Service) complaintFigures(tx Tx, from, to time.Time) (ComplaintFigures, error) {
	list, err := tx.Complaints(ComplaintFilter{OpenedTo: to, ActiveFrom: from})
	if err != nil {
		return ComplaintFigures{}, err
	}
	f := figuresOf(list, from, to, s.set.StandardClock())
	breaches, err := tx.Breaches(from, to)
	if err != nil {
		return f, err
	}
	for k, n := range breaches {
		f.Breaches[string(k)] = n
	}
	return f, nil
}

// figuresOf counts what happened in [from, to) to the complaints of list (those opened
// before to and not closed before from), all but the breaches; clock counts the medians.
func figuresOf(list []Complaint, from, to time.Time, clock StandardClock) ComplaintFigures {
	f := ComplaintFigures{Breaches: map[string]int{}, StillOpen: []OpenItem{}}
	in := func(t time.Time) bool { return !t.IsZero() && !t.Before(from) && t.Before(to) }
	var ackTimes, resolveTimes []float64
	for _, cp := range list {
		if in(cp.OpenedAt) {
			f.Opened++
			if !cp.AckAt.IsZero() && cp.AckAt.Before(cp.AckDue) { // at the deadline it is breached
				f.AckWithinStandard++
			}
		}
		if in(cp.AckAt) {
			f.Acknowledged++
			ackTimes = append(ackTimes, clock.Between(cp.OpenedAt, cp.AckAt).Seconds())
		}
		if in(cp.ResolvedAt) {
			f.Resolved++
			resolveTimes = append(resolveTimes, (clock.Between(cp.OpenedAt, cp.ResolvedAt) - cp.Waited).Seconds())
		}
		if in(cp.ClosedAt) {
			if cp.Confirmed != nil && *cp.Confirmed {
				f.ConfirmedSolved++
			} else {
				f.ClosedUnconfirmed++
			}
		}
		if cp.Reopened > 0 && in(cp.OpenedAt) {
			f.Reopened++
		}
		if cp.ClosedAt.IsZero() || !cp.ClosedAt.Before(to) {
			f.StillOpen = append(f.StillOpen, OpenItem{Ref: cp.Ref(), Status: cp.Status, Owner: cp.AckBy, OpenedAt: cp.OpenedAt})
			if !cp.WaitingAt.IsZero() && cp.WaitingAt.Before(to) {
				f.WaitingOnCustomer++
			}
		}
	}
	f.AckWithinPct = ratio(f.AckWithinStandard, f.Opened)
	if f.AckWithinPct != nil {
		f.AckWithinPct = round2(*f.AckWithinPct * 100)
	}
	f.MedianAckSeconds, f.MedianResolveSecond = median(ackTimes), median(resolveTimes)
	return f
}

func ratio(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	return round2(float64(a) / float64(b))
}

func round2(x float64) *float64 {
	v := math.Round(x*100) / 100
	return &v
}

func median(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	slices.Sort(xs)
	m := xs[len(xs)/2]
	if len(xs)%2 == 0 {
		m = (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
	}
	return &m
}
