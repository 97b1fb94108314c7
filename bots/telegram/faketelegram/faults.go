package faketelegram

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Fault makes the next matching calls fail. Faults are used in the order they were added.
type Fault struct {
	// Method is the method it applies to ("sendMessage"); empty for every method except
	// getUpdates.
	Method string
	// ChatID limits it to calls naming this chat_id; 0 for any.
	ChatID int64
	// Times is how many calls fail; 0 means 1.
	Times int
	// Code is the error_code and HTTP status (429, 500, 502, 400, 401, 403, …).
	Code int
	// Description is the error text; empty takes Telegram's usual words for Code.
	Description string
	// RetryAfter is parameters.retry_after, for 429 (default 1).
	RetryAfter int
	// Body, when set, is sent as a raw, non-JSON body (a proxy's error page).
	Body string
}

// Inject adds a fault.
func (s *Server) Inject(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	if f.Code == http.StatusTooManyRequests && f.RetryAfter <= 0 {
		f.RetryAfter = 1
	}
	s.mu.Lock()
	s.faults = append(s.faults, &f)
	s.mu.Unlock()
}

// RateLimit makes the next n calls of method fail with 429 and retry_after seconds.
func (s *Server) RateLimit(method string, n, retryAfter int) {
	s.Inject(Fault{Method: method, Times: n, Code: http.StatusTooManyRequests, RetryAfter: retryAfter})
}

// FailNext makes the next n calls of method fail with the HTTP status code (a 5xx).
func (s *Server) FailNext(method string, n, code int) {
	s.Inject(Fault{Method: method, Times: n, Code: code})
}

// Block makes userID a user who blocked the bot: sends to them get 403.
func (s *Server) Block(userID int64) {
	s.mu.Lock()
	s.blocked[userID] = true
	s.mu.Unlock()
}

// Unblock undoes Block.
func (s *Server) Unblock(userID int64) {
	s.mu.Lock()
	delete(s.blocked, userID)
	s.mu.Unlock()
}

// MigrateGroup turns group from into the supergroup to, as Telegram does when a group is
// upgraded: calls naming from get 400 with parameters.migrate_to_chat_id = to.
func (s *Server) MigrateGroup(from, to int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.chatLocked(from)
	old.migratedTo = to
	nc := s.chatLocked(to)
	nc.wire.Type = "supergroup"
	nc.wire.Title = old.wire.Title
	s.notifyLocked()
}

// takeFault returns the error of the first fault matching the call, counting it down.
func (s *Server) takeFault(method string, p map[string]string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method == "" && strings.EqualFold(method, "getUpdates") {
			continue
		}
		if f.Method != "" && !strings.EqualFold(f.Method, method) {
			continue
		}
		if f.ChatID != 0 && p["chat_id"] != strconv.FormatInt(f.ChatID, 10) {
			continue
		}
		f.Times--
		if f.Times <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		e := &apiError{code: f.Code, description: f.Description, rawBody: f.Body}
		if e.description == "" {
			e.description = defaultDescription(f.Code, f.RetryAfter)
		}
		if f.Code == http.StatusTooManyRequests {
			e.params = &wireParameters{RetryAfter: f.RetryAfter}
		}
		return e
	}
	return nil
}

func defaultDescription(code, retryAfter int) string {
	switch code {
	case http.StatusTooManyRequests:
		return "Too Many Requests: retry after " + strconv.Itoa(retryAfter)
	case http.StatusBadRequest:
		return "Bad Request: chat not found"
	case http.StatusUnauthorized:
		return "Unauthorized"
	case http.StatusForbidden:
		return "Forbidden: bot was blocked by the user"
	case http.StatusNotFound:
		return "Not Found"
	case http.StatusConflict:
		return "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	}
	if code >= 500 {
		return "Internal Server Error"
	}
	return http.StatusText(code)
}

// Hold makes new calls of method wait, without effect and unanswered, until release is
// called or the server closes; a call whose client gives up meanwhile never happens. It opens
// a window in which a test can kill the bot: hold answerCallbackQuery and getUpdates, and a
// bot that stored a button press is stopped before it could confirm the update.
func (s *Server) Hold(method string) (release func()) {
	gate := make(chan struct{})
	s.mu.Lock()
	s.holds = append(s.holds, hold{method: method, gate: gate})
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			for i, h := range s.holds {
				if h.gate == gate {
					s.holds = append(s.holds[:i], s.holds[i+1:]...)
					break
				}
			}
			s.mu.Unlock()
			close(gate)
		})
	}
}

type hold struct {
	method string
	gate   chan struct{}
}

// waitHolds blocks while a hold matches method, until it is released, the request ends or the
// server closes.
func (s *Server) waitHolds(r *http.Request, method string) {
	for {
		s.mu.Lock()
		var gate chan struct{}
		for _, h := range s.holds {
			if strings.EqualFold(h.method, method) {
				gate = h.gate
				break
			}
		}
		closed, changed := s.closed, s.changed
		s.mu.Unlock()
		if gate == nil || closed {
			return
		}
		select {
		case <-gate:
		case <-changed:
		case <-r.Context().Done():
			return
		}
	}
}
