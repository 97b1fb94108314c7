// Package faketelegram is a fake Telegram Bot API server for tests: it listens on
// 127.0.0.1, speaks the real wire protocol (POST /bot<token>/<method> with multipart,
// urlencoded or JSON bodies; {"ok":true,"result":…} or {"ok":false,"error_code":…,
// "description":…,"parameters":…}), enforces the limits Telegram enforces (text length,
// callback data, HTML entities, who the bot may message), can inject failures, and lets a
// test act as users: post messages and commands, press buttons, and look at what each chat
// shows.
//
// It keeps updates the way Telegram does: getUpdates long-polls, and forgets an update only
// once a later call confirms it with a higher offset; with a webhook set it POSTs each update
// (with the secret header) until the receiver answers 2xx.
package faketelegram

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a fake server; zero fields take defaults.
type Options struct {
	Token       string // default "123456:TEST-token"
	BotUsername string // default "earshot_test_bot"
	BotName     string // default "earshot"
}

// User is a Telegram user the test acts as.
type User struct {
	ID           int64
	FirstName    string
	LastName     string
	Username     string
	LanguageCode string
}

// Server is a running fake Bot API.
type Server struct {
	baseURL string
	// Token is the only token the server accepts; others get 401 Unauthorized.
	Token string
	// BotID and BotUsername describe the bot (getMe).
	BotID       int64
	BotUsername string
	botName     string

	srv *httptest.Server

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every change, to wake waiters
	closed     bool
	nextUpdate int64
	pending    []wireUpdate         // delivered or not, but not yet confirmed; by id
	history    map[int64]wireUpdate // every update ever pushed
	confirmed  int64                // every update below this id is forgotten
	chats      map[int64]*chat
	started    map[int64]bool // users who have opened the bot
	blocked    map[int64]bool // users who blocked the bot
	calls      []Call
	faults     []*Fault
	queries    map[string]*query
	nextQuery  int
	commands   map[string][]Command
	hookURL    string
	hookSecret string
	hookGen    int
	hookHits   int
	holds      []hold
	conns      atomic.Int64 // TCP connections accepted
}

// Connections returns how many TCP connections clients have opened to the server: calls
// beyond it reused one.
func (s *Server) Connections() int64 { return s.conns.Load() }

type chat struct {
	wire       wireChat
	messages   []*message
	nextID     int
	migratedTo int64
}

type message struct {
	id       int
	from     wireUser
	fromBot  bool
	text     string // what people see
	html     string // what the bot sent, before parsing
	keyboard [][]Button
	replyTo  int
	media    string // "photo", "sticker", …: text is then the caption
	photo    []byte // a photo the bot uploaded
	date     int64
	edits    int
}

type query struct {
	answered  bool
	text      string
	showAlert bool
}

// New runs a fake server on 127.0.0.1. Close it when done. The three fakes share this shape:
// New(Options), URL(), FailNext(method, n, status), Close().
func New(o Options) *Server { return Start(o) }

// URL is the base URL to give the SDK as its server URL ("http://127.0.0.1:port").
func (s *Server) URL() string { return s.baseURL }

