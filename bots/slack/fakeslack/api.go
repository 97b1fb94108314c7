package fakeslack

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// apiError is an ok:false answer.
type apiError struct {
	code   string
	detail []string
}

type result = map[string]any

func fail(code string, detail ...string) *apiError { return &apiError{code: code, detail: detail} }

// serveAPI answers POST /api/<method> the way Slack does: HTTP 200 with {"ok":…}.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	params, token, err := readParams(r)
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	call := Call{Method: method, Params: params, Status: http.StatusOK}

	s.mu.Lock()
	fault, faulted := s.popFaultLocked(method)
	s.mu.Unlock()
	if faulted && fault.Status != 0 && fault.Status != http.StatusOK {
		call.Status = fault.Status
		call.Error = fault.Error
		s.record(call)
		if fault.Status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", strconv.Itoa(fault.RetryAfter))
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(fault.Status)
			_, _ = w.Write([]byte(`{"ok":false,"error":"ratelimited"}`))
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(fault.Status)
		_, _ = w.Write([]byte("<html><body>Slack is having trouble</body></html>"))
		return
	}

	var res result
	var aerr *apiError
	switch {
	case faulted:
		aerr = fail(fault.Error)
	case !s.authorized(method, token):
		aerr = fail("invalid_auth")
	default:
		s.mu.Lock()
		res, aerr = s.dispatchLocked(method, params)
		s.mu.Unlock()
	}
	if aerr != nil {
		call.Error = aerr.code
		res = result{"ok": false, "error": aerr.code}
		if len(aerr.detail) > 0 {
			res["errors"] = aerr.detail
			res["response_metadata"] = result{"messages": aerr.detail}
		}
	} else {
		res["ok"] = true
	}
	s.record(call)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(res)
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.mu.Unlock()
}

func (s *Server) popFaultLocked(method string) (Fault, bool) {
	for _, k := range []string{method, "*"} {
		if q := s.faults[k]; len(q) > 0 {
			s.faults[k] = q[1:]
			return q[0], true
		}
	}
	return Fault{}, false
}

func (s *Server) authorized(method, token string) bool {
	if method == "apps.connections.open" {
		return token == s.opts.AppToken
	}
	return token == s.opts.BotToken
}

// readParams reads a form-encoded or JSON body into url.Values (objects as JSON text) and
// returns the token from the form or the Authorization header. The token is removed.
func readParams(r *http.Request) (url.Values, string, error) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 8<<20))
	if err != nil {
		return nil, "", err
	}
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	params := url.Values{}
	if ct == "application/json" {
		var m map[string]json.RawMessage
		if len(body) > 0 {
			if err := json.Unmarshal(body, &m); err != nil {
				return nil, "", err
			}
		}
		for k, v := range m {
			var str string
			if json.Unmarshal(v, &str) == nil {
				params.Set(k, str)
			} else {
				params.Set(k, string(v))
			}
		}
	} else if params, err = url.ParseQuery(string(body)); err != nil {
		return nil, "", err
	}
	if t := params.Get("token"); t != "" {
		token = t
	}
	params.Del("token")
	return params, token, nil
}

func (s *Server) dispatchLocked(method string, p url.Values) (result, *apiError) {
	switch method {
	case "auth.test":
		return result{"url": "https://fake.slack.com/", "team": "Fake", "user": "earshot",
			"team_id": s.opts.TeamID, "user_id": s.opts.BotUserID, "bot_id": s.opts.BotID}, nil
	case "bots.info":
		if p.Get("bot") != s.opts.BotID {
			return nil, fail("bot_not_found")
		}
		return result{"bot": result{"id": s.opts.BotID, "app_id": s.opts.AppID, "user_id": s.opts.BotUserID,
			"name": "earshot", "deleted": false}}, nil
	case "apps.connections.open":
		return result{"url": s.socketURLLocked()}, nil
	case "chat.postMessage":
		return s.postMessageLocked(p)
	case "chat.update":
		return s.updateLocked(p)
	case "chat.postEphemeral":
		return s.postEphemeralLocked(p)
	case "conversations.open":
		return s.openLocked(p)
	case "users.info":
		return s.userInfoLocked(p)
	case "views.open":
		return s.openViewLocked(p)
	case "files.getUploadURLExternal":
		return s.getUploadURLLocked(p)
	case "files.completeUploadExternal":
		return s.completeUploadLocked(p)
	}
	return nil, fail("unknown_method")
}

// channelLocked resolves a channel parameter the way chat.postMessage does (a user id means
// the DM with that user).
func (s *Server) channelLocked(id string) (*Channel, *apiError) {
	if strings.HasPrefix(id, "U") || strings.HasPrefix(id, "W") {
		u, ok := s.users[id]
		if !ok {
			return nil, fail("channel_not_found")
		}
		id = s.imLocked(u.ID)
	}
	c, ok := s.channels[id]
	switch {
	case !ok:
		return nil, fail("channel_not_found")
	case c.Archived:
		return nil, fail("is_archived")
	case !c.BotMember:
		return nil, fail("not_in_channel")
	}
	return c, nil
}

