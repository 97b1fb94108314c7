package core

import (
	"fmt"
	"time"
)

// teamChannel returns where complaint cards go, following a chat that moved (a Telegram
// group that became a supergroup). ok is false when none is configured or its platform is
// disabled.
func (s *Service) teamChannel(tx Tx) (ChatRef, bool) {
	ch := s.set.Team.Channel
	if ch.IsZero() || !s.deliverable(ch.Platform) {
		return ChatRef{}, false
	}
	for range 3 { // a group moves once; the bound only guards against a loop
		moved, err := tx.State("chat_moved:" + ch.String())
		if err != nil {
			break
		}
		to, err := ParseChatRef(moved)
		if err != nil {
			break
		}
		ch = to
	}
	return ch, true
}

func (s *Service) deliverable(p Platform) bool {
	if p == Console {
		_, ok := s.messengers[Console]
		return ok
	}
	return s.set.Enabled(p)
}

// cardMessage renders the team card of a complaint as it is at now: each deadline with the
// counted time left.
func (s *Service) cardMessage(cp Complaint, ct Contact, now time.Time) Message {
	loc := s.set.Business.Location
	due := func(t time.Time) string { return s.dueLeft(t, now) }
	m := Message{
		Title: fmt.Sprintf("Complaint %s · %s", cp.Ref(), cp.Status),
		Text:  cp.Text,
		Fields: []Field{
			{Label: "Customer", Value: customerName(ct) + " (" + ct.Ref.String() + ")", Short: true},
			{Label: "Platform", Value: string(ct.Ref.Platform), Short: true},
			{Label: "Opened", Value: stamp(cp.OpenedAt, loc), Short: true},
		},
	}
	switch {
	case cp.Status == StatusOpen && cp.AckAt.IsZero():
		m.Fields = append(m.Fields, Field{Label: "Acknowledge by", Value: due(cp.AckDue), Short: true})
	case cp.AckBy != "":
		m.Fields = append(m.Fields, Field{Label: "Owner", Value: fmt.Sprintf("%s (acknowledged %s)", cp.AckBy,
			stamp(cp.AckAt, loc)), Short: true})
	}
	switch {
	case (cp.Status == StatusOpen || cp.Status == StatusAcknowledged) && !cp.WaitingAt.IsZero():
		m.Fields = append(m.Fields, Field{Label: "Waiting for the customer", Value: fmt.Sprintf(
			"since %s; the resolve clock is paused with %s left", stamp(cp.WaitingAt, loc), HumanDuration(cp.ResolveLeft))})
	case cp.Status == StatusOpen || cp.Status == StatusAcknowledged:
		m.Fields = append(m.Fields, Field{Label: "Resolve by", Value: due(cp.ResolveDue), Short: true})
	}
	if cp.Reopened > 0 {
		m.Fields = append(m.Fields, Field{Label: "Reopened", Value: plural(cp.Reopened, "time", "times"), Short: true})
	}
	switch cp.Status {
	case StatusResolved:
		m.Fields = append(m.Fields, Field{Label: "Resolved", Value: fmt.Sprintf("by %s %s: %s — waiting for the customer",
			cp.ResolvedBy, stamp(cp.ResolvedAt, loc), orDash(cp.ResolutionNote))})
	case StatusClosed:
		outcome := "confirmed solved by the customer"
		if cp.Confirmed == nil || !*cp.Confirmed {
			outcome = "closed without the customer's confirmation"
		}
		m.Fields = append(m.Fields, Field{Label: "Closed", Value: stamp(cp.ClosedAt, loc) + ", " + outcome})
	}
	if cp.Status == StatusOpen {
		m.Choices = append(m.Choices, Choice{Label: "Acknowledge", Payload: action{kind: "ack", id: cp.ID}.String(), Style: StylePrimary})
	}
	if cp.Status == StatusOpen || cp.Status == StatusAcknowledged {
		m.Choices = append(m.Choices, Choice{Label: "Resolve", Payload: action{kind: "res", id: cp.ID}.String(),
			NeedsNote: true, NoteLabel: "Resolution note (the customer sees it)"})
		m.Footer = fmt.Sprintf("/ack %s · /reply %s text · /wait %s question · /resolve %s note", cp.Ref(), cp.Ref(),
			cp.Ref(), cp.Ref())
	}
	return m
}

