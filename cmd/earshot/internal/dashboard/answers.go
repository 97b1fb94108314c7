package dashboard

import (
	"net/http"
	"strings"

	"earshot/core"
)

// answers downloads, to a signed-in owner, the answers of the week and filters the page
// shows, as CSV (an attachment named after them). A bad week or filter is answered as the
// page answers it; a failure once the file has begun can only cut it short, and is logged.
func (h *Handler) answers(w http.ResponseWriter, r *http.Request) {
	if _, err := h.viewer(r); err != nil {
		h.fail(w, r, err)
		return
	}
	week, f, err := h.selection(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The export checks the week and filters before it writes; until its first byte the
	// response is not started, so a refusal still gets its page and status.
	lw := &lazyCSV{w: w, name: csvName(week, f)}
	if _, err := h.svc.ExportDashboardAnswers(r.Context(), week, f, lw); err != nil {
		if !lw.started {
			h.fail(w, r, err)
			return
		}
		h.opts.Log.Warn("dashboard: answers download cut short", "week", week.String(), "err", err)
		return
	}
	if !lw.started {
		lw.start()
	}
}

// csvName names the download after the week and filters: "answers-2026-W47-after-delivery.csv".
func csvName(week core.Week, f core.ReportFilter) string {
	parts := []string{"answers", week.String()}
	for _, p := range []string{f.Plan, string(f.Platform)} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, strings.Join(parts, "-"))
	return name + ".csv"
}

// answersLink is the link to the CSV of what the page shows.
func answersLink(f filterView) string {
	return Prefix + "/answers.csv" + strings.TrimPrefix(query(f, "week", f.Week), Prefix)
}

// lazyCSV writes the download's headers with the first byte of the body.
type lazyCSV struct {
	w       http.ResponseWriter
	name    string
	started bool
}

func (l *lazyCSV) start() {
	h := l.w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+l.name+`"`)
	l.w.WriteHeader(http.StatusOK)
	l.started = true
}

func (l *lazyCSV) Write(p []byte) (int, error) {
	if !l.started {
		l.start()
	}
	return l.w.Write(p)
}
