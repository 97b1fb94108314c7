package fakediscord

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Identify is a recorded IDENTIFY (op 2).
type Identify struct {
	Intents int
}

// Resume is a recorded RESUME (op 6).
type Resume struct {
	SessionID string
	Seq       int64
}

// gatewayState is the gateway session; every field is guarded by Server.mu.
type gatewayState struct {
	sessionID  string
	seq        int64
	log        []event
	conn       *gwConn // the connection that identified or resumed; nil while dropped
	identifies []Identify
	resumes    []Resume
	heartbeats int
	all        []*gwConn
}

type event struct {
	seq int64
	t   string
	d   json.RawMessage
}

type gwConn struct {
	ws      *websocket.Conn
	wmu     sync.Mutex
	sent    int64 // last sequence written
	resumed bool  // write RESUMED after the first replay
	notify  chan struct{}
	done    chan struct{}
	once    sync.Once
}

func (c *gwConn) close() {
	c.once.Do(func() {
		close(c.done)
		_ = c.ws.NetConn().Close()
	})
}

func (c *gwConn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteJSON(v)
}

// dispatchLocked appends an event to the session and wakes the connection's writer.
func (g *gatewayState) dispatchLocked(t string, d any) {
	raw, err := json.Marshal(d)
	if err != nil {
		return
	}
	g.seq++
	g.log = append(g.log, event{seq: g.seq, t: t, d: raw})
	if g.conn != nil {
		select {
		case g.conn.notify <- struct{}{}:
		default:
		}
	}
}

// closeGateway closes every gateway connection.
func (s *Server) closeGateway() {
	s.mu.Lock()
	conns := s.gw.all
	s.gw.all = nil
	s.gw.conn = nil
	s.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
}

// Dispatch sends an event with the next sequence number (queued for replay while dropped).
func (s *Server) Dispatch(eventType string, data any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gw.dispatchLocked(eventType, data)
}

// DropGateway cuts the gateway socket without a close frame, as a network failure would.
// Events dispatched until the client resumes are replayed after its RESUME.
func (s *Server) DropGateway() {
	s.mu.Lock()
	c := s.gw.conn
	s.gw.conn = nil
	s.mu.Unlock()
	if c != nil {
		c.close()
	}
}

// RequestReconnect sends op 7 (Reconnect), as Discord does before it restarts a gateway
// node: the client closes the socket and resumes on a new one.
func (s *Server) RequestReconnect() error {
	s.mu.Lock()
	c := s.gw.conn
	s.mu.Unlock()
	if c == nil {
		return errors.New("fakediscord: no gateway client")
	}
	return c.write(frame{Op: 7})
}

// InvalidateSession drops the socket and forgets the session, as Discord does after an
// outage: the client's RESUME gets op 9 (invalid session) and it must IDENTIFY again. Events
// of the old session are not replayed.
func (s *Server) InvalidateSession() {
	s.mu.Lock()
	s.gw.sessionID = "expired-" + s.newID()
	s.mu.Unlock()
	s.DropGateway()
}

// WaitReady waits until a client has identified (or resumed) and has been sent every event.
func (s *Server) WaitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		ready := s.gw.conn != nil && s.gw.conn.sent == s.gw.seq
		s.mu.Unlock()
		if ready {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return errors.New("fakediscord: no gateway client ready")
}

// Identifies returns the IDENTIFY payloads received.
func (s *Server) Identifies() []Identify {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Identify(nil), s.gw.identifies...)
}

// Resumes returns the RESUME payloads received.
func (s *Server) Resumes() []Resume {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Resume(nil), s.gw.resumes...)
}

// Heartbeats counts the heartbeats (op 1) received.
func (s *Server) Heartbeats() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gw.heartbeats
}

