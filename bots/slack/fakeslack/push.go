package fakeslack

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Kinds of inbound payloads: Socket Mode envelope types.
const (
	KindEvents      = "events_api"
	KindInteractive = "interactive"
	KindSlash       = "slash_commands"
)

// Inbound is something Slack sends an app: an Events API callback, an interaction payload or
// a slash command. Deliver it with Send (Socket Mode) or Post (HTTP, signed).
type Inbound struct {
	Kind    string
	Payload json.RawMessage
	// EventID is the Events API event_id, for events.
	EventID string
	// TriggerID and ResponseURL are set for interactions and commands.
	TriggerID, ResponseURL string
}

type obj = map[string]any

func (s *Server) callbackLocked(inner obj) Inbound {
	id := fmt.Sprintf("Ev%08d", s.nextLocked())
	body := obj{"token": "fake-verification-token", "team_id": s.opts.TeamID,
		"api_app_id": s.opts.AppID, "event": inner, "type": "event_callback", "event_id": id,
		"event_time": time.Now().Unix(), "event_context": "ctx-" + id,
		"authorizations": []obj{{"team_id": s.opts.TeamID, "user_id": s.opts.BotUserID, "is_bot": true}}}
	return Inbound{Kind: KindEvents, Payload: mustJSON(body), EventID: id}
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v) // only maps of strings, numbers and raw JSON: never fails
	return b
}

// Event wraps any inner event (a message_changed, a bot's message…) in an Events API callback.
func (s *Server) Event(inner map[string]any) Inbound {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callbackLocked(inner)
}

// wire is how Slack sends what a person typed: &, < and > as entities.
func wire(typed string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(typed)
}

// DM is a message.im event: user types text to the bot in their DM (sent as Slack sends it,
// with &, < and > escaped).
func (s *Server) DM(user, text string) Inbound {
	text = wire(text)
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.imLocked(user)
	ts := s.tsLocked()
	s.messages = append(s.messages, &Message{Channel: ch, TS: ts, Text: text, User: user})
	return s.callbackLocked(obj{"type": "message", "channel": ch, "user": user, "text": text,
		"ts": ts, "event_ts": ts, "channel_type": "im", "client_msg_id": "cm-" + ts})
}

// ChannelMessage is a message.channels event: user types text in channel; threadTS puts it
// in a thread.
func (s *Server) ChannelMessage(channel, user, text, threadTS string) Inbound {
	text = wire(text)
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.tsLocked()
	s.messages = append(s.messages, &Message{Channel: channel, TS: ts, ThreadTS: threadTS, Text: text, User: user})
	ev := obj{"type": "message", "channel": channel, "user": user, "text": text, "ts": ts,
		"event_ts": ts, "channel_type": "channel", "client_msg_id": "cm-" + ts}
	if threadTS != "" {
		ev["thread_ts"] = threadTS
	}
	return s.callbackLocked(ev)
}

func (s *Server) userObjLocked(id string) obj {
	name := id
	if u, ok := s.users[id]; ok && u.Name != "" {
		name = u.Name
	}
	return obj{"id": id, "username": name, "name": name, "team_id": s.opts.TeamID}
}

func (s *Server) triggerLocked(user string) (trigger, responseURL string) {
	n := s.nextLocked()
	trigger = fmt.Sprintf("%d.%d.fake", n, 1700000000+n)
	s.triggers[trigger] = user
	return trigger, fmt.Sprintf("%s/response/%d", s.srv.URL, n)
}

// Click is a block_actions payload: user presses the button of message channel/ts whose text
// or action_id is button.
func (s *Server) Click(user, channel, ts, button string) (Inbound, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.findLocked(channel, ts)
	if m == nil {
		return Inbound{}, fmt.Errorf("fakeslack: no message %s/%s", channel, ts)
	}
	var b *Button
	for _, x := range m.Buttons() {
		if x.Text == button || x.ActionID == button {
			b = &x
			break
		}
	}
	if b == nil {
		return Inbound{}, fmt.Errorf("fakeslack: message %s/%s has no button %q", channel, ts, button)
	}
	trigger, responseURL := s.triggerLocked(user)
	n := s.nextLocked()
	container := obj{"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": false}
	msg := obj{"type": "message", "ts": ts, "text": m.Text, "bot_id": m.BotID, "user": m.User, "blocks": m.Blocks}
	if m.ThreadTS != "" {
		container["thread_ts"] = m.ThreadTS
		msg["thread_ts"] = m.ThreadTS
	}
	p := obj{"type": "block_actions", "user": s.userObjLocked(user), "api_app_id": s.opts.AppID,
		"token": "fake-verification-token", "container": container, "trigger_id": trigger,
		"team": obj{"id": s.opts.TeamID, "domain": "fake"}, "channel": obj{"id": channel},
		"message": msg, "response_url": responseURL,
		"actions": []obj{{"action_id": b.ActionID, "block_id": b.BlockID, "type": "button",
			"text": obj{"type": "plain_text", "text": b.Text}, "value": b.Value,
			"action_ts": fmt.Sprintf("%d.%06d", 1700000000+n, n)}}}
	return Inbound{Kind: KindInteractive, Payload: mustJSON(p), TriggerID: trigger, ResponseURL: responseURL}, nil
}

