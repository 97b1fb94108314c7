package core_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
	"earshot/storage/sqlite"
	"earshot/storage/storagetest"
)

// digestDB returns a database holding a million answers over the twelve weeks up to start's
// (8 dimensions, 125,000 survey runs), built once and kept in the temporary directory.
func digestDB(b *testing.B) *sqlite.DB { return storagetest.Million(b, start) }

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
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(b), Settings: set, Store: db, Clock: core.NewManualClock(start.Add(7 * 24 * time.Hour))})
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

// BenchmarkDigestWeekKinds computes one week's digest (each kind's figures with their 8-week
// trend) over a million stored answers of mixed kinds: nps, csat, ces, scales, a single and a
// multiple choice.
func BenchmarkDigestWeekKinds(b *testing.B) {
	db := storagetest.MillionKinds(b, start)
	set := settings()
	set.Surveys[0].Questions = storagetest.KindQuestions
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(b), Settings: set, Store: db, Clock: core.NewManualClock(start.Add(7 * 24 * time.Hour))})
	if err != nil {
		b.Fatal(err)
	}
	week := core.WeekOf(start, berlin)
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		d, err := svc.Digest(context.Background(), week)
		if err != nil {
			b.Fatal(err)
		}
		if len(d.Dimensions) != 7 || d.Dimensions[0].NPS == nil || d.Dimensions[6].Options[0].Count == 0 {
			b.Fatalf("digest without figures: %+v", d.Dimensions)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/digest")
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu_ms/digest")
}

// BenchmarkTrend12WeeksKinds reads twelve weeks of every kind's rollups over a million
// answers of mixed kinds: the queries behind a 12-week trend with NPS, CSAT and choices.
func BenchmarkTrend12WeeksKinds(b *testing.B) {
	db := storagetest.MillionKinds(b, start)
	week := core.WeekOf(start, berlin)
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		err := db.View(context.Background(), func(tx core.Tx) error {
			for i := range 12 {
				w := week.Add(-i)
				from, to := w.Start(berlin), w.End(berlin)
				stats, err := tx.ScoreStats(from, to)
				if err != nil {
					return err
				}
				counts, err := tx.ScoreCounts(from, to, []string{"nps", "csat"}, core.ReportFilter{})
				if err != nil {
					return err
				}
				choices, err := tx.ChoiceCounts(from, to, []string{"reason", "extras"}, core.ReportFilter{})
				if err != nil {
					return err
				}
				if len(stats) == 0 || len(counts) == 0 || len(choices) == 0 {
					b.Fatalf("no figures in %s", w)
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/trend")
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu_ms/trend")
}
