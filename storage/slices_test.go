package storage

import (
	"context"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"

	"earshot/core"
)

// qRawSliceStats aggregates the answers themselves, filtered: what SliceScoreStats must equal.
const qRawSliceStats = `SELECT a.question_key, sum(a.score), count(a.score) FROM answers a
	JOIN contacts c ON c.id = a.contact_id
	WHERE a.answered_at >= ?1 AND a.answered_at < ?2 AND a.score IS NOT NULL
		AND (?3 = '' OR a.plan = ?3) AND (?4 = '' OR c.platform = ?4)
	GROUP BY a.question_key ORDER BY a.question_key`

func rawSliceStats(t *testing.T, db *DB, from, to time.Time, f core.ReportFilter) []core.ScoreStat {
	t.Helper()
	rows, err := db.reader.Query(qRawSliceStats, from.UnixMilli(), to.UnixMilli(), f.Plan, string(f.Platform))
	stats, err := scanAll(rows, err, "raw", func(s scanner) (core.ScoreStat, error) {
		var st core.ScoreStat
		return st, s.Scan(&st.Key, &st.Sum, &st.Count)
	})
	if err != nil {
		t.Fatal(err)
	}
	return stats
}

// addSlicedAnswers stores n answers from customers on three platforms to two plans, at
// random milliseconds (some on and next to hour boundaries), with texts and skips.
func addSlicedAnswers(t *testing.T, db *DB, rng *rand.Rand, start time.Time, span time.Duration, n int) {
	t.Helper()
	platforms := []core.Platform{core.Telegram, core.Slack, core.Discord}
	plans := []string{"after-delivery", "after-visit"}
	keys := []string{"courtesy", "speed", "comment"}
	update(t, db, func(tx core.Tx) error {
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
			}
		}
		return nil
	})
}

var sliceFilters = []core.ReportFilter{
	{}, {Plan: "after-delivery"}, {Platform: core.Slack}, {Plan: "after-visit", Platform: core.Discord},
	{Plan: "no-such-plan"}, {Platform: "irc"},
}

func TestSliceScoreStatsEqualRawAggregation(t *testing.T) {
	db := newDB(t)
	rng := rand.New(rand.NewPCG(7, 8))
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	span := 30 * 24 * time.Hour
	addSlicedAnswers(t, db, rng, start, span, 1500)
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
				if want := rawSliceStats(t, db, w.from, w.to, f); !reflect.DeepEqual(got, want) {
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
func TestSliceCountsAndComments(t *testing.T) {
	db := newDB(t)
	start := time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC)
	addSlicedAnswers(t, db, rand.New(rand.NewPCG(9, 10)), start, 7*24*time.Hour, 400)
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
				var want int
				if err := db.reader.QueryRow(`SELECT count(*) FROM survey_runs r JOIN contacts c ON c.id = r.contact_id
					WHERE r.plan = ? AND c.platform = ?`, plan, p).Scan(&want); err != nil {
					t.Fatal(err)
				}
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

func TestScoreSlicesBackfilled(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir()+"/old.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	migs, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 { // a database from before the slices, with answers
		if _, err := db.migrateOne(ctx, migs[:i+1]); err != nil {
			t.Fatalf("migration %d: %v", i+1, err)
		}
	}
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	addSlicedAnswers(t, db, rand.New(rand.NewPCG(11, 12)), start, 3*24*time.Hour, 300)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	view(t, db, func(tx core.Tx) error {
		for _, f := range sliceFilters {
			got, err := tx.SliceScoreStats(start, start.Add(3*24*time.Hour), f)
			if want := rawSliceStats(t, db, start, start.Add(3*24*time.Hour), f); err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("SliceScoreStats(%+v) after the backfill = %+v, %v\nraw %+v", f, got, err, want)
			}
		}
		return nil
	})
}

// TestContactPlatformFixed: score_slices counts answers by their contact's platform, so it
// cannot change; every other field still can.
func TestContactPlatformFixed(t *testing.T) {
	db := newDB(t)
	c := addContact(t, db, "p")
	moved := c
	moved.Ref.Platform = core.Slack
	if err := db.Update(context.Background(), func(tx core.Tx) error { return tx.UpdateContact(moved) }); err == nil {
		t.Fatal("a contact's platform changed")
	}
	c.Name = "Renamed"
	update(t, db, func(tx core.Tx) error { return tx.UpdateContact(c) })
	update(t, db, func(tx core.Tx) error { return tx.EraseContact(c.ID, t0) })
}
