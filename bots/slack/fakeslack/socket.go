package fakeslack

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Ack is a Socket Mode acknowledgement as the fake received it.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage // the response payload, if any
	// Latency is the time from the envelope's (last) sending to its acknowledgement.
	Latency time.Duration
}

type envelope struct {
	ID      string
	Type    string
	Payload json.RawMessage
	Accepts bool
	Attempt int
	SentAt  time.Time
}

type wsConn struct {
	c   *websocket.Conn
	wmu sync.Mutex
}

func (w *wsConn) write(v any) error {
	w.wmu.Lock()
	defer w.wmu.Unlock()
	_ = w.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return w.c.WriteJSON(v)
}

type socketState struct {
	conns     []*wsConn // newest last
	connects  int
	queue     []string // envelope ids waiting for a connection
	envelopes map[string]*envelope
	acks      map[string][]Ack
	closed    bool
}

func (st *socketState) init() {
	st.envelopes = map[string]*envelope{}
	st.acks = map[string][]Ack{}
}

func (s *Server) socketURLLocked() string {
	return "ws" + strings.TrimPrefix(s.srv.URL, "http") + fmt.Sprintf("/link/?ticket=t%d", s.nextLocked())
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	conn := &wsConn{c: c}
	s.mu.Lock()
	if s.sock.closed {
		s.mu.Unlock()
		_ = c.Close()
		return
	}
	s.sock.connects++
	s.sock.conns = append(s.sock.conns, conn)
	queued := s.sock.queue
	s.sock.queue = nil
	s.mu.Unlock()

	_ = conn.write(map[string]any{"type": "hello", "num_connections": 1,
		"debug_info":      map[string]any{"host": "fakeslack", "approximate_connection_time": 3600},
		"connection_info": map[string]any{"app_id": s.opts.AppID}})
	for _, id := range queued {
		s.sendEnvelope(id)
	}
	done := make(chan struct{})
	go s.pingLoop(conn, done)
	defer func() {
		close(done)
		_ = c.Close()
		s.mu.Lock()
		for i, x := range s.sock.conns {
			if x == conn {
				s.sock.conns = append(s.sock.conns[:i], s.sock.conns[i+1:]...)
				break
			}
		}
		s.mu.Unlock()
	}()
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			return
		}
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(data, &ack) != nil || ack.EnvelopeID == "" {
			continue
		}
		s.mu.Lock()
		a := Ack{EnvelopeID: ack.EnvelopeID, Payload: ack.Payload}
		if e, ok := s.sock.envelopes[ack.EnvelopeID]; ok {
			a.Latency = time.Since(e.SentAt)
		}
		s.sock.acks[ack.EnvelopeID] = append(s.sock.acks[ack.EnvelopeID], a)
		s.mu.Unlock()
	}
}

func (s *Server) pingLoop(conn *wsConn, done chan struct{}) {
	t := time.NewTicker(s.opts.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			conn.wmu.Lock()
			err := conn.c.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(time.Second))
			conn.wmu.Unlock()
			if err != nil {
				return
			}
		}
	}
}

func (s *Server) closeSockets() {
	s.mu.Lock()
	s.sock.closed = true
	conns := append([]*wsConn(nil), s.sock.conns...)
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.c.Close()
	}
}

// sendEnvelope writes the envelope to the newest connection, or queues it until one opens.
func (s *Server) sendEnvelope(id string) {
	s.mu.Lock()
	e := s.sock.envelopes[id]
	if len(s.sock.conns) == 0 {
		s.sock.queue = append(s.sock.queue, id)
		s.mu.Unlock()
		return
	}
	conn := s.sock.conns[len(s.sock.conns)-1]
	e.SentAt = time.Now()
	msg := map[string]any{"envelope_id": e.ID, "type": e.Type, "payload": e.Payload,
		"accepts_response_payload": e.Accepts, "retry_attempt": e.Attempt}
	if e.Attempt > 0 {
		msg["retry_reason"] = "timeout"
	}
	s.mu.Unlock()
	if err := conn.write(msg); err != nil {
		s.mu.Lock()
		s.sock.queue = append(s.sock.queue, id)
		s.mu.Unlock()
	}
}

// Send delivers in as a Socket Mode envelope (queued until a client connects) and returns
// the envelope id.
func (s *Server) Send(in Inbound) string {
	s.mu.Lock()
	id := fmt.Sprintf("env-%d", s.nextLocked())
	s.sock.envelopes[id] = &envelope{ID: id, Type: in.Kind, Payload: in.Payload,
		Accepts: in.Kind != KindEvents}
	s.mu.Unlock()
	s.sendEnvelope(id)
	return id
}

// Redeliver sends an envelope again, as Slack does when it was not acknowledged in time:
// same envelope id and payload, retry_attempt counting up.
func (s *Server) Redeliver(envelopeID string) error {
	s.mu.Lock()
	e, ok := s.sock.envelopes[envelopeID]
	if ok {
		e.Attempt++
	}
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("fakeslack: no envelope %q", envelopeID)
	}
	s.sendEnvelope(envelopeID)
	return nil
}

// RedeliverUnacked sends again every envelope that has no acknowledgement yet, as Slack does
// on a fresh connection, and returns their ids.
func (s *Server) RedeliverUnacked() []string {
	s.mu.Lock()
	var ids []string
	for id, e := range s.sock.envelopes {
		if len(s.sock.acks[id]) == 0 {
			e.Attempt++
			ids = append(ids, id)
		}
	}
	s.mu.Unlock()
	slices.Sort(ids)
	for _, id := range ids {
		s.sendEnvelope(id)
	}
	return ids
}

// Disconnect asks every connected client to reconnect, as Slack does before it recycles a
// connection.
func (s *Server) Disconnect() {
	s.mu.Lock()
	conns := append([]*wsConn(nil), s.sock.conns...)
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.write(map[string]any{"type": "disconnect", "reason": "refresh_requested",
			"debug_info": map[string]any{"host": "fakeslack"}})
	}
}

// Connects counts Socket Mode connections opened so far.
func (s *Server) Connects() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sock.connects
}

// Connected reports whether a Socket Mode client is connected now.
func (s *Server) Connected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sock.conns) > 0
}

// Acks returns the acknowledgements received for an envelope.
func (s *Server) Acks(envelopeID string) []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ack(nil), s.sock.acks[envelopeID]...)
}

// WaitAck waits up to timeout for the envelope's first acknowledgement.
func (s *Server) WaitAck(envelopeID string, timeout time.Duration) (Ack, bool) {
	var a Ack
	ok := s.WaitFor(timeout, func() bool {
		acks := s.Acks(envelopeID)
		if len(acks) > 0 {
			a = acks[0]
			return true
		}
		return false
	})
	return a, ok
}
