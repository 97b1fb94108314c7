// Package fakediscord is a fake Discord for tests: the REST routes earshot's Discord adapter
// calls and a gateway websocket, served on 127.0.0.1 and speaking Discord's wire format, so
// the real discordgo can be driven against it. It keeps channels, messages (after edits),
// threads, DM channels, registered commands and interaction responses, records every REST
// call with its JSON body, and can inject Discord's errors: 429 with retry_after and the
// X-RateLimit-* headers, 50007 for users who cannot be messaged, any status and code.
//
// A test points the adapter's api_url at URL(), waits for WaitReady, and pushes events (a DM,
// a guild message, a button press, a modal submit, an application command) as dispatches.
package fakediscord

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults used by New.
const (
	DefaultToken         = "fake-bot-token"
	DefaultApplicationID = "900000000000000001"
	DefaultBotUserID     = "900000000000000002"
	DefaultGuildID       = "900000000000000003"
	DefaultTeamChannelID = "900000000000000004"
)

// Server is a running fake Discord. Its methods are safe for concurrent use.
type Server struct {
	Token         string // accepted as "Bot <Token>" in Authorization
	ApplicationID string
	BotUserID     string
	GuildID       string
	TeamChannelID string // a text channel in GuildID, created by New
	// HeartbeatInterval is sent in HELLO, in milliseconds (default 41250).
	HeartbeatInterval int

	srv *httptest.Server

	mu           sync.Mutex
	nextID       int64
	requests     []Request
	channels     map[string]*Channel
	messages     map[string]*Message
	order        map[string][]string // channel id -> message ids, oldest first
	dms          map[string]string   // user id -> DM channel id
	nonces       map[string]nonceSeen
	users        map[string]User
	unreachable  map[string]bool
	failures     []*Failure
	commands     map[string]json.RawMessage // "global" or guild id -> last bulk overwrite body
	interactions map[string]*Interaction
	gw           gatewayState
	now          func() time.Time
}

type nonceSeen struct {
	messageID string
	at        time.Time
}

// Request is one recorded REST call.
type Request struct {
	Method string
	Path   string // without the /api/vN prefix: "/channels/123/messages"
	Body   json.RawMessage
	// Status is what the fake answered.
	Status int
}

// Channel is a channel the fake knows: a guild text channel, a DM or a thread.
type Channel struct {
	ID       string `json:"id"`
	Type     int    `json:"type"` // 0 text, 1 DM, 11 public thread
	GuildID  string `json:"guild_id,omitempty"`
	ParentID string `json:"parent_id,omitempty"`
	Name     string `json:"name,omitempty"`
	// Recipient is the user of a DM channel.
	Recipient string `json:"-"`
}

// User is a Discord user the fake knows.
type User struct {
	ID         string `json:"id"`
	Username   string `json:"username"`
	GlobalName string `json:"global_name,omitempty"`
	Bot        bool   `json:"bot,omitempty"`
	// Locale is sent with the user's interactions ("en-US", "de").
	Locale string `json:"-"`
}

// Options configure a fake Discord; the zero value is a working one.
type Options struct {
	Token string // the bot token it accepts; default DefaultToken
}

// New starts a fake Discord on 127.0.0.1 with a guild, a team channel and the bot user.
// Close it when done. The three fakes share this shape: New(Options), URL(),
// FailNext(method, n, status), Close().
func New(o Options) *Server {
	if o.Token == "" {
		o.Token = DefaultToken
	}
	s := &Server{
		Token:             o.Token,
		ApplicationID:     DefaultApplicationID,
		BotUserID:         DefaultBotUserID,
		GuildID:           DefaultGuildID,
		TeamChannelID:     DefaultTeamChannelID,
		HeartbeatInterval: 41250,
		nextID:            910000000000000000,
		channels:          map[string]*Channel{},
		messages:          map[string]*Message{},
		order:             map[string][]string{},
		dms:               map[string]string{},
		nonces:            map[string]nonceSeen{},
		users:             map[string]User{},
		unreachable:       map[string]bool{},
		commands:          map[string]json.RawMessage{},
		interactions:      map[string]*Interaction{},
		now:               time.Now,
	}
	s.channels[s.TeamChannelID] = &Channel{ID: s.TeamChannelID, Type: 0, GuildID: s.GuildID, Name: "team"}
	s.users[s.BotUserID] = User{ID: s.BotUserID, Username: "earshot", Bot: true}
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway", s.serveGateway)
	mux.HandleFunc("/gateway/", s.serveGateway)
	mux.HandleFunc("/api/", s.serveREST)
	s.srv = httptest.NewServer(mux)
	return s
}

