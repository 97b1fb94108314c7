package storetest

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

// kindQuestions are the questions the kind-rollup tests' runs keep: an nps, a csat, a single
// and a multiple choice, and a text whose answers look like option keys but are not choices.
var kindQuestions = []core.Question{
	{Key: "nps", Type: core.NPS, Min: 0, Max: 10},
	{Key: "csat", Type: core.CSAT, Min: 1, Max: 5},
	{Key: "reason", Type: core.ChoiceType, Options: []core.Option{{Key: "delivery"}, {Key: "staff"}, {Key: "price"}}},
	{Key: "extras", Type: core.ChoiceType, Multiple: true, Options: []core.Option{{Key: "a"}, {Key: "b"}, {Key: "c"}}},
	{Key: "note", Type: core.Text},
}

// kindAnswer is an answer with its contact's platform, for the raw counts.
type kindAnswer struct {
	core.Answer
	platform core.Platform
}

// addKindAnswers stores n answers to kindQuestions at random times over the span after
// start (some on and next to hour boundaries), from contacts on two platforms in two plans,
// in runs that keep kindQuestions, plus answers to "reason" in a run that kept no questions
// (from before runs kept them: not counted as choices).
func addKindAnswers(t *testing.T, db core.Store, rng *rand.Rand, start time.Time, span time.Duration, n int) []kindAnswer {
	t.Helper()
	var runs []core.SurveyRun
	var platforms []core.Platform
	update(t, db, func(tx core.Tx) error {
		for i, p := range []core.Platform{core.Telegram, core.Slack, core.Telegram} {
			c := core.Contact{Ref: core.UserRef{Platform: p, ID: "kind" + string(rune('a'+i))}, CreatedAt: start}
			if err := tx.CreateContact(&c); err != nil {
				return err
			}
			r := core.SurveyRun{ContactID: c.ID, Plan: []string{"p1", "p2", "p1"}[i], State: core.RunSent,
				DueAt: start, SentAt: start, CreatedAt: start, Questions: kindQuestions}
			if i == 2 {
				r.Questions = nil // a run from before runs kept their questions
			}
			if err := tx.CreateRun(&r); err != nil {
				return err
			}
			runs, platforms = append(runs, r), append(platforms, p)
		}
		return nil
	})
	picks := []string{"delivery", "staff", "price"}
	var out []kindAnswer
	for i := range n {
		at := start.Add(time.Duration(rng.Int64N(int64(span))) / time.Millisecond * time.Millisecond)
		switch i % 10 {
		case 0:
			at = at.Truncate(time.Hour)
		case 1:
			at = at.Truncate(time.Hour).Add(-time.Millisecond)
		case 2:
			at = at.Truncate(30 * time.Minute)
		}
		ri := rng.IntN(2)
		if i%25 == 0 {
			ri = 2
		}
		r := runs[ri]
		a := core.Answer{RunID: r.ID, ContactID: r.ContactID, Plan: r.Plan, AnsweredAt: at}
		switch k := rng.IntN(5); {
		case ri == 2:
			a.QuestionKey, a.Text = "reason", picks[rng.IntN(3)]
		case rng.IntN(10) == 0:
			a.QuestionKey, a.Skipped = kindQuestions[k].Key, true
		case k == 0:
			a.QuestionKey, a.Score = "nps", ptr(rng.IntN(11))
		case k == 1:
			a.QuestionKey, a.Score = "csat", ptr(1+rng.IntN(5))
		case k == 2:
			a.QuestionKey, a.Text = "reason", picks[rng.IntN(3)]
		case k == 3:
			var keys []string
			for _, o := range []string{"a", "b", "c"} {
				if rng.IntN(2) == 0 {
					keys = append(keys, o)
				}
			}
			if len(keys) == 0 {
				keys = []string{"b"}
			}
			a.QuestionKey, a.Text = "extras", strings.Join(keys, ",")
		default:
			a.QuestionKey, a.Text = "note", picks[rng.IntN(3)] // a text that looks like a key
		}
		out = append(out, kindAnswer{a, platforms[ri]})
	}
	update(t, db, func(tx core.Tx) error {
		for i := range out {
			if err := tx.AddAnswer(&out[i].Answer); err != nil {
				return err
			}
		}
		return nil
	})
	return out
}

