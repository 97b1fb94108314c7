package core

import "time"

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

// cardMessage renders the team card of a complaint in lang as it is at now: each deadline
// with the counted time left.
func (s *Service) cardMessage(lang Lang, cp Complaint, ct Contact, now time.Time) Message {
	t := func(key Key, args Args) string { return s.texts.Text(lang, key, args) }
	when := func(at time.Time) string { return s.when(lang, at, now) }
	due := func(at time.Time) string { return s.dueLeft(lang, at, now) }
	ref := string(cp.Ref())
	m := Message{
		Title: t(KeyCardTitle, Args{"Ref": ref, "Status": s.statusWord(lang, cp.Status)}),
		Text:  cp.Text,
		Fields: []Field{
			{Label: t(KeyCardCustomer, nil), Value: customerName(ct) + " (" + ct.Ref.String() + ")", Short: true},
			{Label: t(KeyCardPlatform, nil), Value: string(ct.Ref.Platform), Short: true},
			{Label: t(KeyCardOpened, nil), Value: when(cp.OpenedAt), Short: true},
		},
	}
	switch {
	case cp.Status == StatusOpen && cp.AckAt.IsZero():
		m.Fields = append(m.Fields, Field{Label: t(KeyCardAckBy, nil), Value: due(cp.AckDue), Short: true})
	case cp.AckBy != "":
		m.Fields = append(m.Fields, Field{Label: t(KeyCardOwner, nil),
			Value: t(KeyCardOwnerValue, Args{"Name": cp.AckBy, "At": when(cp.AckAt)}), Short: true})
	}
	switch {
	case (cp.Status == StatusOpen || cp.Status == StatusAcknowledged) && !cp.WaitingAt.IsZero():
		m.Fields = append(m.Fields, Field{Label: t(KeyCardWaiting, nil), Value: t(KeyCardWaitingValue,
			Args{"Since": when(cp.WaitingAt), "Left": s.duration(lang, cp.ResolveLeft)})})
	case cp.Status == StatusOpen || cp.Status == StatusAcknowledged:
		m.Fields = append(m.Fields, Field{Label: t(KeyCardResolveBy, nil), Value: due(cp.ResolveDue), Short: true})
	}
	if cp.Reopened > 0 {
		m.Fields = append(m.Fields, Field{Label: t(KeyCardReopened, nil),
			Value: t(KeyCardReopenedTimes, Args{"Count": cp.Reopened}), Short: true})
	}
	switch cp.Status {
	case StatusResolved:
		m.Fields = append(m.Fields, Field{Label: t(KeyCardResolved, nil), Value: t(KeyCardResolvedValue,
			Args{"Name": cp.ResolvedBy, "At": when(cp.ResolvedAt), "Note": orDash(cp.ResolutionNote)})})
	case StatusClosed:
		outcome := KeyCardClosedConfirmed
		if cp.Confirmed == nil || !*cp.Confirmed {
			outcome = KeyCardClosedUnconfirmed
		}
		m.Fields = append(m.Fields, Field{Label: t(KeyCardClosed, nil), Value: t(outcome, Args{"At": when(cp.ClosedAt)})})
	}
	if cp.Status == StatusOpen {
		m.Choices = append(m.Choices, Choice{Label: t(KeyCardAcknowledge, nil), Payload: action{kind: "ack", id: cp.ID}.String(),
			Style: StylePrimary})
	}
	if cp.Status == StatusOpen || cp.Status == StatusAcknowledged {
		m.Choices = append(m.Choices, Choice{Label: t(KeyCardResolve, nil), Payload: action{kind: "res", id: cp.ID}.String(),
			NeedsNote: true, NoteLabel: t(KeyCardNoteLabel, nil)})
		m.Footer = t(KeyCardFooter, Args{"Ref": ref})
	}
	return m
}

