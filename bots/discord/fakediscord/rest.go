package fakediscord

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Failure is an injected error: the next Times requests matching Method and Path get it.
type Failure struct {
	Method string // empty: any method
	// Path is a substring the request path (without /api/vN) must contain; empty: any.
	Path    string
	Status  int    // HTTP status; 429 sends Discord's rate-limit body and headers
	Code    int    // Discord's JSON error code (50007, 10003, …); 0 for a 429
	Message string // Discord's message
	// RetryAfter is the 429's retry_after, in seconds; Global marks a global limit.
	RetryAfter float64
	Global     bool
	Times      int // how many requests it hits; 0 means 1
}

// Fail injects f.
func (s *Server) Fail(f Failure) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, &f)
}

// takeFailure returns the first injected failure matching the request. Callers hold s.mu.
func (s *Server) takeFailure(method, path string) *Failure {
	for i, f := range s.failures {
		if (f.Method == "" || f.Method == method) && strings.Contains(path, f.Path) {
			f.Times--
			if f.Times == 0 {
				s.failures = append(s.failures[:i], s.failures[i+1:]...)
			}
			return f
		}
	}
	return nil
}

var apiPrefix = regexp.MustCompile(`^/api/v[0-9]+`)

// reply is what a route answers.
type reply struct {
	status int
	body   any
}

func ok(v any) reply { return reply{status: http.StatusOK, body: v} }

func fail(status, code int, msg string) reply {
	return reply{status: status, body: apiError{Code: code, Message: msg}}
}

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	path := apiPrefix.ReplaceAllString(r.URL.Path, "")
	raw, files, upErr := readBody(r)
	body := json.RawMessage(nil)
	if len(raw) > 0 {
		body = json.RawMessage(raw)
	}

	s.mu.Lock()
	rec := Request{Method: r.Method, Path: path, Body: body}
	var rep reply
	var f *Failure
	switch {
	case r.Header.Get("Authorization") != "Bot "+s.Token && !strings.HasPrefix(path, "/interactions/") &&
		!strings.HasPrefix(path, "/webhooks/"):
		rep = fail(http.StatusUnauthorized, 0, "401: Unauthorized")
	default:
		f = s.takeFailure(r.Method, path)
		switch {
		case f != nil:
		case upErr != nil:
			rep = *upErr
		case len(files) > 0:
			rep = s.routeUpload(r.Method, path, raw, files)
		default:
			rep = s.route(r.Method, path, raw)
		}
	}
	if f != nil && f.Status == http.StatusTooManyRequests {
		rec.Status = f.Status
		s.requests = append(s.requests, rec)
		s.mu.Unlock()
		writeRateLimited(w, f)
		return
	}
	if f != nil {
		rep = fail(f.Status, f.Code, f.Message)
	}
	rec.Status = rep.status
	s.requests = append(s.requests, rec)
	s.mu.Unlock()

	h := w.Header()
	h.Set("X-RateLimit-Limit", "5")
	h.Set("X-RateLimit-Remaining", "4")
	h.Set("X-RateLimit-Reset-After", "1.000")
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(time.Second).UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", bucketOf(path))
	if rep.status == http.StatusNoContent {
		w.WriteHeader(rep.status)
		return
	}
	h.Set("Content-Type", "application/json")
	w.WriteHeader(rep.status)
	_ = json.NewEncoder(w).Encode(rep.body)
}

// writeRateLimited answers a 429 the way Discord does.
func writeRateLimited(w http.ResponseWriter, f *Failure) {
	h := w.Header()
	after := strconv.FormatFloat(f.RetryAfter, 'f', 3, 64)
	h.Set("Content-Type", "application/json")
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(f.RetryAfter))))
	h.Set("X-RateLimit-Limit", "5")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset-After", after)
	h.Set("X-RateLimit-Bucket", "fake-bucket")
	scope := "user"
	if f.Global {
		h.Set("X-RateLimit-Global", "true")
		scope = "global"
	}
	h.Set("X-RateLimit-Scope", scope)
	w.WriteHeader(http.StatusTooManyRequests)
	msg := f.Message
	if msg == "" {
		msg = "You are being rate limited."
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"message": msg, "retry_after": f.RetryAfter, "global": f.Global})
}

func bucketOf(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) > 2 {
		parts = parts[:2]
	}
	return strings.Join(parts, ":")
}