// Submit is a view_submission payload: user submits modal viewID with text typed into
// every plain-text input of the view.
func (s *Server) Submit(user, viewID, text string) (Inbound, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var v *View
	for i := range s.views {
		if s.views[i].ID == viewID {
			v = &s.views[i]
		}
	}
	if v == nil {
		return Inbound{}, fmt.Errorf("fakeslack: no view %q", viewID)
	}
	var view struct {
		Blocks []struct {
			Type    string `json:"type"`
			BlockID string `json:"block_id"`
			Element struct {
				Type     string `json:"type"`
				ActionID string `json:"action_id"`
			} `json:"element"`
		} `json:"blocks"`
	}
	_ = json.Unmarshal(v.JSON, &view)
	values := obj{}
	for _, b := range view.Blocks {
		if b.Type == "input" && b.Element.Type == "plain_text_input" {
			values[b.BlockID] = obj{b.Element.ActionID: obj{"type": "plain_text_input", "value": text}}
		}
	}
	trigger, _ := s.triggerLocked(user)
	p := obj{"type": "view_submission", "team": obj{"id": s.opts.TeamID}, "user": s.userObjLocked(user),
		"api_app_id": s.opts.AppID, "token": "fake-verification-token", "trigger_id": trigger,
		"view": obj{"id": v.ID, "type": "modal", "callback_id": v.CallbackID,
			"private_metadata": v.PrivateMetadata, "hash": "h-" + v.ID, "state": obj{"values": values}},
		"response_urls": []obj{}}
	return Inbound{Kind: KindInteractive, Payload: mustJSON(p), TriggerID: trigger}, nil
}

// Slash is a slash command typed by user in channel: command "/earshot", text "ack C-1".
func (s *Server) Slash(user, channel, command, text string) Inbound {
	s.mu.Lock()
	defer s.mu.Unlock()
	name := "directmessage"
	if c, ok := s.channels[channel]; ok && !c.IsIM {
		name = c.Name
	}
	trigger, responseURL := s.triggerLocked(user)
	p := obj{"token": "fake-verification-token", "team_id": s.opts.TeamID, "team_domain": "fake",
		"channel_id": channel, "channel_name": name, "user_id": user,
		"user_name": s.userObjLocked(user)["name"], "command": command, "text": text,
		"response_url": responseURL, "trigger_id": trigger, "api_app_id": s.opts.AppID}
	return Inbound{Kind: KindSlash, Payload: mustJSON(p), TriggerID: trigger, ResponseURL: responseURL}
}

// URLVerification is the challenge Slack sends when an Events API URL is configured.
func URLVerification(challenge string) Inbound {
	return Inbound{Kind: KindEvents, Payload: mustJSON(obj{"token": "fake-verification-token",
		"challenge": challenge, "type": "url_verification"})}
}

// Body returns the HTTP body Slack would post for in, and its content type.
func (in Inbound) Body() (contentType string, body []byte) {
	switch in.Kind {
	case KindInteractive:
		return "application/x-www-form-urlencoded", []byte(url.Values{"payload": {string(in.Payload)}}.Encode())
	case KindSlash:
		var m map[string]string
		_ = json.Unmarshal(in.Payload, &m)
		v := url.Values{}
		for k, x := range m {
			v.Set(k, x)
		}
		return "application/x-www-form-urlencoded", []byte(v.Encode())
	}
	return "application/json", in.Payload
}

// Sign returns Slack's request signature: v0=hex(HMAC-SHA256(secret, "v0:ts:body")).
func Sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%d:", ts)
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// PostOptions change how Post signs and sends a request.
type PostOptions struct {
	Secret   string    // signing secret; the server's when empty
	At       time.Time // the request timestamp; now when zero
	RetryNum int       // X-Slack-Retry-Num when > 0
}

// Post sends in to an app's webhook URL as Slack does, signed, and returns the status and body.
func (s *Server) Post(target string, in Inbound) (int, []byte, error) {
	return s.PostWith(target, in, PostOptions{})
}

// PostWith is Post with options (a wrong secret, a stale timestamp, a retry).
func (s *Server) PostWith(target string, in Inbound, o PostOptions) (int, []byte, error) {
	if o.Secret == "" {
		o.Secret = s.opts.SigningSecret
	}
	if o.At.IsZero() {
		o.At = time.Now()
	}
	ct, body := in.Body()
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("fakeslack: post: %w", err)
	}
	ts := o.At.Unix()
	req.Header.Set("Content-Type", ct)
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Slack-Signature", Sign(o.Secret, ts, body))
	if o.RetryNum > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(o.RetryNum))
		req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("fakeslack: post: %w", err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}
