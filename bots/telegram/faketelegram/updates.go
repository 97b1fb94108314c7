package faketelegram

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Post is a message a user sends.
type Post struct {
	From User
	// ChatID is where: 0 for the private chat with the bot (whose id is From.ID), or a group.
	ChatID int64
	Text   string
	// ReplyTo is the id of the message in that chat this one replies to; 0 for none.
	ReplyTo int
	// Media, when set ("photo", "sticker", "voice" or "document"), makes this a message
	// carrying that, with Text as its caption.
	Media string
}

// AddGroup creates a group chat (a supergroup when id is below -10^12).
func (s *Server) AddGroup(id int64, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(id).wire.Title = title
}

// StartUser marks u as having opened the bot, without an update (as if long ago).
func (s *Server) StartUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.started[u.ID] = true
	s.privateChatLocked(u)
}

func (s *Server) privateChatLocked(u User) *chat {
	c := s.chatLocked(u.ID)
	c.wire.FirstName, c.wire.LastName, c.wire.Username = u.FirstName, u.LastName, u.Username
	return c
}

func (u User) wire() wireUser {
	return wireUser{ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Username: u.Username, LanguageCode: u.LanguageCode}
}

// Send pushes a message from a user as an update and returns its update_id. A message in the
// private chat marks the user as having opened the bot; a text starting with "/" carries a
// bot_command entity, as Telegram's clients make it.
func (s *Server) Send(p Post) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var c *chat
	if p.ChatID == 0 || p.ChatID == p.From.ID {
		c = s.privateChatLocked(p.From)
		s.started[p.From.ID] = true
	} else {
		c = s.chatLocked(p.ChatID)
	}
	c.nextID++
	m := &message{id: c.nextID, from: p.From.wire(), text: p.Text, replyTo: p.ReplyTo, date: time.Now().Unix(), media: p.Media}
	c.messages = append(c.messages, m)
	return s.pushLocked(wireUpdate{Message: s.wireMessageLocked(c, m)})
}

// Press pushes a callback query: from pressed the button with data under message messageID
// in chat. It returns the update_id and the callback query id.
func (s *Server) Press(from User, chatID int64, messageID int, data string) (int64, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	s.nextQuery++
	qid := "q" + strconv.Itoa(s.nextQuery)
	s.queries[qid] = &query{}
	cb := &wireCallback{ID: qid, From: from.wire(), ChatInstance: "ci" + strconv.FormatInt(chatID, 10), Data: data}
	if m := c.find(messageID); m != nil {
		cb.Message = s.wireMessageLocked(c, m)
	} else {
		// An inaccessible message: date 0.
		cb.Message = &wireMessage{MessageID: messageID, Chat: c.wire}
	}
	return s.pushLocked(wireUpdate{CallbackQuery: cb}), qid
}

// PressButton presses the button labelled label on the newest bot message in chat that has
// one, as a person would. It fails when no message in the chat shows that button.
func (s *Server) PressButton(from User, chatID int64, label string) (updateID int64, queryID string, err error) {
	if chatID == 0 {
		chatID = from.ID
	}
	s.mu.Lock()
	c := s.chats[chatID]
	var msgID int
	var data string
	if c != nil {
	search:
		for i := len(c.messages) - 1; i >= 0; i-- {
			for _, row := range c.messages[i].keyboard {
				for _, b := range row {
					if b.Text == label && b.Data != "" {
						msgID, data = c.messages[i].id, b.Data
						break search
					}
				}
			}
		}
	}
	s.mu.Unlock()
	if data == "" {
		return 0, "", fmt.Errorf("faketelegram: no button %q in chat %d", label, chatID)
	}
	u, q := s.Press(from, chatID, msgID, data)
	return u, q, nil
}

// Redeliver makes Telegram send updates again that were already confirmed (as it may after
// its own failures): they are served again to a webhook, or to getUpdates calls whose
// offset does not exclude them (a poller that restarts from offset 0).
func (s *Server) Redeliver(updateIDs ...int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range updateIDs {
		u, ok := s.history[id]
		if !ok {
			continue
		}
		if !s.isPendingLocked(id) {
			s.pending = append(s.pending, u)
		}
		if s.confirmed > id {
			s.confirmed = id
		}
	}
	sort.Slice(s.pending, func(i, j int) bool { return s.pending[i].UpdateID < s.pending[j].UpdateID })
	s.notifyLocked()
}

