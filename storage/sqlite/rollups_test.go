package sqlite

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"earshot/core"
)

// rawScoreStats aggregates the answers themselves: what ScoreStats must equal.
const qRawScoreStats = `SELECT question_key, sum(score), count(score) FROM answers
	WHERE answered_at >= ? AND answered_at < ? AND score IS NOT NULL
	GROUP BY question_key ORDER BY question_key`

func rawScoreStats(t *testing.T, db *DB, from, to time.Time) []core.ScoreStat {
	t.Helper()
	rows, err := db.reader.Query(qRawScoreStats, from.UnixMilli(), to.UnixMilli())
	stats, err := scanAll(rows, err, "raw", func(s scanner) (core.ScoreStat, error) {
		var st core.ScoreStat
		return st, s.Scan(&st.Key, &st.Sum, &st.Count)
	})
	if err != nil {
		t.Fatal(err)
	}
	return stats
}

// addRandomAnswers stores n answers over the span after start, at random milliseconds, with
// a few keys, scores, texts and skips, some on hour boundaries and next to them.
func addRandomAnswers(t *testing.T, db *DB, rng *rand.Rand, start time.Time, span time.Duration, n int) {
	t.Helper()
	addRandomAnswersFor(t, db, rng, addContact(t, db, "r").ID, start, span, n)
}

// addRandomAnswersFor adds n answers of one run of the contact; it writes no contact, so it
// works on a database of an older schema.
func addRandomAnswersFor(t *testing.T, db *DB, rng *rand.Rand, contactID int64, start time.Time, span time.Duration, n int) {
	t.Helper()
	c := core.Contact{ID: contactID}
	r := core.SurveyRun{ContactID: c.ID, Plan: "after-delivery", State: core.RunSent, DueAt: start, SentAt: start, CreatedAt: start}
	update(t, db, func(tx core.Tx) error { return oldSchemaRun(tx, &r) })
	keys := []string{"courtesy", "speed", "value", "comment"}
	update(t, db, func(tx core.Tx) error {
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
			if err := tx.AddAnswer(&a); err != nil {
				return err
			}
		}
		return nil
	})
}

func TestScoreHoursBackfilled(t *testing.T) {
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
	// A database from before the rollups, with answers.
	if done, err := db.migrateOne(ctx, migs[:1]); err != nil || done {
		t.Fatalf("first migration: done %v, %v", done, err)
	}
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	// The contact as that schema had it: today's CreateContact writes later columns.
	if _, err := db.writer.ExecContext(ctx, `INSERT INTO contacts (id, platform, user_id) VALUES (1, 'telegram', 'r')`); err != nil {
		t.Fatal(err)
	}
	addRandomAnswersFor(t, db, rand.New(rand.NewPCG(3, 4)), 1, start, 5*24*time.Hour, 1500)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.reader.QueryRow(`SELECT count(*) FROM score_hours`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("score_hours rows after the backfill = %d, %v", n, err)
	}
	view(t, db, func(tx core.Tx) error {
		for _, r := range [][2]time.Time{{start, start.Add(5 * 24 * time.Hour)}, {start.Add(90 * time.Minute), start.Add(50 * time.Hour)}} {
			got, err := tx.ScoreStats(r[0], r[1])
			if want := rawScoreStats(t, db, r[0], r[1]); err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("ScoreStats after the backfill = %+v, %v\nraw %+v", got, err, want)
			}
		}
		return nil
	})
}

// TestAnswersAreOnlyInserted asserts what score_hours relies on: an erase keeps the scores
// (the rollups do not change), and nothing can change an answer's key, score or time or
// delete an answer.
func TestAnswersAreOnlyInserted(t *testing.T) {
	db := newDB(t)
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	addRandomAnswers(t, db, rand.New(rand.NewPCG(5, 6)), start, 24*time.Hour, 300)
	hours := func() []string {
		rows, err := db.reader.Query(`SELECT question_key || ' ' || hour_at || ' ' || sum || ' ' || count FROM score_hours ORDER BY 1`)
		got, err := scanAll(rows, err, "hours", func(s scanner) (string, error) {
			var v string
			return v, s.Scan(&v)
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	before := hours()
	var contact int64
	if err := db.reader.QueryRow(`SELECT contact_id FROM answers LIMIT 1`).Scan(&contact); err != nil {
		t.Fatal(err)
	}
	update(t, db, func(tx core.Tx) error { return tx.EraseContact(contact, start) })
	if after := hours(); !reflect.DeepEqual(after, before) {
		t.Errorf("an erase changed score_hours")
	}
	for _, q := range []string{
		`UPDATE answers SET score = score + 1 WHERE score IS NOT NULL`,
		`UPDATE answers SET answered_at = answered_at + 3600000`,
		`UPDATE answers SET question_key = 'other'`,
		`DELETE FROM answers`,
	} {
		err := db.Update(context.Background(), func(t core.Tx) error { _, err := t.(*tx).exec(q); return err })
		if err == nil {
			t.Errorf("%s: allowed", q)
		}
	}
	// Changes that keep key, score and time are allowed (an erase empties the text).
	update(t, db, func(t core.Tx) error {
		_, err := t.(*tx).exec(`UPDATE answers SET text = '', score = score`)
		return err
	})
	if after := hours(); !reflect.DeepEqual(after, before) {
		t.Errorf("score_hours changed")
	}
}