// rawKindCounts counts the answers themselves: what ScoreCounts and ChoiceCounts must equal.
// Choice answers count only in runs that kept their questions.
func rawKindCounts(answers []kindAnswer, runs map[int64]bool, from, to time.Time, f core.ReportFilter) ([]core.ScoreCount, []core.ChoiceCount) {
	scores := map[core.ScoreCount]int{}
	choices := map[core.ChoiceCount]int{}
	for _, a := range answers {
		if a.AnsweredAt.Before(from) || !a.AnsweredAt.Before(to) || (f.Plan != "" && a.Plan != f.Plan) ||
			(f.Platform != "" && a.platform != f.Platform) || a.Skipped {
			continue
		}
		switch {
		case a.Score != nil:
			scores[core.ScoreCount{Key: a.QuestionKey, Score: *a.Score}]++
		case (a.QuestionKey == "reason" || a.QuestionKey == "extras") && runs[a.RunID]:
			choices[core.ChoiceCount{Key: a.QuestionKey}]++
			for _, o := range strings.Split(a.Text, ",") {
				choices[core.ChoiceCount{Key: a.QuestionKey, Option: o}]++
			}
		}
	}
	var sc []core.ScoreCount
	for k, n := range scores {
		k.Count = n
		sc = append(sc, k)
	}
	slices.SortFunc(sc, func(a, b core.ScoreCount) int {
		return strings.Compare(a.Key, b.Key)*2 + cmpInt(a.Score, b.Score)
	})
	var cc []core.ChoiceCount
	for k, n := range choices {
		k.Count = n
		cc = append(cc, k)
	}
	slices.SortFunc(cc, func(a, b core.ChoiceCount) int {
		return strings.Compare(a.Key, b.Key)*2 + strings.Compare(a.Option, b.Option)
	})
	return sc, cc
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// testKindCountsEqualRawCounts: the per-hour rollups of scores and options give what
// counting the answers gives, for weeks starting mid-hour (Kolkata), random ranges, each
// plan and platform, and a text question whose answers look like options is not counted.
func testKindCountsEqualRawCounts(t *testing.T, db core.Store) {
	rng := rand.New(rand.NewPCG(3, 4))
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	span := 20 * 24 * time.Hour
	answers := addKindAnswers(t, db, rng, start, span, 3000)
	runs := map[int64]bool{}
	for _, a := range answers {
		if a.QuestionKey == "nps" || a.QuestionKey == "note" {
			runs[a.RunID] = true // runs asking these kept kindQuestions
		}
	}
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	type span2 struct{ from, to time.Time }
	var ranges []span2
	for w := core.WeekOf(start, kolkata); w.Start(kolkata).Before(start.Add(span)); w = w.Add(1) {
		ranges = append(ranges, span2{w.Start(kolkata), w.End(kolkata)})
	}
	for range 60 {
		from := start.Add(-time.Hour + time.Duration(rng.Int64N(int64(span+2*time.Hour))))
		ranges = append(ranges, span2{from, from.Add(time.Duration(rng.Int64N(int64(5 * 24 * time.Hour))))})
	}
	ranges = append(ranges, span2{start, start}, span2{start.Add(-time.Hour), start.Add(span + time.Hour)})
	filters := []core.ReportFilter{{}, {Plan: "p1"}, {Platform: core.Slack}, {Plan: "p2", Platform: core.Telegram}}
	view(t, db, func(tx core.Tx) error {
		for _, r := range ranges {
			for _, f := range filters {
				wantS, wantC := rawKindCounts(answers, runs, r.from, r.to, f)
				gotS, err := tx.ScoreCounts(r.from, r.to, []string{"nps", "csat", "nps"}, f)
				if err != nil {
					return err
				}
				if !reflect.DeepEqual(gotS, wantS) {
					t.Errorf("ScoreCounts(%v, %v, %+v) = %+v\nraw %+v", r.from, r.to, f, gotS, wantS)
				}
				gotC, err := tx.ChoiceCounts(r.from, r.to, []string{"reason", "extras"}, f)
				if err != nil {
					return err
				}
				if !reflect.DeepEqual(gotC, wantC) {
					t.Errorf("ChoiceCounts(%v, %v, %+v) = %+v\nraw %+v", r.from, r.to, f, gotC, wantC)
				}
			}
		}
		if got, err := tx.ScoreCounts(start, start.Add(span), nil, core.ReportFilter{}); err != nil || len(got) != 0 {
			t.Errorf("ScoreCounts of no keys = %+v, %v; want none", got, err)
		}
		if got, err := tx.ChoiceCounts(start, start.Add(span), []string{"note"}, core.ReportFilter{}); err != nil || len(got) != 0 {
			t.Errorf("ChoiceCounts of a text question = %+v, %v; want none", got, err)
		}
		return nil
	})
	// An erase empties the texts; the counts stay.
	before := func() []core.ChoiceCount {
		var cc []core.ChoiceCount
		view(t, db, func(tx core.Tx) error {
			var err error
			cc, err = tx.ChoiceCounts(start.Add(-time.Hour), start.Add(span+time.Hour), []string{"reason", "extras"}, core.ReportFilter{})
			return err
		})
		return cc
	}
	was := before()
	update(t, db, func(tx core.Tx) error { return tx.EraseContact(answers[0].ContactID, start.Add(span)) })
	if now := before(); !reflect.DeepEqual(now, was) {
		t.Errorf("an erase changed ChoiceCounts: %+v, was %+v", now, was)
	}
}

// testCommentsSkipChoices: Comments is SliceLowestComments without the keys it is told to
// skip (a choice's option keys are stored as text), lowest-scored run first.
func testCommentsSkipChoices(t *testing.T, db core.Store) {
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	update(t, db, func(tx core.Tx) error {
		for i, score := range []int{2, 8} {
			c := core.Contact{Ref: core.UserRef{Platform: core.Telegram, ID: "cm" + string(rune('a'+i))}, CreatedAt: at}
			if err := tx.CreateContact(&c); err != nil {
				return err
			}
			r := core.SurveyRun{ContactID: c.ID, Plan: "p1", State: core.RunSent, DueAt: at, SentAt: at, CreatedAt: at,
				Questions: kindQuestions}
			if err := tx.CreateRun(&r); err != nil {
				return err
			}
			for _, a := range []core.Answer{{QuestionKey: "nps", Score: ptr(score)}, {QuestionKey: "reason", Text: "delivery"},
				{QuestionKey: "note", Text: "note " + string(rune('a'+i))}} {
				a.RunID, a.ContactID, a.Plan, a.AnsweredAt = r.ID, c.ID, r.Plan, at
				if err := tx.AddAnswer(&a); err != nil {
					return err
				}
			}
		}
		return nil
	})
	view(t, db, func(tx core.Tx) error {
		from, to := at.Add(-time.Hour), at.Add(time.Hour)
		got, err := tx.Comments(from, to, core.ReportFilter{}, []string{"reason", "extras"}, 5)
		if err != nil {
			return err
		}
		var texts []string
		for _, c := range got {
			texts = append(texts, c.Key+":"+c.Text+":"+strconv.Itoa(c.MinScore))
		}
		if want := []string{"note:note a:2", "note:note b:8"}; !slices.Equal(texts, want) {
			t.Errorf("Comments = %q, want %q", texts, want)
		}
		if got, err := tx.Comments(from, to, core.ReportFilter{Platform: core.Slack}, nil, 5); err != nil || len(got) != 0 {
			t.Errorf("Comments on Slack = %+v, %v; want none", got, err)
		}
		if got, err := tx.Comments(from, to, core.ReportFilter{}, nil, 1); err != nil || len(got) != 1 || got[0].MinScore != 2 {
			t.Errorf("Comments skipping nothing, limit 1 = %+v, %v; want the lowest-scored run's first", got, err)
		}
		return nil
	})
}