// content validates text and blocks of a message.
func content(p url.Values, requireOne bool) (json.RawMessage, *apiError) {
	text := p.Get("text")
	if utf8.RuneCountInString(text) > MaxMessageText {
		return nil, fail("msg_too_long")
	}
	raw := p.Get("blocks")
	if requireOne && strings.TrimSpace(text) == "" && (raw == "" || raw == "[]") {
		return nil, fail("no_text")
	}
	if raw == "" {
		return nil, nil
	}
	if problems := ValidateBlocks([]byte(raw), MaxMessageBlocks); len(problems) > 0 {
		return nil, fail("invalid_blocks", problems...)
	}
	return json.RawMessage(raw), nil
}

func (s *Server) postMessageLocked(p url.Values) (result, *apiError) {
	c, aerr := s.channelLocked(p.Get("channel"))
	if aerr != nil {
		return nil, aerr
	}
	blocks, aerr := content(p, true)
	if aerr != nil {
		return nil, aerr
	}
	thread := p.Get("thread_ts")
	if thread != "" && s.findLocked(c.ID, thread) == nil {
		return nil, fail("thread_not_found")
	}
	m := &Message{Channel: c.ID, TS: s.tsLocked(), ThreadTS: thread, Text: p.Get("text"),
		Blocks: blocks, User: s.opts.BotUserID, BotID: s.opts.BotID}
	s.messages = append(s.messages, m)
	return result{"channel": c.ID, "ts": m.TS, "message": result{"type": "message",
		"text": m.Text, "ts": m.TS, "bot_id": m.BotID, "user": m.User}}, nil
}

func (s *Server) updateLocked(p url.Values) (result, *apiError) {
	c, aerr := s.channelLocked(p.Get("channel"))
	if aerr != nil {
		return nil, aerr
	}
	m := s.findLocked(c.ID, p.Get("ts"))
	switch {
	case m == nil:
		return nil, fail("message_not_found")
	case m.BotID != s.opts.BotID:
		return nil, fail("cant_update_message")
	}
	blocks, aerr := content(p, true)
	if aerr != nil {
		return nil, aerr
	}
	m.Text = p.Get("text")
	if p.Has("blocks") {
		m.Blocks = blocks
	}
	m.Edits++
	return result{"channel": c.ID, "ts": m.TS, "text": m.Text}, nil
}

func (s *Server) postEphemeralLocked(p url.Values) (result, *apiError) {
	c, aerr := s.channelLocked(p.Get("channel"))
	if aerr != nil {
		return nil, aerr
	}
	if _, ok := s.users[p.Get("user")]; !ok {
		return nil, fail("user_not_found")
	}
	blocks, aerr := content(p, true)
	if aerr != nil {
		return nil, aerr
	}
	s.ephemeral = append(s.ephemeral, Ephemeral{Channel: c.ID, User: p.Get("user"),
		Text: p.Get("text"), Blocks: blocks})
	return result{"message_ts": s.tsLocked()}, nil
}

func (s *Server) openLocked(p url.Values) (result, *apiError) {
	users := strings.Split(p.Get("users"), ",")
	if len(users) != 1 || users[0] == "" {
		return nil, fail("invalid_arguments")
	}
	u, ok := s.users[users[0]]
	switch {
	case !ok:
		return nil, fail("user_not_found")
	case u.Deleted:
		return nil, fail("user_disabled")
	case u.IsBot:
		return nil, fail("cannot_dm_bot")
	}
	return result{"channel": result{"id": s.imLocked(u.ID)}}, nil
}

func (s *Server) userInfoLocked(p url.Values) (result, *apiError) {
	u, ok := s.users[p.Get("user")]
	if !ok {
		return nil, fail("user_not_found")
	}
	user := result{"id": u.ID, "name": u.Name, "real_name": u.RealName, "deleted": u.Deleted,
		"is_bot": u.IsBot, "tz": u.TZ, "tz_label": u.TZ, "tz_offset": 0,
		"profile": result{"real_name": u.RealName, "display_name": u.Name}}
	if p.Get("include_locale") == "true" {
		user["locale"] = u.Locale
	}
	return result{"user": user}, nil
}

func (s *Server) openViewLocked(p url.Values) (result, *apiError) {
	trigger := p.Get("trigger_id")
	user, ok := s.triggers[trigger]
	if !ok {
		return nil, fail("invalid_trigger_id")
	}
	delete(s.triggers, trigger) // a trigger opens one view
	var v struct {
		Type            string          `json:"type"`
		CallbackID      string          `json:"callback_id"`
		PrivateMetadata string          `json:"private_metadata"`
		Title           map[string]any  `json:"title"`
		Blocks          json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal([]byte(p.Get("view")), &v); err != nil || v.Type != "modal" {
		return nil, fail("invalid_arguments")
	}
	title, _ := v.Title["text"].(string)
	if title == "" || utf8.RuneCountInString(title) > 24 || len(v.PrivateMetadata) > 3000 {
		return nil, fail("invalid_arguments")
	}
	if problems := ValidateBlocks(v.Blocks, MaxViewBlocks); len(problems) > 0 {
		return nil, fail("invalid_arguments", problems...)
	}
	view := View{ID: "V" + strconv.Itoa(s.nextLocked()), TriggerID: trigger, User: user,
		CallbackID: v.CallbackID, PrivateMetadata: v.PrivateMetadata, JSON: json.RawMessage(p.Get("view"))}
	s.views = append(s.views, view)
	return result{"view": result{"id": view.ID, "type": "modal", "callback_id": v.CallbackID,
		"private_metadata": v.PrivateMetadata}}, nil
}