// Start is New.
func Start(o Options) *Server {
	if o.Token == "" {
		o.Token = "123456:TEST-token"
	}
	if o.BotUsername == "" {
		o.BotUsername = "earshot_test_bot"
	}
	if o.BotName == "" {
		o.BotName = "earshot"
	}
	id, _ := strconv.ParseInt(strings.SplitN(o.Token, ":", 2)[0], 10, 64)
	s := &Server{
		Token:       o.Token,
		BotID:       id,
		BotUsername: o.BotUsername,
		botName:     o.BotName,
		changed:     make(chan struct{}),
		nextUpdate:  1000,
		history:     map[int64]wireUpdate{},
		chats:       map[int64]*chat{},
		started:     map[int64]bool{},
		blocked:     map[int64]bool{},
		queries:     map[string]*query{},
		commands:    map[string][]Command{},
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.srv.Start()
	s.baseURL = s.srv.URL
	return s
}

// ConfigYAML is the earshot configuration section that points the service at this fake in
// polling mode.
func (s *Server) ConfigYAML() string {
	return fmt.Sprintf("telegram:\n  token: %q\n  api_url: %q\n  mode: polling\n", s.Token, s.baseURL)
}

// Close stops the server and wakes every long poll.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	s.hookGen++
	s.notifyLocked()
	s.mu.Unlock()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// notifyLocked wakes everyone waiting for a change. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// apiError is a Bot API error reply.
type apiError struct {
	code        int
	description string
	params      *wireParameters
	rawBody     string
}

func (e *apiError) Error() string { return e.description }

func badRequest(desc string) *apiError {
	return &apiError{code: http.StatusBadRequest, description: "Bad Request: " + desc}
}

func forbidden(desc string) *apiError {
	return &apiError{code: http.StatusForbidden, description: "Forbidden: " + desc}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || method == "" {
		writeJSON(w, http.StatusNotFound, wireResponse{ErrorCode: 404, Description: "Not Found"})
		return
	}
	params, err := readParams(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, wireResponse{ErrorCode: 400, Description: "Bad Request: " + err.Error()})
		return
	}
	s.waitHolds(r, method)
	if r.Context().Err() != nil {
		return // the caller gave up (or was killed) while held: the call never happened
	}
	call := Call{Method: method, Params: params, At: time.Now()}
	var result any
	var apiErr *apiError
	switch {
	case token != s.Token:
		apiErr = &apiError{code: http.StatusUnauthorized, description: "Unauthorized"}
	default:
		if apiErr = s.takeFault(method, params); apiErr == nil {
			result, apiErr = s.dispatch(r, method, params)
		}
	}
	if apiErr != nil {
		call.Code, call.Description = apiErr.code, apiErr.description
	} else {
		call.Code = http.StatusOK
	}
	s.mu.Lock()
	s.calls = append(s.calls, call)
	s.notifyLocked()
	s.mu.Unlock()
	switch {
	case apiErr != nil && apiErr.rawBody != "":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(apiErr.code)
		_, _ = w.Write([]byte(apiErr.rawBody))
	case apiErr != nil:
		writeJSON(w, apiErr.code, wireResponse{ErrorCode: apiErr.code, Description: apiErr.description, Parameters: apiErr.params})
	default:
		writeJSON(w, http.StatusOK, wireResponse{OK: true, Result: result})
	}
}

func (s *Server) dispatch(r *http.Request, method string, p map[string]string) (any, *apiError) {
	switch strings.ToLower(method) {
	case "getme":
		return wireUser{ID: s.BotID, IsBot: true, FirstName: s.botName, Username: s.BotUsername}, nil
	case "getupdates":
		return s.getUpdates(r, p)
	case "setwebhook":
		return s.setWebhook(p)
	case "deletewebhook":
		return s.deleteWebhook(p)
	case "getwebhookinfo":
		s.mu.Lock()
		defer s.mu.Unlock()
		return map[string]any{"url": s.hookURL, "has_custom_certificate": false, "pending_update_count": len(s.pending)}, nil
	case "sendmessage":
		return s.sendMessage(p)
	case "sendphoto":
		return s.sendPhoto(r, p)
	case "editmessagetext":
		return s.editMessageText(p)
	case "editmessagereplymarkup":
		return s.editMessageReplyMarkup(p)
	case "answercallbackquery":
		return s.answerCallbackQuery(p)
	case "setmycommands":
		return s.setMyCommands(p)
	case "deletemycommands":
		return s.deleteMyCommands(p)
	}
	return nil, &apiError{code: http.StatusNotFound, description: "Not Found: method not found"}
}

// readParams reads a Bot API request's parameters from the query string and a multipart,
// urlencoded or JSON body. JSON values that are not strings are kept as their JSON text,
// which is how form encodings carry them too.
func readParams(r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	for k, v := range r.URL.Query() {
		out[k] = v[0]
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		// A call without parameters comes as an empty multipart body from some clients
		// (the SDK's getMe); Telegram takes it, so does the fake.
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, err
		}
		for k, v := range r.MultipartForm.Value {
			out[k] = v[0]
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		for k, v := range r.PostForm {
			out[k] = v[0]
		}
	case "application/json":
		var m map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			return nil, err
		}
		for k, raw := range m {
			var str string
			if json.Unmarshal(raw, &str) == nil {
				out[k] = str
			} else {
				out[k] = string(raw)
			}
		}
	}
	return out, nil
}

func writeJSON(w http.ResponseWriter, status int, v wireResponse) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
