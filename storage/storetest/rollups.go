package storetest

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"earshot/core"
)

// rawScoreStats aggregates the answers themselves: what ScoreStats must equal.
func rawScoreStats(answers []core.Answer, from, to time.Time) []core.ScoreStat {
	byKey := map[string]*core.ScoreStat{}
	for _, a := range answers {
		if a.Score == nil || a.AnsweredAt.Before(from) || !a.AnsweredAt.Before(to) {
			continue
		}
		st := byKey[a.QuestionKey]
		if st == nil {
			st = &core.ScoreStat{Key: a.QuestionKey}
			byKey[a.QuestionKey] = st
		}
		st.Sum += int64(*a.Score)
		st.Count++
	}
	var out []core.ScoreStat
	for _, st := range byKey {
		out = append(out, *st)
	}
	slices.SortFunc(out, func(a, b core.ScoreStat) int {
		if a.Key < b.Key {
			return -1
		}
		return 1
	})
	return out
}

// addRandomAnswers stores n answers over the span after start, at random milliseconds, with
// a few keys, scores, texts and skips, some on hour boundaries and next to them, and
// returns them.
func addRandomAnswers(t *testing.T, db core.Store, rng *rand.Rand, start time.Time, span time.Duration, n int) []core.Answer {
	t.Helper()
	c := addContact(t, db, "r")
	r := addRun(t, db, c.ID, start)
	keys := []string{"courtesy", "speed", "value", "comment"}
	var answers []core.Answer
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
		a := core.Answer{RunID: r.ID, ContactID: c.ID, Plan: "p", QuestionKey: keys[rng.IntN(len(keys))], AnsweredAt: at}
		switch {
		case a.QuestionKey == "comment":
			a.Text = "text"
		case rng.IntN(8) == 0:
			a.Skipped = true
		default:
			a.Score = ptr(1 + rng.IntN(10))
		}
		answers = append(answers, a)
	}
	update(t, db, func(tx core.Tx) error {
		for _, a := range answers {
			if err := tx.AddAnswer(&a); err != nil {
				return err
			}
		}
		return nil
	})
	return answers
}

func testScoreStatsEqualRawAggregation(t *testing.T, db core.Store) {
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	span := 40 * 24 * time.Hour
	answers := addRandomAnswers(t, db, rng, start, span, 4000)
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	type rng2 struct{ from, to time.Time }
	var ranges []rng2
	// Weeks in a zone with a half-hour offset start at 18:30 UTC, mid-hour.
	for w := core.WeekOf(start, kolkata); w.Start(kolkata).Before(start.Add(span)); w = w.Add(1) {
		ranges = append(ranges, rng2{w.Start(kolkata), w.End(kolkata)})
	}
	if got := ranges[1].from; got.UTC().Minute() != 30 {
		t.Fatalf("a Kolkata week starts at %v, want mid-hour", got)
	}
	for range 300 {
		from := start.Add(-time.Hour + time.Duration(rng.Int64N(int64(span+2*time.Hour))))
		length := time.Duration(rng.Int64N(int64(10 * 24 * time.Hour)))
		if rng.IntN(3) == 0 {
			length = time.Duration(rng.Int64N(int64(3 * time.Hour))) // within or across a few hours
		}
		ranges = append(ranges, rng2{from, from.Add(length)})
	}
	ranges = append(ranges, rng2{start, start}, rng2{start.Add(time.Hour), start}, // empty
		rng2{start.Add(-time.Hour), start.Add(span + time.Hour)}) // everything
	view(t, db, func(tx core.Tx) error {
		for _, r := range ranges {
			got, err := tx.ScoreStats(r.from, r.to)
			if err != nil {
				return err
			}
			if want := rawScoreStats(answers, r.from, r.to); !reflect.DeepEqual(got, want) {
				t.Errorf("ScoreStats(%v, %v) = %+v\nraw aggregation %+v", r.from, r.to, got, want)
			}
		}
		return nil
	})
}

func testScoreStatsKolkataWeekEdges(t *testing.T, db core.Store) {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	w := core.WeekOf(time.Date(2026, 11, 18, 12, 0, 0, 0, kolkata), kolkata)
	from, to := w.Start(kolkata), w.End(kolkata) // Sunday 18:30 UTC to Sunday 18:30 UTC
	if from.UTC().Minute() != 30 || to.UTC().Minute() != 30 {
		t.Fatalf("Kolkata week %v–%v does not start and end mid-hour", from.UTC(), to.UTC())
	}
	c := addContact(t, db, "k")
	r := addRun(t, db, c.ID, from)
	at := []struct {
		at    time.Time
		score int
	}{
		{from.Add(-time.Millisecond), 1},   // the hour of the start, before it: out
		{from, 2},                          // in
		{from.Add(29 * time.Minute), 3},    // in, the rest of that hour
		{from.Add(2 * time.Hour), 4},       // a whole hour
		{to.Add(-time.Millisecond), 5},     // in, the hour of the end
		{to, 6},                            // out
		{to.Add(-31 * time.Minute), 7},     // in, the hour before the end's
		{from.Add(-31 * time.Minute), 100}, // out, the hour before the start's
	}
	update(t, db, func(tx core.Tx) error {
		for _, a := range at {
			if err := tx.AddAnswer(&core.Answer{RunID: r.ID, ContactID: c.ID, Plan: "p", QuestionKey: "k",
				Score: ptr(a.score), AnsweredAt: a.at}); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, db, func(tx core.Tx) error {
		got, err := tx.ScoreStats(from, to)
		want := []core.ScoreStat{{Key: "k", Sum: 2 + 3 + 4 + 5 + 7, Count: 5}}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ScoreStats of the Kolkata week = %+v, %v; want %+v", got, err, want)
		}
		return nil
	})
}

// testEraseKeepsScoreStats: an erase empties the answers' texts and keeps their scores, so
// the digest's sums do not change.
func testEraseKeepsScoreStats(t *testing.T, db core.Store) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	answers := addRandomAnswers(t, db, rand.New(rand.NewPCG(5, 6)), start, 24*time.Hour, 300)
	from, to := start.Add(-time.Hour), start.Add(25*time.Hour)
	stats := func() []core.ScoreStat {
		var st []core.ScoreStat
		view(t, db, func(tx core.Tx) error {
			var err error
			st, err = tx.ScoreStats(from, to)
			return err
		})
		return st
	}
	before := stats()
	if want := rawScoreStats(answers, from, to); !reflect.DeepEqual(before, want) {
		t.Fatalf("ScoreStats = %+v, want %+v", before, want)
	}
	update(t, db, func(tx core.Tx) error { return tx.EraseContact(answers[0].ContactID, start) })
	if after := stats(); !reflect.DeepEqual(after, before) {
		t.Errorf("an erase changed ScoreStats: %+v, was %+v", after, before)
	}
}