// SessionID is the current gateway session's id.
func (s *Server) SessionID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gw.sessionID
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d,omitempty"`
	S  *int64          `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws, notify: make(chan struct{}, 1), done: make(chan struct{})}
	defer c.close()
	s.mu.Lock()
	s.gw.all = append(s.gw.all, c)
	s.mu.Unlock()
	hello, _ := json.Marshal(map[string]int{"heartbeat_interval": s.HeartbeatInterval})
	if c.write(frame{Op: 10, D: hello}) != nil {
		return
	}
	_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for attempt := 0; ; attempt++ {
		var first frame
		if ws.ReadJSON(&first) != nil {
			return
		}
		res := s.startSession(c, first)
		if res == sessionStarted {
			break
		}
		if res == sessionRefused || attempt > 0 {
			return
		}
		// sessionInvalid: op 9 was sent; the client may IDENTIFY on this connection.
	}
	_ = ws.SetReadDeadline(time.Time{})
	go s.writeEvents(c)
	for {
		var f frame
		if err := ws.ReadJSON(&f); err != nil {
			s.mu.Lock()
			if s.gw.conn == c {
				s.gw.conn = nil
			}
			s.mu.Unlock()
			return
		}
		if f.Op == 1 {
			s.mu.Lock()
			s.gw.heartbeats++
			s.mu.Unlock()
			if c.write(frame{Op: 11}) != nil {
				return
			}
		}
	}
}

type sessionResult int

const (
	sessionStarted sessionResult = iota
	sessionInvalid               // a RESUME of an unknown session: op 9 sent
	sessionRefused               // close the connection
)

// startSession handles IDENTIFY or RESUME.
func (s *Server) startSession(c *gwConn, f frame) sessionResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch f.Op {
	case 2:
		var id struct {
			Token   string `json:"token"`
			Intents int    `json:"intents"`
		}
		if json.Unmarshal(f.D, &id) != nil || strings.TrimPrefix(id.Token, "Bot ") != s.Token {
			_ = c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."))
			return sessionRefused
		}
		s.gw.identifies = append(s.gw.identifies, Identify{Intents: id.Intents})
		s.gw.sessionID = "session-" + s.newID()
		s.gw.seq = 0
		s.gw.log = nil
		s.gw.conn = c
		s.gw.dispatchLocked("READY", map[string]any{
			"v": 10, "session_id": s.gw.sessionID, "resume_gateway_url": s.GatewayURL(),
			"user": s.userLocked(s.BotUserID), "guilds": []any{},
			"application": map[string]any{"id": s.ApplicationID, "flags": 0},
		})
		return sessionStarted
	case 6:
		var rs struct {
			Token     string `json:"token"`
			SessionID string `json:"session_id"`
			Seq       int64  `json:"seq"`
		}
		if json.Unmarshal(f.D, &rs) != nil {
			return sessionRefused
		}
		s.gw.resumes = append(s.gw.resumes, Resume{SessionID: rs.SessionID, Seq: rs.Seq})
		if strings.TrimPrefix(rs.Token, "Bot ") != s.Token || rs.SessionID != s.gw.sessionID || rs.Seq > s.gw.seq {
			_ = c.write(frame{Op: 9, D: json.RawMessage("false")})
			return sessionInvalid
		}
		c.sent = rs.Seq
		c.resumed = true
		s.gw.conn = c
		select {
		case c.notify <- struct{}{}:
		default:
		}
		return sessionStarted
	}
	return sessionRefused
}

// writeEvents sends the session's events past c.sent, in order, whenever woken.
func (s *Server) writeEvents(c *gwConn) {
	wake := func() bool {
		select {
		case <-c.notify:
			return true
		case <-c.done:
			return false
		}
	}
	first := true
	for first || wake() {
		first = false
		for {
			s.mu.Lock()
			var next *event
			for i := range s.gw.log {
				if s.gw.log[i].seq > c.sent {
					next = &s.gw.log[i]
					break
				}
			}
			var ev event
			if next != nil {
				ev = *next
			}
			s.mu.Unlock()
			if next == nil {
				break
			}
			seq := ev.seq
			if c.write(frame{Op: 0, T: ev.t, S: &seq, D: ev.d}) != nil {
				return
			}
			s.mu.Lock()
			c.sent = ev.seq
			s.mu.Unlock()
		}
		if c.resumed {
			c.resumed = false
			s.mu.Lock()
			seq := s.gw.seq
			s.mu.Unlock()
			if c.write(frame{Op: 0, T: "RESUMED", S: &seq, D: json.RawMessage("{}")}) != nil {
				return
			}
		}
	}
}
