package httpapi

import (
	"mime"
	"net/http"
	"strings"

	"earshot/core"
)

// answers streams every answer given in ?from=…&to=… (dates in the business time zone, or
// RFC 3339; to exclusive): JSON lines, or CSV when the client accepts text/csv or asks
// ?format=csv. The rows are read a page at a time and written as they come, so a million
// answers take no more memory than a thousand. A failure once rows have gone out can no
// longer change the status: it is logged and the response is cut short, which a client sees
// as a truncated chunked body, never as a complete file.
func (a *api) answers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to, err := a.svc.ParseRange(q.Get("from"), q.Get("to"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	format := core.AnswersJSON
	if wantsCSV(r) {
		format = core.AnswersCSV
	}
	switch q.Get("format") {
	case "", "json", "csv":
		if f := q.Get("format"); f != "" {
			format = f
		}
	default:
		a.refuse(w, r, badRequest("format: %q; want json or csv", q.Get("format")))
		return
	}
	if format == core.AnswersCSV {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="answers-`+
			from.Format("2006-01-02")+`-`+to.Format("2006-01-02")+`.csv"`)
	} else {
		w.Header().Set("Content-Type", "application/x-ndjson")
	}
	w.WriteHeader(http.StatusOK)
	if _, err := a.svc.ExportAnswers(r.Context(), from, to, format, w); err != nil && r.Context().Err() == nil {
		a.opts.Log.Error("api: answers export cut short", "err", err)
		panic(http.ErrAbortHandler) // end the response unfinished rather than pass it off as whole
	}
}

// wantsCSV reports whether the Accept header prefers text/csv.
func wantsCSV(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == "text/csv" {
			return true
		}
	}
	return false
}