// URL is the base to use as the adapter's api_url ("http://127.0.0.1:PORT").
func (s *Server) URL() string { return s.srv.URL }

// FailNext makes the next n REST requests whose path contains route ("/messages") fail with
// the HTTP status (429 as a per-route rate limit of 1 s).
func (s *Server) FailNext(route string, n, status int) {
	f := Failure{Path: route, Status: status, Times: n, Message: http.StatusText(status)}
	if status == http.StatusTooManyRequests {
		f.RetryAfter = 1
	}
	s.Fail(f)
}

// GatewayURL is the websocket address the fake hands out in GET /gateway.
func (s *Server) GatewayURL() string {
	return "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/gateway"
}

// Close drops the gateway connection and stops the server.
func (s *Server) Close() {
	s.closeGateway()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// SetUser registers (or replaces) a user, for names and locales in events.
func (s *Server) SetUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
}

// SetUnreachable makes sends to the user's DM channel fail with 50007.
func (s *Server) SetUnreachable(userID string, unreachable bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unreachable[userID] = unreachable
}

// Requests returns every REST call so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// RequestsTo returns the recorded calls whose method matches (any when empty) and whose path
// has the given suffix.
func (s *Server) RequestsTo(method, pathSuffix string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if (method == "" || r.Method == method) && strings.HasSuffix(r.Path, pathSuffix) {
			out = append(out, r)
		}
	}
	return out
}

// Commands returns the body of the last bulk overwrite for scope ("global" or a guild id).
func (s *Server) Commands(scope string) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands[scope]
}

// Channel returns a known channel.
func (s *Server) Channel(id string) (Channel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.channels[id]
	if !ok {
		return Channel{}, false
	}
	return *c, true
}

// DMChannel returns the DM channel id of a user, if one was opened.
func (s *Server) DMChannel(userID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.dms[userID]
	return id, ok
}

// Messages returns the channel's messages as they are now (after edits), oldest first.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, id := range s.order[channelID] {
		out = append(out, s.messages[id].clone())
	}
	return out
}

// Message returns one message as it is now.
func (s *Server) Message(id string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.messages[id]
	if !ok {
		return Message{}, false
	}
	return m.clone(), true
}

// newID returns a fresh snowflake-like id. Callers hold s.mu.
func (s *Server) newID() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

// dmChannelLocked returns (creating if needed) the DM channel with a user.
func (s *Server) dmChannelLocked(userID string) string {
	if id, ok := s.dms[userID]; ok {
		return id
	}
	id := s.newID()
	s.dms[userID] = id
	s.channels[id] = &Channel{ID: id, Type: 1, Recipient: userID}
	return id
}

func (s *Server) userLocked(id string) User {
	if u, ok := s.users[id]; ok {
		return u
	}
	return User{ID: id, Username: "user" + id}
}

// apiError is Discord's JSON error body.
type apiError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Errors  json.RawMessage `json:"errors,omitempty"`
}

func formError(field, code, msg string) apiError {
	errs := fmt.Sprintf(`{%q:{"_errors":[{"code":%q,"message":%q}]}}`, field, code, msg)
	return apiError{Code: 50035, Message: "Invalid Form Body", Errors: json.RawMessage(errs)}
}
