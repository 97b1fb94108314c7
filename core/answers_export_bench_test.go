package core_test

import (
	"context"
	"runtime"
	"strconv"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
)

// heapWatch is an io.Writer that throws the export away and samples the live heap every
// 64 KiB written, so the benchmark can show whether memory grows with the rows.
type heapWatch struct {
	n, since int64
	maxHeap  uint64
}

func (h *heapWatch) Write(p []byte) (int, error) {
	h.n += int64(len(p))
	h.since += int64(len(p))
	if h.since >= 64<<10 {
		h.since = 0
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h.maxHeap = max(h.maxHeap, m.HeapAlloc)
	}
	return len(p), nil
}

// BenchmarkExportAnswers1M streams all 1,000,000 answers of the benchmark database as CSV
// and as JSON lines, reporting the rate, the largest live heap seen while streaming and the
// process's peak RSS.
func BenchmarkExportAnswers1M(b *testing.B) {
	for _, format := range []string{core.AnswersCSV, core.AnswersJSON} {
		b.Run(format, func(b *testing.B) {
			db := digestDB(b)
			set := settings()
			for q := range 8 {
				set.Surveys[0].Questions = append(set.Surveys[0].Questions,
					core.Question{Key: "dim" + strconv.Itoa(q), Text: "?", Type: core.Scale, Min: 1, Max: 10})
			}
			svc, err := core.NewService(core.Options{Texts: coretest.Texts(b), Settings: set, Store: db, Clock: core.NewManualClock(start.Add(7 * 24 * time.Hour))})
			if err != nil {
				b.Fatal(err)
			}
			from, to := start.Add(-13*7*24*time.Hour), start.Add(8*24*time.Hour)
			runtime.GC()
			h := &heapWatch{}
			rows := 0
			for b.Loop() {
				n, err := svc.ExportAnswers(context.Background(), from, to, format, h)
				if err != nil {
					b.Fatal(err)
				}
				rows += n
			}
			if rows/b.N < 1_000_000 {
				b.Fatalf("exported %d answers a run, want the million", rows/b.N)
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "answers/s")
			b.ReportMetric(float64(h.maxHeap)/(1<<20), "max_heap_MB")
			b.ReportMetric(float64(h.n)/float64(b.N)/(1<<20), "MB/export")
			b.ReportMetric(peakRSS(b), "peak_rss_MB")
		})
	}
}
