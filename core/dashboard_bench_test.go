package core_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
)

// BenchmarkDashboard computes the owners' page's figures (the 12-week trend of 8
// dimensions, the week's surveys, complaints and comments) over a million stored answers,
// without a filter and filtered by plan and platform.
func BenchmarkDashboard(b *testing.B) {
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
	for name, f := range map[string]core.ReportFilter{
		"all":      {},
		"filtered": {Plan: "after-delivery", Platform: core.Console},
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				d, err := svc.Dashboard(context.Background(), week, f)
				if err != nil {
					b.Fatal(err)
				}
				if len(d.Trend.Dimensions) != 8 || d.Trend.Dimensions[0].Responses[11] == 0 || len(d.Comments) == 0 {
					b.Fatalf("empty dashboard: %+v", d.Trend.Dimensions)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/dashboard")
		})
	}
}
