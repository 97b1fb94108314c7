package sqlite

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
			ct, err := oldSchemaContact(tx, platforms[rng.IntN(3)], "s"+strconv.Itoa(i), at)
			if err != nil {
				return err
			}
			run := core.SurveyRun{ContactID: ct.ID, Plan: plans[rng.IntN(2)], State: core.RunCompleted, DueAt: at, SentAt: at, CreatedAt: at}
			if err := oldSchemaRun(tx, &run); err != nil {
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

// oldSchemaContact creates a contact writing only the columns every schema has, so that a
// test can fill a database of an older schema (CreateContact writes today's columns).
func oldSchemaContact(x core.Tx, p core.Platform, id string, at time.Time) (core.Contact, error) {
	res, err := x.(*tx).exec(`INSERT INTO contacts (platform, user_id, created_at) VALUES (?, ?, ?)`, string(p), id, ms(at))
	if err != nil {
		return core.Contact{}, err
	}
	ct := core.Contact{Ref: core.UserRef{Platform: p, ID: id}, CreatedAt: at}
	ct.ID, err = res.LastInsertId()
	return ct, err
}

// oldSchemaRun inserts a run with the columns of the first schema only, for databases from
// before later migrations; it sets r.ID.
func oldSchemaRun(x core.Tx, r *core.SurveyRun) error {
	res, err := x.(*tx).exec(`INSERT INTO survey_runs (contact_id, plan, state, due_at, sent_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, r.ContactID, r.Plan, string(r.State), msDue(r.DueAt), ms(r.SentAt), ms(r.CreatedAt))
	if err != nil {
		return err
	}
	r.ID, err = res.LastInsertId()
	return err
}
