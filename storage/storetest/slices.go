package storetest

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"

	"earshot/core"
)

// slicedAnswer is an answer with its customer's platform, for aggregating by hand.
type slicedAnswer struct {
	core.Answer
	platform core.Platform
}

// rawSliceStats aggregates the answers themselves, filtered: what SliceScoreStats must equal.
func rawSliceStats(answers []slicedAnswer, from, to time.Time, f core.ReportFilter) []core.ScoreStat {
	var kept []core.Answer
	for _, a := range answers {
		if (f.Plan == "" || a.Plan == f.Plan) && (f.Platform == "" || a.platform == f.Platform) {
			kept = append(kept, a.Answer)
		}
	}
	return rawScoreStats(kept, from, to)
}

// addSlicedAnswers stores n answers from customers on three platforms to two plans, at
// random milliseconds (some on and next to hour boundaries), with texts and skips, and
// returns them with each run's plan and platform counted.
func addSlicedAnswers(t *testing.T, db core.Store, rng *rand.Rand, start time.Time, span time.Duration, n int) ([]slicedAnswer, map[core.ReportFilter]int) {
	t.Helper()
	var answers []slicedAnswer
	runs := map[core.ReportFilter]int{}
	platforms := []core.Platform{core.Telegram, core.Slack, core.Discord}
	plans := []string{"after-delivery", "after-visit"}
	keys := []string{"courtesy", "speed", "comment"}
	update(t, db, func(tx core.Tx) error {
		answers, runs = nil, map[core.ReportFilter]int{}
		for i := range n {
			at := start.Add(time.Duration(rng.Int64N(int64(span))) / time.Millisecond * time.Millisecond)
			if i%7 == 0 {
				at = at.Truncate(time.Hour)
			}
			ct := core.Contact{Ref: core.UserRef{Platform: platforms[rng.IntN(3)], ID: "s" + strconv.Itoa(i)}, CreatedAt: at}
			if err := tx.CreateContact(&ct); err != nil {
				return err
			}
			run := core.SurveyRun{ContactID: ct.ID, Plan: plans[rng.IntN(2)], State: core.RunCompleted, DueAt: at, SentAt: at, CreatedAt: at}
			if err := tx.CreateRun(&run); err != nil {
				return err
			}
			runs[core.ReportFilter{Plan: run.Plan, Platform: ct.Ref.Platform}]++
			for _, k := range keys[:1+rng.IntN(3)] {
				a := core.Answer{RunID: run.ID, ContactID: ct.ID, Plan: run.Plan, QuestionKey: k, AnsweredAt: at}
				switch {
				case k == "comment":
					a.Text = "text " + strconv.Itoa(i)
				case rng.IntN(6) == 0:
					a.Skipped = true
				default:
					a.Score = ptr(1 + rng.IntN(10))
				}
				if err := tx.AddAnswer(&a); err != nil {
					return err
				}
				answers = append(answers, slicedAnswer{a, ct.Ref.Platform})
			}
		}
		return nil
	})
	return answers, runs
}

var sliceFilters = []core.ReportFilter{
	{}, {Plan: "after-delivery"}, {Platform: core.Slack}, {Plan: "after-visit", Platform: core.Discord},
	{Plan: "no-such-plan"}, {Platform: "irc"},
}

func testSliceScoreStatsEqualRawAggregation(t *testing.T, db core.Store) {
	rng := rand.New(rand.NewPCG(7, 8))
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	span := 30 * 24 * time.Hour
	answers, _ := addSlicedAnswers(t, db, rng, start, span, 1500)
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	type window struct{ from, to time.Time }
	var windows []window
	for _, loc := range []*time.Location{time.UTC, kolkata} { // Kolkata's weeks start mid-hour
		for w := core.WeekOf(start, loc); w.Start(loc).Before(start.Add(span)); w = w.Add(1) {
			windows = append(windows, window{w.Start(loc), w.End(loc)})
		}
	}
	for range 60 {
		from := start.Add(time.Duration(rng.Int64N(int64(span))))
		windows = append(windows, window{from, from.Add(time.Duration(rng.Int64N(int64(5 * 24 * time.Hour))))})
	}
	windows = append(windows, window{start, start}, window{start.Add(-time.Hour), start.Add(span + time.Hour)})
	view(t, db, func(tx core.Tx) error {
		for _, w := range windows {
			for _, f := range sliceFilters {
				got, err := tx.SliceScoreStats(w.from, w.to, f)
				if err != nil {
					return err
				}
				if want := rawSliceStats(answers, w.from, w.to, f); !reflect.DeepEqual(got, want) {
					t.Errorf("SliceScoreStats(%v, %v, %+v) = %+v\nraw aggregation %+v", w.from, w.to, f, got, want)
				}
			}
			all, err := tx.ScoreStats(w.from, w.to)
			if err != nil {
				return err
			}
			if sliced, _ := tx.SliceScoreStats(w.from, w.to, core.ReportFilter{}); !reflect.DeepEqual(all, sliced) {
				t.Errorf("unfiltered SliceScoreStats %+v differs from ScoreStats %+v", sliced, all)
			}
		}
		return nil
	})
}

// TestSliceCountsAndComments: the filtered survey counts and comments are the unfiltered
// ones restricted to the plan and platform.
func testSliceCountsAndComments(t *testing.T, db core.Store) {
	start := time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC)
	_, runs := addSlicedAnswers(t, db, rand.New(rand.NewPCG(9, 10)), start, 7*24*time.Hour, 400)
	from, to := start, start.Add(7*24*time.Hour)
	view(t, db, func(tx core.Tx) error {
		sent, answered, err := tx.SurveyCounts(from, to)
		if err != nil {
			return err
		}
		s0, a0, err := tx.SliceSurveyCounts(from, to, core.ReportFilter{})
		if err != nil || s0 != sent || a0 != answered {
			t.Errorf("unfiltered SliceSurveyCounts = %d, %d, %v; SurveyCounts %d, %d", s0, a0, err, sent, answered)
		}
		var sumSent int
		for _, p := range []core.Platform{core.Telegram, core.Slack, core.Discord} {
			for _, plan := range []string{"after-delivery", "after-visit"} {
				f := core.ReportFilter{Plan: plan, Platform: p}
				s, a, err := tx.SliceSurveyCounts(from, to, f)
				if err != nil {
					return err
				}
				want := runs[f]
				if s != want || a > s {
					t.Errorf("SliceSurveyCounts(%+v) = %d sent, %d answered; want %d sent", f, s, a, want)
				}
				sumSent += s
				comments, err := tx.SliceLowestComments(from, to, f, 1000)
				if err != nil {
					return err
				}
				for _, c := range comments {
					run, err := tx.Run(c.RunID)
					if err != nil {
						return err
					}
					ct, err := tx.Contact(run.ContactID)
					if err != nil {
						return err
					}
					if run.Plan != plan || ct.Ref.Platform != p {
						t.Errorf("comment of run %d (%s, %s) under filter %+v", c.RunID, run.Plan, ct.Ref.Platform, f)
					}
				}
			}
		}
		if sumSent != sent {
			t.Errorf("slices sent %d in all, want %d", sumSent, sent)
		}
		all, err := tx.LowestComments(from, to, 5)
		if err != nil {
			return err
		}
		sliced, err := tx.SliceLowestComments(from, to, core.ReportFilter{}, 5)
		if err != nil || !reflect.DeepEqual(all, sliced) || len(all) != 5 {
			t.Errorf("unfiltered SliceLowestComments = %+v, %v\nLowestComments %+v", sliced, err, all)
		}
		return nil
	})
}
