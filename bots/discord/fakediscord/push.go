package fakediscord

import "fmt"

// PushDM has userID send text to the bot in their DM channel (created if needed), dispatches
// MESSAGE_CREATE and returns the message id.
func (s *Server) PushDM(userID, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.dmChannelLocked(userID)
	return s.pushLocked(ch, userID, text, nil)
}

// PushDMFile has userID send text with an attached file to the bot and returns the
// message id.
func (s *Server) PushDMFile(userID, text, filename string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.dmChannelLocked(userID)
	return s.pushLocked(ch, userID, text, nil, func(m *Message) {
		m.Attachments = []Attachment{{ID: s.newID(), Filename: filename,
			URL: "https://cdn.discordapp.com/attachments/" + ch + "/" + m.ID + "/" + filename}}
	})
}

// PushMessage has userID post text in a guild channel or thread, dispatches MESSAGE_CREATE
// and returns the message id.
func (s *Server) PushMessage(channelID, userID, text string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.channels[channelID]; !ok {
		return "", fmt.Errorf("fakediscord: no channel %s", channelID)
	}
	return s.pushLocked(channelID, userID, text, nil), nil
}

// PushReply has userID reply to message replyTo in its channel.
func (s *Server) PushReply(channelID, userID, replyTo, text string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.messages[replyTo]; !ok || m.ChannelID != channelID {
		return "", fmt.Errorf("fakediscord: no message %s in %s", replyTo, channelID)
	}
	return s.pushLocked(channelID, userID, text, &MessageRef{MessageID: replyTo, ChannelID: channelID}), nil
}

func (s *Server) pushLocked(channelID, userID, text string, ref *MessageRef, edit ...func(*Message)) string {
	c := s.channels[channelID]
	m := &Message{ID: s.newID(), ChannelID: channelID, GuildID: c.GuildID, Author: s.userLocked(userID),
		Content: text, Timestamp: s.now().UTC(), Reference: ref}
	if ref != nil {
		r := s.messages[ref.MessageID].clone()
		m.Referenced = &r
	}
	for _, f := range edit {
		f(m)
	}
	s.storeLocked(m)
	s.gw.dispatchLocked("MESSAGE_CREATE", m)
	return m.ID
}