// dueLeft writes a deadline in lang and the counted time left until it: "Monday 12:00 (3
// hours left)", "… (overdue)"; business hours say so.
func (s *Service) dueLeft(lang Lang, due, now time.Time) string {
	clock := s.set.StandardClock()
	left := clock.Between(now, due)
	at := s.when(lang, due, now)
	switch {
	case !due.After(now):
		return s.texts.Text(lang, KeyCardDueOverdue, Args{"At": at})
	case left == 0:
		return s.texts.Text(lang, KeyCardDueClosed, Args{"At": at})
	}
	key := KeyCardDueLeft
	if _, calendar := clock.(Calendar); !calendar {
		key = KeyCardDueBusinessLeft
	}
	return s.texts.Text(lang, key, Args{"At": at, "Left": s.duration(lang, left)})
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
	if ch, ok := s.teamChannel(tx); ok {
		id, err := tx.Enqueue(Outgoing{To: ch, Message: s.cardMessage(s.teamLang(), *cp, ct, now), ContactID: ct.ID}, now)
		cp.CardMsg = id
		return err
	}
	return s.toOwnersIn(tx, func(l Lang) Message { return s.cardMessage(l, *cp, ct, now) }, ct.ID, now)
}

// editCard updates the card to show the complaint as it is now. The card is in the team's
// channel, so in the business's language.
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
	_, err = tx.Enqueue(Outgoing{To: card.To, EditOf: card.ID, ContactID: ct.ID, Message: s.cardMessage(s.teamLang(), cp, ct, now)}, now)
	return err
}

// toComplaintTeam tells the team about a complaint: in the card's thread when there is a
// card, else the owner of the complaint, else the owners.
func (s *Service) toComplaintTeam(tx Tx, cp Complaint, contactID int64, m Message, now time.Time) error {
	return s.toComplaintTeamIn(tx, cp, contactID, same(m), now)
}

// toComplaintTeamIn is toComplaintTeam with a message written for each reader: in the card's
// thread in the business's language, to a member in theirs.
func (s *Service) toComplaintTeamIn(tx Tx, cp Complaint, contactID int64, w words, now time.Time) error {
	if cp.CardMsg != 0 {
		card, err := tx.OutboxMessage(cp.CardMsg)
		if err != nil {
			return err
		}
		_, err = tx.Enqueue(Outgoing{To: card.To, ThreadOf: card.ID, ContactID: contactID, Message: w(s.teamLang())}, now)
		return err
	}
	if !cp.OwnerAccount.IsZero() {
		if mem, ok := s.set.Team.MemberFor(cp.OwnerAccount); ok {
			return s.toMemberIn(tx, mem, cp.OwnerAccount, w, contactID, now)
		}
	}
	return s.toOwnersIn(tx, w, contactID, now)
}

// toOwners sends m to every owner.
func (s *Service) toOwners(tx Tx, m Message, contactID int64, now time.Time) error {
	return s.toOwnersIn(tx, same(m), contactID, now)
}

// toOwnersIn sends every owner the message in their language.
func (s *Service) toOwnersIn(tx Tx, w words, contactID int64, now time.Time) error {
	for _, o := range s.set.Team.Owners() {
		if err := s.toMemberIn(tx, o, UserRef{}, w, contactID, now); err != nil {
			return err
		}
	}
	return nil
}

// toMember sends msg to a member's DM; see toMemberIn.
func (s *Service) toMember(tx Tx, m Member, prefer UserRef, msg Message, contactID int64, now time.Time) error {
	return s.toMemberIn(tx, m, prefer, same(msg), contactID, now)
}

// toMemberIn sends a member the message in their language, to their DM: preferably on the
// account given, else on their first account the bot can reach. On a platform where the bot
// can only DM people who opened it (Telegram), someone who never did gets it in the team
// channel, in the business's language, with a line asking them to open the bot.
// contactID names the customer the message is about (0 if none), so erasing them finds it.
func (s *Service) toMemberIn(tx Tx, m Member, prefer UserRef, w words, contactID int64, now time.Time) error {
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
		_, err := tx.Enqueue(Outgoing{To: ChatRef(a), DM: true, Message: w(s.memberLang(m)), ContactID: contactID}, now)
		return err
	}
	ch, ok := s.teamChannel(tx)
	if !ok {
		return nil // nowhere to reach them: the digest still shows everything
	}
	lang := s.teamLang()
	msg := w(lang)
	if len(blocked) > 0 {
		msg.Footer = s.texts.Text(lang, KeyTeamForMemberOpenBot, Args{"Name": m.Name})
	} else {
		msg.Footer = s.texts.Text(lang, KeyTeamForMember, Args{"Name": m.Name})
	}
	_, err := tx.Enqueue(Outgoing{To: ch, Message: msg, ContactID: contactID}, now)
	return err
}
