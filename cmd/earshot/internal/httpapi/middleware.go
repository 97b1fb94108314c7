package httpapi

import (
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// The wrappers below serve the whole HTTP server, not only the API: cmd/earshot puts them
// around /healthz, /metrics and the webhooks too.

// Only answers 405 with a JSON error unless the request uses one of methods (HEAD is
// accepted where GET is).
func Only(h http.Handler, methods ...string) http.Handler {
	allow := strings.Join(methods, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, m := range methods {
			if r.Method == m || (m == http.MethodGet && r.Method == http.MethodHead) {
				h.ServeHTTP(w, r)
				return
			}
		}
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed; use "+allow)
	})
}

// NotFound answers every request with 404 and a JSON error.
func NotFound(msg string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, msg)
	})
}

// WriteJSON writes v as JSON with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) { writeJSON(w, status, v) }

// Recover turns a panic in h into a 500 with a generic JSON error and logs it, so one bad
// request cannot take the connection down without a trace.
func Recover(log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("http: handler panicked", "method", r.Method, "path", r.URL.Path, "panic", v)
				if rw.status == 0 {
					writeError(rw, http.StatusInternalServerError, "internal error; the details are in the server log")
				}
			}
		}()
		h.ServeHTTP(rw, r)
	})
}

// LogRequests logs each request's method, path, status, size and duration: never its query,
// headers or body, which may carry tokens or personal data. /healthz and /metrics, polled by
// machines, log at debug level; the rest at info (5xx at warn).
func LogRequests(log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(rw, r)
		if rw.status == 0 {
			rw.status = http.StatusOK
		}
		level := slog.LevelInfo
		switch {
		case rw.status >= 500:
			level = slog.LevelWarn
		case r.URL.Path == "/healthz" || r.URL.Path == "/metrics":
			level = slog.LevelDebug
		}
		log.Log(r.Context(), level, "http request", "method", r.Method, "path", r.URL.Path,
			"status", rw.status, "bytes", rw.bytes, "duration", time.Since(start).Round(time.Microsecond))
	})
}

// statusWriter remembers the status and size written.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flush, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
