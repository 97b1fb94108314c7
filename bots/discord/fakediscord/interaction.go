package fakediscord

import (
	"encoding/json"
	"net/http"
)

// Interaction is an interaction the fake created, with the app's answers to it.
type Interaction struct {
	ID        string
	Token     string
	Type      int // 2 command, 3 component, 5 modal submit
	ChannelID string
	MessageID string // the message whose button was pressed
	// Callbacks are the bodies of POST /interactions/{id}/{token}/callback, in order.
	Callbacks []Callback
	// Original is the response message after PATCH webhooks/…/@original; nil until then.
	Original *Message
	// Followups are messages posted with POST webhooks/{app}/{token}.
	Followups []Message
	// Payload is the INTERACTION_CREATE data sent to the app.
	Payload json.RawMessage
}

// Callback is one interaction response.
type Callback struct {
	Type int             `json:"type"` // 1 pong, 4 message, 5 deferred message, 6 deferred update, 7 update, 9 modal
	Data json.RawMessage `json:"data,omitempty"`
}

// CallbackData is the data of a message (type 4/7) or modal (type 9) response.
type CallbackData struct {
	Content         string           `json:"content"`
	Embeds          []Embed          `json:"embeds"`
	Components      []Component      `json:"components"`
	Flags           int              `json:"flags"`
	AllowedMentions *json.RawMessage `json:"allowed_mentions"`
	CustomID        string           `json:"custom_id"`
	Title           string           `json:"title"`
}

// Decode returns the callback's data.
func (c Callback) Decode() CallbackData {
	var d CallbackData
	_ = json.Unmarshal(c.Data, &d)
	return d
}

// Interaction returns the interaction with the id and what the app answered so far.
func (s *Server) Interaction(id string) (Interaction, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.interactions[id]
	if !ok {
		return Interaction{}, false
	}
	c := *in
	c.Callbacks = append([]Callback(nil), in.Callbacks...)
	c.Followups = append([]Message(nil), in.Followups...)
	return c, true
}

// Option is an application command option.
type Option struct {
	Name  string
	Value string
}

// ButtonInteraction builds (and registers) the INTERACTION_CREATE payload of userID pressing
// the button customID on message messageID in channelID. It returns the id and the JSON, for
// tests that post it to an HTTP interactions endpoint; PushButton dispatches it.
func (s *Server) ButtonInteraction(userID, channelID, messageID, customID string) (string, json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	data := map[string]any{"custom_id": customID, "component_type": 2}
	return s.newInteractionLocked(3, userID, channelID, messageID, data)
}

// ModalInteraction builds the payload of a modal submit: customID is the modal's, values maps
// each text input's custom_id to what was typed.
func (s *Server) ModalInteraction(userID, channelID, messageID, customID string, values map[string]string) (string, json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var rows []Component
	for k, v := range values {
		rows = append(rows, Component{Type: 1, Components: []Component{{Type: 4, CustomID: k, Value: v}}})
	}
	data := map[string]any{"custom_id": customID, "components": rows}
	return s.newInteractionLocked(5, userID, channelID, messageID, data)
}

// CommandInteraction builds the payload of an application command with string options.
func (s *Server) CommandInteraction(userID, channelID, name string, opts ...Option) (string, json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var os []map[string]any
	for _, o := range opts {
		os = append(os, map[string]any{"name": o.Name, "type": 3, "value": o.Value})
	}
	data := map[string]any{"id": s.newID(), "name": name, "type": 1, "options": os}
	return s.newInteractionLocked(2, userID, channelID, "", data)
}

// PingInteraction builds a PING (type 1) payload.
func (s *Server) PingInteraction() json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, raw := s.newInteractionLocked(1, "", "", "", nil)
	return raw
}

// PushButton dispatches a button press over the gateway and returns the interaction id.
func (s *Server) PushButton(userID, channelID, messageID, customID string) string {
	id, raw := s.ButtonInteraction(userID, channelID, messageID, customID)
	s.Dispatch("INTERACTION_CREATE", raw)
	return id
}

// PushModalSubmit dispatches a modal submit and returns the interaction id.
func (s *Server) PushModalSubmit(userID, channelID, messageID, customID string, values map[string]string) string {
	id, raw := s.ModalInteraction(userID, channelID, messageID, customID, values)
	s.Dispatch("INTERACTION_CREATE", raw)
	return id
}

// PushCommand dispatches an application command and returns the interaction id.
func (s *Server) PushCommand(userID, channelID, name string, opts ...Option) string {
	id, raw := s.CommandInteraction(userID, channelID, name, opts...)
	s.Dispatch("INTERACTION_CREATE", raw)
	return id
}

