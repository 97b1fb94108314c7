package kit

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Gate bounds what unauthenticated webhook requests can cost before their signature is
// checked. A platform signs the body, so the body must be read before it can be verified;
// the gate makes that read small and few:
//
//   - The handler checks what it can without the body first (headers, timestamp window).
//   - A declared Content-Length over the route's limit is refused with 413 unread.
//   - At most MaxInFlight requests are read and verified at once; more get 503 at once, with
//     Retry-After (the platforms retry).
//   - The body is read up to the limit and no further (413 beyond it).
//   - Refusals are logged at most once a minute per source address, with how many were
//     not logged meanwhile, so a flood cannot flood the log.
type Gate struct {
	slots chan struct{}
	log   *slog.Logger
	warn  *LogLimiter
}

// NewGate returns a gate letting maxInFlight requests be read and verified at once.
func NewGate(maxInFlight int, log *slog.Logger) *Gate {
	return &Gate{slots: make(chan struct{}, max(maxInFlight, 1)), log: log, warn: NewLogLimiter(time.Minute, 1024)}
}

// ErrBodyTooLarge is returned by Read for a body over the limit.
var ErrBodyTooLarge = errors.New("kit: request body too large")

// Verify reads r's body (at most limit bytes) under one of the gate's slots and passes it to
// verify. On any failure it has answered the request (413, 503, 400 or 401, the refusal
// logged with reason) and returns ok false; otherwise it returns the verified body.
func (g *Gate) Verify(w http.ResponseWriter, r *http.Request, limit int64, verify func(body []byte) error) (body []byte, ok bool) {
	if r.ContentLength > limit {
		g.Refuse(w, r, http.StatusRequestEntityTooLarge, "body too large", "content_length "+strconv.FormatInt(r.ContentLength, 10))
		return nil, false
	}
	select {
	case g.slots <- struct{}{}:
	default:
		w.Header().Set("Retry-After", "1")
		g.Refuse(w, r, http.StatusServiceUnavailable, "busy", "too many unverified requests in flight")
		return nil, false
	}
	defer func() { <-g.slots }()
	body, err := readLimited(r.Body, r.ContentLength, limit)
	if errors.Is(err, ErrBodyTooLarge) {
		g.Refuse(w, r, http.StatusRequestEntityTooLarge, "body too large", "over "+strconv.FormatInt(limit, 10)+" bytes")
		return nil, false
	}
	if err != nil {
		g.Refuse(w, r, http.StatusBadRequest, "unreadable body", err.Error())
		return nil, false
	}
	if err := verify(body); err != nil {
		g.Refuse(w, r, http.StatusUnauthorized, "unauthorized", err.Error())
		return nil, false
	}
	return body, true
}

// readLimited reads at most limit bytes; a body that goes on is ErrBodyTooLarge. A declared
// length sizes the buffer once.
func readLimited(rd io.Reader, declared, limit int64) ([]byte, error) {
	if declared >= 0 && declared <= limit {
		buf := make([]byte, declared, declared+1)
		if _, err := io.ReadFull(rd, buf); err != nil {
			return nil, err
		}
		var one [1]byte
		if n, _ := rd.Read(one[:]); n > 0 {
			return nil, ErrBodyTooLarge
		}
		return buf, nil
	}
	buf, err := io.ReadAll(io.LimitReader(rd, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(buf)) > limit {
		return nil, ErrBodyTooLarge
	}
	return buf, nil
}

// Refuse answers status with text and logs the refusal with reason as a warning, at most
// once a minute per source address.
func (g *Gate) Refuse(w http.ResponseWriter, r *http.Request, status int, text, reason string) {
	http.Error(w, text, status)
	src := r.RemoteAddr
	if host, _, err := net.SplitHostPort(src); err == nil {
		src = host
	}
	if ok, dropped := g.warn.Allow(src); ok {
		g.log.Warn("webhook refused", "path", r.URL.Path, "status", status, "reason", reason, "source", src,
			"not_logged_since_last", dropped)
	}
}

// LogLimiter allows one log line per key per interval, for at most size keys (the least
// recently seen are forgotten).
type LogLimiter struct {
	every time.Duration
	mu    sync.Mutex
	seen  *Cache[string, *logSlot]
}

type logSlot struct {
	last    time.Time
	dropped int
}

// NewLogLimiter returns a limiter of one line per key per every.
func NewLogLimiter(every time.Duration, size int) *LogLimiter {
	return &LogLimiter{every: every, seen: NewCache[string, *logSlot](size)}
}

// Allow reports whether a line for key may be logged now, and how many were refused since
// the last one allowed.
func (l *LogLimiter) Allow(key string) (ok bool, dropped int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	s, found := l.seen.Get(key)
	if !found {
		l.seen.Put(key, &logSlot{last: now})
		return true, 0
	}
	if now.Sub(s.last) < l.every {
		s.dropped++
		return false, 0
	}
	dropped = s.dropped
	s.last, s.dropped = now, 0
	return true, dropped
}
