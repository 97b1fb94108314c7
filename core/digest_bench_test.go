package core_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"earshot/core"
	"earshot/storage"
)

// digestDB returns a database holding a million answers over twelve weeks (8 dimensions,
// 125,000 survey runs), built once and kept in the temporary directory between runs.
func digestDB(b *testing.B) *storage.DB {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), "earshot-bench-digest-1m-v2.db")
	_, statErr := os.Stat(path)
	db, err := storage.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if statErr == nil {
		return db
	}
	const runs, perRun = 125000, 8
	span := 12 * 7 * 24 * time.Hour
	first := start.Add(-span + 7*24*time.Hour)
	for batch := 0; batch < runs; batch += 5000 {
		err := db.Update(ctx, func(tx core.Tx) error {
			for r := batch; r < batch+5000; r++ {
				at := first.Add(time.Duration(int64(span) / runs * int64(r)))
				ct := core.Contact{Ref: user("b" + strconv.Itoa(r)), CreatedAt: at, SeenAt: at}
				if err := tx.CreateContact(&ct); err != nil {
					return err
				}
				run := core.SurveyRun{ContactID: ct.ID, Plan: "after-delivery", State: core.RunCompleted, DueAt: at,
					SentAt: at, FinishedAt: at, CreatedAt: at}
				if err := tx.CreateRun(&run); err != nil {
					return err
				}
				for q := range perRun {
					score := 1 + (r*7+q*3)%10
					a := core.Answer{RunID: run.ID, ContactID: ct.ID, Plan: run.Plan, QuestionKey: "dim" + strconv.Itoa(q),
						Score: &score, AnsweredAt: at.Add(time.Duration(q) * time.Second)}
					if q == perRun-1 && r%10 == 0 {
						a.Score, a.Text = nil, "comment "+strconv.Itoa(r)
					}
					if err := tx.AddAnswer(&a); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			os.Remove(path)
			b.Fatal(err)
		}
	}
	return db
}

// BenchmarkDigestWeek computes one week's digest (with its 8-week trend) over a million
// stored answers.
func BenchmarkDigestWeek(b *testing.B) {
	db := digestDB(b)
	set := settings()
	set.Surveys[0].Questions = nil
	for q := range 8 {
		set.Surveys[0].Questions = append(set.Surveys[0].Questions,
			core.Question{Key: "dim" + strconv.Itoa(q), Text: "?", Type: core.Scale, Min: 1, Max: 10})
	}
	svc, err := core.NewService(core.Options{Settings: set, Store: db, Clock: core.NewManualClock(start.Add(7 * 24 * time.Hour))})
	if err != nil {
		b.Fatal(err)
	}
	week := core.WeekOf(start, berlin)
	b.ResetTimer()
	for b.Loop() {
		d, err := svc.Digest(context.Background(), week)
		if err != nil {
			b.Fatal(err)
		}
		if d.Dimensions[0].Responses == 0 {
			b.Fatal("empty digest")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/digest")
}

// BenchmarkTrend12Weeks reads twelve weeks of every dimension's scores over a million
// stored answers: the queries behind a 12-week trend.
func BenchmarkTrend12Weeks(b *testing.B) {
	db := digestDB(b)
	week := core.WeekOf(start, berlin)
	b.ResetTimer()
	for b.Loop() {
		err := db.View(context.Background(), func(tx core.Tx) error {
			for i := range 12 {
				w := week.Add(-i)
				stats, err := tx.ScoreStats(w.Start(berlin), w.End(berlin))
				if err != nil {
					return err
				}
				if len(stats) == 0 {
					b.Fatalf("no scores in %s", w)
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/trend")
}
