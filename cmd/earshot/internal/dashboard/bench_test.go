package dashboard

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
	"earshot/storage/storagetest"
)

// BenchmarkPage serves the whole owners' page (the figures over a million answers, 8 inline
// SVG charts, the template) to a signed-in owner: the server time of one page view.
func BenchmarkPage(b *testing.B) {
	last := time.Date(2026, 11, 16, 10, 0, 0, 0, berlin) // the same database as core's benchmarks
	db := storagetest.Million(b, last)
	set := settings()
	set.Surveys = set.Surveys[:1]
	set.Surveys[0].Questions = nil
	for q := range 8 {
		set.Surveys[0].Questions = append(set.Surveys[0].Questions,
			core.Question{Key: "dim" + strconv.Itoa(q), Type: core.Scale, Min: 1, Max: 10})
	}
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(b), Settings: set, Store: db, Clock: core.NewManualClock(last.Add(7 * 24 * time.Hour))})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	link, err := svc.DashboardLink(ctx, owner)
	if err != nil {
		b.Fatal(err)
	}
	sess, err := svc.OpenDashboard(ctx, link[strings.Index(link, "token=")+len("token="):])
	if err != nil {
		b.Fatal(err)
	}
	h := newHandler(b, svc, Options{})
	for _, path := range []string{"/dashboard", "/dashboard?plan=after-delivery&platform=console"} {
		b.Run(path, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.AddCookie(&http.Cookie{Name: CookieName, Value: sess.Token})
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || strings.Count(rec.Body.String(), "<svg") != 8 {
					b.Fatalf("page: %d\n%.500s", rec.Code, rec.Body.String())
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/page")
			b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu_ms/page")
		})
	}
}
