// Package fakeslack is a fake Slack for tests: a Web API on 127.0.0.1 (form-encoded and JSON
// POST /api/<method>, ok:false errors with Slack's error strings, 429 with Retry-After) and a
// Socket Mode websocket (hello, envelopes, acks, pings, disconnect, redelivery), driven by
// the real slack-go SDK. It enforces Slack's message limits, records every call and keeps the
// current state of every message (after chat.update), and it can push DM messages, button
// clicks, modal submissions and slash commands either as Socket Mode envelopes or as signed
// HTTP requests to an app's webhook URLs.
package fakeslack

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configure a fake workspace. Zero fields take the defaults shown.
type Options struct {
	BotToken      string // "xoxb-fake"
	AppToken      string // "xapp-fake"
	SigningSecret string // "fake-signing-secret"
	TeamID        string // "T0FAKE"
	BotUserID     string // "UBOT"
	BotID         string // "BBOT"
	AppID         string // "A0FAKE"
	// PingInterval is how often the Socket Mode server pings the client (500ms).
	PingInterval time.Duration
	// MaxUploadBytes is the workspace's restriction on uploads (MaxFileBytes, Slack's own
	// limit): a larger file gets file_upload_size_restricted.
	MaxUploadBytes int
}

// User is a workspace member.
type User struct {
	ID, Name, RealName string
	TZ                 string // IANA zone, as users.info gives it
	Locale             string // "en-US"
	IsBot, Deleted     bool
}

// Channel is a conversation. IM channels are created by conversations.open or by DM.
type Channel struct {
	ID, Name  string
	IsIM      bool
	User      string // the other member of an IM
	Archived  bool
	BotMember bool // the bot has joined (public and private channels)
}

// Message is the current state of a message in a channel.
type Message struct {
	Channel, TS, ThreadTS string
	Text                  string
	Blocks                json.RawMessage
	User, BotID           string
	Edits                 int // number of chat.update calls applied
}

// Ephemeral is a message shown to one user only.
type Ephemeral struct {
	Channel, User, Text string
	Blocks              json.RawMessage
}

// View is a modal opened with views.open.
type View struct {
	ID, TriggerID, User         string
	CallbackID, PrivateMetadata string
	JSON                        json.RawMessage
}

// ResponsePost is a message posted to a response_url.
type ResponsePost struct {
	URL  string
	Body json.RawMessage
}

// Call is one Web API call as the fake saw it; Params never hold the token.
type Call struct {
	Method string
	Params url.Values
	Status int
	Error  string // Slack's error string when ok was false
}

// Fault is an injected failure for the next call of a method.
type Fault struct {
	Error      string // Slack's error string (ok:false, status 200) unless Status says otherwise
	Status     int    // 429 or 5xx for HTTP-level failures
	RetryAfter int    // seconds, with Status 429
}

// Server is a fake Slack workspace.
type Server struct {
	opts Options
	srv  *httptest.Server

	mu        sync.Mutex
	seq       int
	users     map[string]*User
	channels  map[string]*Channel
	messages  []*Message
	ephemeral []Ephemeral
	views     []View
	responses []ResponsePost
	calls     []Call
	faults    map[string][]Fault
	triggers  map[string]string // trigger id → user
	files     map[string]*File
	fileOrder []string
	sock      socketState
}

// New starts a fake Slack on 127.0.0.1. Close it when done.
func New(o Options) *Server {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&o.BotToken, "xoxb-fake")
	def(&o.AppToken, "xapp-fake")
	def(&o.SigningSecret, "fake-signing-secret")
	def(&o.TeamID, "T0FAKE")
	def(&o.BotUserID, "UBOT")
	def(&o.BotID, "BBOT")
	def(&o.AppID, "A0FAKE")
	if o.PingInterval <= 0 {
		o.PingInterval = 500 * time.Millisecond
	}
	s := &Server{
		opts:     o,
		users:    map[string]*User{},
		channels: map[string]*Channel{},
		faults:   map[string][]Fault{},
		triggers: map[string]string{},
		files:    map[string]*File{},
	}
	s.sock.init()
	s.users[o.BotUserID] = &User{ID: o.BotUserID, Name: "earshot", IsBot: true}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/{method}", s.serveAPI)
	mux.HandleFunc("POST /upload/v1/{id}", s.serveUpload)
	mux.HandleFunc("GET /link/", s.serveSocket)
	mux.HandleFunc("POST /response/{id}", s.serveResponseURL)
	s.srv = httptest.NewServer(mux)
	return s
}

