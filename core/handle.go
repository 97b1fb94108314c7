package core

import (
	"context"
	"fmt"
	"time"
)

// Handle turns one inbound event into its effects, committed together with the event's
// deduplication: a redelivered event has none. Domain refusals (a stranger's /ack, a bad
// score) become replies to the sender and are not errors; Handle returns an error only for
// a malformed Incoming (EINVALID) or an internal failure, in which case nothing was
// committed and the platform may redeliver the event.
func (s *Service) Handle(ctx context.Context, in Incoming) (Response, error) {
	if in.EventID == "" || in.From.IsZero() || !in.Platform.Known() {
		return Response{}, Errorf(EINVALID, "incoming event without platform, event id or sender")
	}
	if len(in.Action) > MaxPayload {
		return Response{}, Errorf(EINVALID, "button payload longer than %d bytes", MaxPayload)
	}
	in.Text = cleanText(in.Text)
	in.Name = excerpt(cleanText(in.Name), 80)
	now := s.clock.Now()
	start := time.Now() // real time, for the metric: the clock may be simulated
	if in.At.IsZero() {
		in.At = now
	}
	var resp Response
	var erased bool
	err := s.update(ctx, func(tx Tx) error {
		resp = Response{}
		fresh, err := tx.MarkInbound(in.Platform, in.EventID, now)
		if err != nil {
			return err
		}
		if !fresh {
			resp.Duplicate = true
			return nil
		}
		c := &conv{s: s, tx: inboundTx(tx, in), in: in, now: now, resp: &resp}
		if err := c.dispatch(); err != nil {
			return err
		}
		erased = c.erased
		return nil
	})
	s.obs.Inbound(in.Platform, resp.Duplicate, err != nil, time.Since(start))
	if err != nil {
		return Response{}, fmt.Errorf("core: handle %s event %s: %w", in.Platform, in.EventID, err)
	}
	if erased {
		s.tryCompact(ctx, "/forget")
	}
	return resp, nil
}

// conv is one inbound event being handled inside its transaction.
type conv struct {
	s      *Service
	tx     Tx
	in     Incoming
	now    time.Time
	resp   *Response
	member *Member
	erased bool
	// lang is the sender's language: what this event's replies and notices are written in.
	lang Lang
}

func (c *conv) dispatch() error {
	c.lang = c.s.texts.Default()
	if m, ok := c.s.set.Team.MemberFor(c.in.From); ok {
		c.member = &m
		c.lang = c.s.memberLang(m)
	}
	var contact *Contact
	if c.in.Direct {
		ct, err := c.s.touchContact(c.tx, c.in, c.now)
		if err != nil {
			return err
		}
		contact = &ct
		if c.member == nil {
			c.lang = c.s.languageOf(ct)
		}
	} else if c.member == nil {
		if l, ok := c.s.texts.Match(c.in.Locale); ok {
			c.lang = l
		}
	}
	if c.in.Action != "" {
		a, ok := parseAction(c.in.Action)
		if !ok {
			c.noticeT(KeyButtonInvalid, nil)
			return nil
		}
		return c.action(a, contact)
	}
	if cmd, ok := ParseCommand(c.in.Text, c.in.Direct); ok {
		return c.command(cmd, contact)
	}
	if !c.in.Direct {
		if c.in.ThreadID != "" && c.member != nil {
			return c.teamThreadMessage()
		}
		return nil // chatter in a group is not for us
	}
	if c.in.Text == "" {
		return nil // a sticker, a photo without caption: nothing to read
	}
	return c.customerText(contact)
}

// reply answers the sender where they wrote: inline when the adapter asked for it, else in
// the same group, else in their DM.
func (c *conv) reply(m Message) error {
	if c.in.Inline {
		c.resp.Replies = append(c.resp.Replies, m)
		return nil
	}
	o := Outgoing{To: c.in.Chat, Message: m}
	if c.in.Direct {
		o.To, o.DM = ChatRef(c.in.From), true
	}
	if c.in.Direct && c.member == nil {
		// A DM to a customer carries their contact id, so that erasing them finds it. A
		// member's (a /complaints list) stays about no one customer: an erase scans those
		// for quotes, and finds them by address.
		ct, err := c.tx.ContactByRef(c.in.From)
		if err != nil && !IsNotFound(err) {
			return err
		}
		o.ContactID = ct.ID
	}
	_, err := c.tx.Enqueue(o, c.now)
	return err
}

// say replies with plain text.
func (c *conv) say(format string, args ...any) error {
	return c.reply(Message{Text: fmt.Sprintf(format, args...)})
}

// t renders key in the sender's language.
func (c *conv) t(key Key, args Args) string { return c.s.texts.Text(c.lang, key, args) }

// sayT replies with the text of key in the sender's language.
func (c *conv) sayT(key Key, args Args) error { return c.reply(Message{Text: c.t(key, args)}) }

// notice answers a button press briefly; for typed commands it is a reply.
func (c *conv) notice(text string) {
	if c.in.Action != "" {
		c.resp.Notice = text
		return
	}
	_ = c.say("%s", text)
}

// noticeT is notice with the text of key in the sender's language.
func (c *conv) noticeT(key Key, args Args) { c.notice(c.t(key, args)) }

// refuse answers a domain error: as a notice for buttons, a reply for commands.
func (c *conv) refuse(err error) error {
	if ErrorCode(err) == EINTERNAL {
		return err
	}
	if c.in.Action != "" {
		c.resp.Notice = ErrorMessage(err)
		return nil
	}
	return c.say("%s", ErrorMessage(err))
}

// seenResolution is how stale a contact's SeenAt may get before a message updates it:
// it only tells whether and roughly when they last wrote, so a survey's answers need not
// rewrite the contact each time.
const seenResolution = time.Hour

// touchContact finds or creates the sender's contact and records what the platform told.
func (s *Service) touchContact(tx Tx, in Incoming, now time.Time) (Contact, error) {
	ref := in.From
	ct, err := tx.ContactByRef(ref)
	switch {
	case IsNotFound(err):
		ct = Contact{Ref: ref, Name: in.Name, Locale: in.Locale, TimeZone: in.TimeZone,
			SeenAt: now, CreatedAt: now}
		if err := tx.CreateContact(&ct); err != nil {
			return Contact{}, fmt.Errorf("create contact: %w", err)
		}
		return ct, nil
	case err != nil:
		return Contact{}, fmt.Errorf("find contact: %w", err)
	}
	changed := now.Sub(ct.SeenAt) > seenResolution || ct.Unreachable != ""
	for _, f := range []struct {
		dst *string
		v   string
	}{{&ct.Name, in.Name}, {&ct.Locale, in.Locale}, {&ct.TimeZone, in.TimeZone}} {
		if f.v != "" && *f.dst != f.v {
			*f.dst, changed = f.v, true
		}
	}
	if !changed {
		return ct, nil // the hot path of a survey: no write
	}
	ct.SeenAt = now
	// A message from them proves they can be reached again (they unblocked the bot).
	ct.Unreachable = ""
	if err := tx.UpdateContact(ct); err != nil {
		return Contact{}, fmt.Errorf("update contact: %w", err)
	}
	return ct, nil
}