// route serves one REST call. Callers hold s.mu.
func (s *Server) route(method, path string, body []byte) reply {
	p := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case method == "GET" && (path == "/gateway" || path == "/gateway/bot"):
		return ok(map[string]any{"url": s.GatewayURL(), "shards": 1,
			"session_start_limit": map[string]int{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
	case method == "GET" && path == "/users/@me":
		return ok(s.userLocked(s.BotUserID))
	case method == "POST" && path == "/users/@me/channels":
		var b struct {
			RecipientID string `json:"recipient_id"`
		}
		if json.Unmarshal(body, &b) != nil || b.RecipientID == "" {
			return reply{http.StatusBadRequest, formError("recipient_id", "BASE_TYPE_REQUIRED", "This field is required")}
		}
		id := s.dmChannelLocked(b.RecipientID)
		u := s.userLocked(b.RecipientID)
		return ok(map[string]any{"id": id, "type": 1, "recipients": []User{u}})
	case len(p) == 2 && p[0] == "channels" && method == "GET":
		c, found := s.channels[p[1]]
		if !found {
			return fail(http.StatusNotFound, 10003, "Unknown Channel")
		}
		return ok(c)
	case len(p) == 3 && p[0] == "channels" && p[2] == "messages" && method == "POST":
		return s.createMessage(p[1], body, nil)
	case len(p) == 4 && p[0] == "channels" && p[2] == "messages" && method == "PATCH":
		return s.editMessage(p[1], p[3], body)
	case len(p) == 4 && p[0] == "channels" && p[2] == "messages" && method == "GET":
		m, found := s.messages[p[3]]
		if !found || m.ChannelID != p[1] {
			return fail(http.StatusNotFound, 10008, "Unknown Message")
		}
		return ok(m)
	case len(p) == 5 && p[0] == "channels" && p[2] == "messages" && p[4] == "threads" && method == "POST":
		return s.startThread(p[1], p[3], body)
	case len(p) == 4 && p[0] == "interactions" && p[3] == "callback" && method == "POST":
		return s.interactionCallback(p[1], p[2], body)
	case len(p) >= 3 && p[0] == "webhooks":
		return s.webhook(method, p[1:], body)
	case len(p) >= 3 && p[0] == "applications" && method == "PUT":
		scope := "global"
		if len(p) == 5 && p[2] == "guilds" {
			scope = p[3]
		}
		if p[1] != s.ApplicationID {
			return fail(http.StatusForbidden, 50001, "Missing Access")
		}
		var cmds []map[string]any
		var checked []wireCommand
		if err := json.Unmarshal(body, &cmds); err != nil || json.Unmarshal(body, &checked) != nil {
			return reply{http.StatusBadRequest, formError("_", "BASE_TYPE_ARRAY", "Must be an array")}
		}
		if e := checkCommands(checked); e != nil {
			return reply{http.StatusBadRequest, *e}
		}
		for _, c := range cmds {
			c["id"] = s.newID()
			c["application_id"] = s.ApplicationID
		}
		s.commands[scope] = json.RawMessage(body)
		return ok(cmds)
	}
	return fail(http.StatusNotFound, 0, fmt.Sprintf("404: Not Found (%s %s)", method, path))
}

func (s *Server) createMessage(channelID string, raw []byte, atts []Attachment) reply {
	c, found := s.channels[channelID]
	if !found {
		return fail(http.StatusNotFound, 10003, "Unknown Channel")
	}
	var b messageBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return fail(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
	}
	if e := b.validate(len(atts) == 0); e != nil {
		return reply{http.StatusBadRequest, *e}
	}
	if c.Type == 1 && s.unreachable[c.Recipient] {
		return fail(http.StatusForbidden, 50007, "Cannot send messages to this user")
	}
	nonce := b.nonce()
	if nonce != "" && b.EnforceNonce {
		if seen, dup := s.nonces[nonce]; dup && s.now().Sub(seen.at) < 5*time.Minute {
			return ok(s.messages[seen.messageID])
		}
	}
	m := &Message{ID: s.newID(), ChannelID: channelID, GuildID: c.GuildID, Author: s.userLocked(s.BotUserID),
		Nonce: nonce, Timestamp: s.now().UTC()}
	b.apply(m)
	attach(m, atts)
	s.storeLocked(m)
	if nonce != "" && b.EnforceNonce {
		s.nonces[nonce] = nonceSeen{messageID: m.ID, at: s.now()}
	}
	s.gw.dispatchLocked("MESSAGE_CREATE", m)
	return ok(m)
}

func (s *Server) storeLocked(m *Message) {
	s.messages[m.ID] = m
	s.order[m.ChannelID] = append(s.order[m.ChannelID], m.ID)
}

func (s *Server) editMessage(channelID, messageID string, raw []byte) reply {
	m, found := s.messages[messageID]
	if !found || m.ChannelID != channelID {
		return fail(http.StatusNotFound, 10008, "Unknown Message")
	}
	if m.Author.ID != s.BotUserID {
		return fail(http.StatusForbidden, 50005, "Cannot edit a message authored by another user")
	}
	var b messageBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return fail(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
	}
	if e := b.validate(false); e != nil {
		return reply{http.StatusBadRequest, *e}
	}
	b.apply(m)
	t := s.now().UTC()
	m.EditedTimestamp = &t
	m.Edits++
	return ok(m)
}

func (s *Server) startThread(channelID, messageID string, raw []byte) reply {
	m, found := s.messages[messageID]
	if !found || m.ChannelID != channelID {
		return fail(http.StatusNotFound, 10008, "Unknown Message")
	}
	if _, exists := s.channels[messageID]; exists {
		return fail(http.StatusBadRequest, 160004, "A thread has already been created for this message")
	}
	var b struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(raw, &b) != nil || b.Name == "" || len([]rune(b.Name)) > 100 {
		return reply{http.StatusBadRequest, formError("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")}
	}
	c := s.newThreadLocked(channelID, messageID, b.Name)
	return reply{http.StatusCreated, c}
}

func (s *Server) newThreadLocked(parentID, messageID, name string) *Channel {
	parent := s.channels[parentID]
	c := &Channel{ID: messageID, Type: 11, GuildID: parent.GuildID, ParentID: parentID, Name: name}
	s.channels[c.ID] = c
	s.gw.dispatchLocked("THREAD_CREATE", c)
	return c
}

// CreateThread starts a thread on a message as a person would in the client, and returns the
// thread's id (the message's id).
func (s *Server) CreateThread(channelID, messageID, name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.messages[messageID]; !ok {
		return "", fmt.Errorf("fakediscord: no message %s", messageID)
	}
	if _, exists := s.channels[messageID]; exists {
		return "", fmt.Errorf("fakediscord: message %s already has a thread", messageID)
	}
	return s.newThreadLocked(channelID, messageID, name).ID, nil
}