// dueLeft writes a deadline and the counted time left until it: "Mon 7 Dec 12:00 (3 hours
// left)", "… (overdue)"; business hours say so.
func (s *Service) dueLeft(due, now time.Time) string {
	clock := s.set.StandardClock()
	left := clock.Between(now, due)
	switch {
	case !due.After(now):
		return stamp(due, s.set.Business.Location) + " (overdue)"
	case left == 0:
		return stamp(due, s.set.Business.Location) + " (closed until then)"
	}
	what := "left"
	if _, calendar := clock.(Calendar); !calendar {
		what = "of business hours left"
	}
	return fmt.Sprintf("%s (%s %s)", stamp(due, s.set.Business.Location), HumanDuration(left), what)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// postCard sends the complaint's card to the team channel (or, without one, to the owners)
// and records it on cp.
func (s *Service) postCard(tx Tx, cp *Complaint, ct Contact, now time.Time) error {
	msg := s.cardMessage(*cp, ct, now)
	if ch, ok := s.teamChannel(tx); ok {
		id, err := tx.Enqueue(Outgoing{To: ch, Message: msg, ContactID: ct.ID}, now)
		cp.CardMsg = id
		return err
	}
	return s.toOwners(tx, msg, ct.ID, now)
}

// editCard updates the card to show the complaint as it is now.
func (s *Service) editCard(tx Tx, cp Complaint, now time.Time) error {
	if cp.CardMsg == 0 {
		return nil
	}
	card, err := tx.OutboxMessage(cp.CardMsg)
	if err != nil {
		return err
	}
	ct, err := tx.Contact(cp.ContactID)
	if err != nil {
		return err
	}
	_, err = tx.Enqueue(Outgoing{To: card.To, EditOf: card.ID, ContactID: ct.ID, Message: s.cardMessage(cp, ct, now)}, now)
	return err
}

// toComplaintTeam tells the team about a complaint: in the card's thread when there is a
// card, else the owner of the complaint, else the owners.
func (s *Service) toComplaintTeam(tx Tx, cp Complaint, contactID int64, m Message, now time.Time) error {
	if cp.CardMsg != 0 {
		card, err := tx.OutboxMessage(cp.CardMsg)
		if err != nil {
			return err
		}
		_, err = tx.Enqueue(Outgoing{To: card.To, ThreadOf: card.ID, ContactID: contactID, Message: m}, now)
		return err
	}
	if !cp.OwnerAccount.IsZero() {
		if mem, ok := s.set.Team.MemberFor(cp.OwnerAccount); ok {
			return s.toMember(tx, mem, cp.OwnerAccount, m, contactID, now)
		}
	}
	return s.toOwners(tx, m, contactID, now)
}

// toOwners sends m to every owner.
func (s *Service) toOwners(tx Tx, m Message, contactID int64, now time.Time) error {
	for _, o := range s.set.Team.Owners() {
		if err := s.toMember(tx, o, UserRef{}, m, contactID, now); err != nil {
			return err
		}
	}
	return nil
}

// toMember sends m to a member's DM: preferably on the account given, else on their first
// account the bot can reach. On a platform where the bot can only DM people who opened it
// (Telegram), someone who never did gets it in the team channel, with a line asking them
// to open the bot.
// contactID names the customer the message is about (0 if none), so erasing them finds it.
func (s *Service) toMember(tx Tx, m Member, prefer UserRef, msg Message, contactID int64, now time.Time) error {
	accounts := m.Accounts
	if !prefer.IsZero() {
		accounts = append([]UserRef{prefer}, accounts...)
	}
	var blocked []UserRef
	for _, a := range accounts {
		if !s.deliverable(a.Platform) {
			continue
		}
		if s.set.Platforms[a.Platform].DMNeedsContact {
			ct, err := tx.ContactByRef(a)
			if err != nil && !IsNotFound(err) {
				return err
			}
			if err != nil || ct.SeenAt.IsZero() || ct.Unreachable != "" {
				blocked = append(blocked, a)
				continue
			}
		}
		_, err := tx.Enqueue(Outgoing{To: ChatRef(a), DM: true, Message: msg, ContactID: contactID}, now)
		return err
	}
	ch, ok := s.teamChannel(tx)
	if !ok {
		return nil // nowhere to reach them: the digest still shows everything
	}
	if len(blocked) > 0 {
		msg.Footer = fmt.Sprintf("For %s — %s: please open a private chat with the bot (send it /start) "+
			"to get these privately.", m.Name, m.Name)
	} else {
		msg.Footer = "For " + m.Name
	}
	_, err := tx.Enqueue(Outgoing{To: ch, Message: msg, ContactID: contactID}, now)
	return err
}