func (s *Server) isPendingLocked(id int64) bool {
	for _, u := range s.pending {
		if u.UpdateID == id {
			return true
		}
	}
	return false
}

func (s *Server) pushLocked(u wireUpdate) int64 {
	s.nextUpdate++
	u.UpdateID = s.nextUpdate
	s.pending = append(s.pending, u)
	s.history[u.UpdateID] = u
	s.notifyLocked()
	return u.UpdateID
}

// confirmLocked forgets every update below offset.
func (s *Server) confirmLocked(offset int64) {
	if offset <= s.confirmed {
		return
	}
	s.confirmed = offset
	keep := s.pending[:0]
	for _, u := range s.pending {
		if u.UpdateID >= offset {
			keep = append(keep, u)
		}
	}
	s.pending = keep
	s.notifyLocked()
}

func (s *Server) getUpdates(r *http.Request, p map[string]string) (any, *apiError) {
	offset, _ := strconv.ParseInt(p["offset"], 10, 64)
	limit, _ := strconv.Atoi(p["limit"])
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(p["timeout"])
	deadline := time.Now().Add(time.Duration(timeout) * time.Second)
	// The offset confirms once, when the call arrives; a long poll that wakes later (say
	// after a Redeliver, its client long gone) must not confirm again.
	for first := true; ; first = false {
		s.mu.Lock()
		if s.hookURL != "" {
			s.mu.Unlock()
			return nil, &apiError{code: http.StatusConflict, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
		}
		if first && offset > 0 {
			s.confirmLocked(offset)
		}
		out := []wireUpdate{}
		for _, u := range s.pending {
			if u.UpdateID >= offset && len(out) < limit {
				out = append(out, u)
			}
		}
		changed, closed := s.changed, s.closed
		s.mu.Unlock()
		if len(out) > 0 || closed || !time.Now().Before(deadline) {
			return out, nil
		}
		t := time.NewTimer(time.Until(deadline))
		select {
		case <-changed:
		case <-t.C:
		case <-r.Context().Done():
		}
		t.Stop()
		if r.Context().Err() != nil {
			return []wireUpdate{}, nil
		}
	}
}

func (s *Server) setWebhook(p map[string]string) (any, *apiError) {
	url := p["url"]
	if url != "" && !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://127.0.0.1") {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hookURL, s.hookSecret = url, p["secret_token"]
	s.hookGen++
	if p["drop_pending_updates"] == "true" {
		s.pending = nil
	}
	if url != "" {
		go s.deliverWebhook(s.hookGen, url, s.hookSecret)
	}
	s.notifyLocked()
	return true, nil
}

func (s *Server) deleteWebhook(p map[string]string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hookURL, s.hookSecret = "", ""
	s.hookGen++
	if p["drop_pending_updates"] == "true" {
		s.pending = nil
	}
	s.notifyLocked()
	return true, nil
}

// deliverWebhook POSTs pending updates, oldest first, until each is answered 2xx; it stops
// when the webhook changes or the server closes.
func (s *Server) deliverWebhook(gen int, url, secret string) {
	client := &http.Client{Timeout: 10 * time.Second}
	backoff := 10 * time.Millisecond
	for {
		s.mu.Lock()
		if s.hookGen != gen || s.closed {
			s.mu.Unlock()
			return
		}
		var next *wireUpdate
		if len(s.pending) > 0 {
			u := s.pending[0]
			next = &u
		}
		changed := s.changed
		s.mu.Unlock()
		if next == nil {
			<-changed
			continue
		}
		body, _ := json.Marshal(next)
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := client.Do(req)
		ok := err == nil && resp.StatusCode/100 == 2
		if resp != nil {
			resp.Body.Close()
		}
		s.mu.Lock()
		s.hookHits++
		if ok && s.hookGen == gen {
			s.confirmLocked(next.UpdateID + 1)
			backoff = 10 * time.Millisecond
		}
		s.notifyLocked()
		s.mu.Unlock()
		if !ok {
			time.Sleep(backoff)
			backoff = min(2*backoff, 500*time.Millisecond)
		}
	}
}