// Close stops the server and drops every Socket Mode connection.
func (s *Server) Close() {
	s.closeSockets()
	s.srv.Close()
}

// Options returns the options in effect (with defaults filled in).
func (s *Server) Options() Options { return s.opts }

// APIURL is the Web API base for slack.OptionAPIURL, with its trailing slash.
func (s *Server) APIURL() string { return s.srv.URL + "/api/" }

// URL is the fake's base URL ("http://127.0.0.1:PORT"); the Web API is under APIURL. The
// three fakes share this shape: New(Options), URL(), FailNext(method, n, status), Close().
func (s *Server) URL() string { return s.srv.URL }

// FailNext makes the next n calls of method ("chat.postMessage") fail with the HTTP status
// (429 with Retry-After 1, or a 5xx).
func (s *Server) FailNext(method string, n, status int) {
	for range n {
		s.Fail(method, Fault{Status: status, RetryAfter: 1})
	}
}

// ConfigYAML is the earshot configuration section that points the service at this fake, in
// Socket Mode (socket) or HTTP mode.
func (s *Server) ConfigYAML(socket bool) string {
	app := ""
	if socket {
		app = s.opts.AppToken
	}
	return fmt.Sprintf("slack:\n  bot_token: %q\n  app_token: %q\n  signing_secret: %q\n  api_url: %q\n",
		s.opts.BotToken, app, s.opts.SigningSecret, s.APIURL())
}

// AddUser adds or replaces a workspace member.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = &u
}

// AddChannel adds or replaces a channel.
func (s *Server) AddChannel(c Channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[c.ID] = &c
}

// SetChannel changes a channel in place (archive it, remove the bot).
func (s *Server) SetChannel(id string, fn func(*Channel)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.channels[id]; ok {
		fn(c)
	}
}

// IMChannel returns the id of the DM channel between the bot and user, creating it.
func (s *Server) IMChannel(user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.imLocked(user)
}

func (s *Server) imLocked(user string) string {
	id := "D" + strings.TrimPrefix(user, "U")
	if _, ok := s.channels[id]; !ok {
		s.channels[id] = &Channel{ID: id, IsIM: true, User: user, BotMember: true}
	}
	return id
}

// Fail queues faults: the next calls of method (or of any method, with "*") fail with them,
// one fault per call, in order.
func (s *Server) Fail(method string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], faults...)
}

// Calls returns the recorded calls of method, or of every method when method is "".
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Messages returns copies of the messages in channel (every channel when ""), oldest first.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages {
		if channel == "" || m.Channel == channel {
			out = append(out, *m)
		}
	}
	return out
}

// Message returns the current state of one message.
func (s *Server) Message(channel, ts string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.findLocked(channel, ts); m != nil {
		return *m, true
	}
	return Message{}, false
}

// Thread returns the replies under the message channel/ts, oldest first.
func (s *Server) Thread(channel, ts string) []Message {
	var out []Message
	for _, m := range s.Messages(channel) {
		if m.ThreadTS == ts && m.TS != ts {
			out = append(out, m)
		}
	}
	return out
}

// Ephemerals returns the ephemeral messages shown so far.
func (s *Server) Ephemerals() []Ephemeral {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.ephemeral)
}

// Views returns the modals opened so far.
func (s *Server) Views() []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.views)
}

// Responses returns what was posted to response URLs.
func (s *Server) Responses() []ResponsePost {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.responses)
}

// WaitFor polls cond every 10ms until it holds or timeout passes; it reports whether it held.
func (s *Server) WaitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (s *Server) findLocked(channel, ts string) *Message {
	for _, m := range s.messages {
		if m.Channel == channel && m.TS == ts {
			return m
		}
	}
	return nil
}

// nextLocked returns a fresh sequence number.
func (s *Server) nextLocked() int {
	s.seq++
	return s.seq
}

// tsLocked returns a fresh message timestamp, increasing like Slack's.
func (s *Server) tsLocked() string {
	n := s.nextLocked()
	return fmt.Sprintf("%d.%06d", 1700000000+n, n)
}

func (s *Server) serveResponseURL(w http.ResponseWriter, r *http.Request) {
	var body json.RawMessage
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.responses = append(s.responses, ResponsePost{URL: r.URL.String(), Body: body})
	s.mu.Unlock()
	_, _ = w.Write([]byte("ok"))
}