func (s *Server) newInteractionLocked(typ int, userID, channelID, messageID string, data any) (string, json.RawMessage) {
	id := s.newID()
	in := &Interaction{ID: id, Token: "itoken-" + id, Type: typ, ChannelID: channelID, MessageID: messageID}
	p := map[string]any{"id": id, "application_id": s.ApplicationID, "type": typ, "token": in.Token, "version": 1}
	if data != nil {
		p["data"] = data
	}
	if userID != "" {
		u := s.userLocked(userID)
		locale := u.Locale
		if locale == "" {
			locale = "en-US"
		}
		p["locale"] = locale
		p["channel_id"] = channelID
		c := s.channels[channelID]
		if c != nil && c.GuildID != "" {
			p["guild_id"] = c.GuildID
			p["member"] = map[string]any{"user": u, "roles": []string{}}
			p["guild_locale"] = "en-US"
			p["context"] = 0
		} else {
			p["user"] = u
			p["context"] = 1
		}
		if m, ok := s.messages[messageID]; ok {
			p["message"] = m
		}
	}
	raw, _ := json.Marshal(p)
	in.Payload = raw
	s.interactions[id] = in
	return id, raw
}

// interactionCallback serves POST /interactions/{id}/{token}/callback. Callers hold s.mu.
func (s *Server) interactionCallback(id, token string, raw []byte) reply {
	in, found := s.interactions[id]
	if !found || in.Token != token {
		return fail(http.StatusNotFound, 10062, "Unknown interaction")
	}
	var cb Callback
	if err := json.Unmarshal(raw, &cb); err != nil || cb.Type == 0 {
		return fail(http.StatusBadRequest, 50035, "Invalid Form Body")
	}
	if len(in.Callbacks) > 0 {
		return fail(http.StatusBadRequest, 40060, "Interaction has already been acknowledged.")
	}
	if e := s.checkCallback(cb); e != nil {
		return reply{http.StatusBadRequest, *e}
	}
	in.Callbacks = append(in.Callbacks, cb)
	if cb.Type == 4 {
		d := cb.Decode()
		in.Original = &Message{ID: s.newID(), ChannelID: in.ChannelID, Author: s.userLocked(s.BotUserID),
			Content: d.Content, Embeds: d.Embeds, Components: d.Components, Flags: d.Flags, Timestamp: s.now().UTC()}
	}
	if cb.Type == 7 && in.MessageID != "" {
		if m, ok := s.messages[in.MessageID]; ok {
			var b messageBody
			_ = json.Unmarshal(cb.Data, &b)
			b.apply(m)
			m.Edits++
		}
	}
	return reply{status: http.StatusNoContent}
}

// RecordCallback records a response the app gave in an HTTP interactions endpoint's body, so
// follow-ups through REST find the interaction acknowledged as on Discord.
func (s *Server) RecordCallback(id string, raw []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in, ok := s.interactions[id]; ok {
		s.interactionCallback(id, in.Token, raw)
	}
}

func (s *Server) checkCallback(cb Callback) *apiError {
	if len(cb.Data) == 0 {
		return nil
	}
	var b messageBody
	if err := json.Unmarshal(cb.Data, &b); err != nil {
		e := apiError{Code: 50035, Message: "Invalid Form Body"}
		return &e
	}
	if cb.Type == 9 {
		return nil
	}
	return b.validate(false)
}

// webhook serves the interaction webhook routes: PATCH …/messages/@original and POST (a
// follow-up). Callers hold s.mu.
func (s *Server) webhook(method string, p []string, raw []byte) reply {
	var in *Interaction
	for _, i := range s.interactions {
		if i.Token == p[1] {
			in = i
		}
	}
	if p[0] != s.ApplicationID || in == nil {
		return fail(http.StatusNotFound, 10015, "Unknown Webhook")
	}
	if len(in.Callbacks) == 0 {
		return fail(http.StatusNotFound, 10015, "Unknown Webhook")
	}
	var b messageBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return fail(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
	}
	if e := b.validate(method == "POST"); e != nil {
		return reply{http.StatusBadRequest, *e}
	}
	switch {
	case method == "PATCH" && len(p) == 4 && p[2] == "messages" && p[3] == "@original":
		if in.Original == nil {
			in.Original = &Message{ID: s.newID(), ChannelID: in.ChannelID, Author: s.userLocked(s.BotUserID),
				Timestamp: s.now().UTC()}
		}
		b.apply(in.Original)
		in.Original.Edits++
		return ok(in.Original)
	case method == "POST" && len(p) == 2:
		m := Message{ID: s.newID(), ChannelID: in.ChannelID, Author: s.userLocked(s.BotUserID), Timestamp: s.now().UTC()}
		b.apply(&m)
		in.Followups = append(in.Followups, m)
		return ok(m)
	}
	return fail(http.StatusNotFound, 0, "404: Not Found")
}
