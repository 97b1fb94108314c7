package core

import (
	"fmt"
	"time"
)

// activeComplaint returns the contact's newest complaint that is not closed (ENOTFOUND).
func (c *conv) activeComplaint(contactID int64) (Complaint, error) {
	list, err := c.tx.Complaints(ComplaintFilter{ContactID: contactID,
		Statuses: []ComplaintStatus{StatusOpen, StatusAcknowledged, StatusResolved}})
	if err != nil {
		return Complaint{}, err
	}
	if len(list) == 0 {
		return Complaint{}, Errorf(ENOTFOUND, "no open complaint")
	}
	return list[len(list)-1], nil
}

// openComplaint files a complaint for the customer: they are told what to expect, the team
// gets a card, and the standards' deadlines are set.
func (c *conv) openComplaint(ct *Contact, text string, runID int64) error {
	// Filing closes the open prompt; a survey going on pauses until the complaint closes.
	if err := c.closePrompt(ct); err != nil {
		return err
	}
	if text = cleanText(text); text == "" {
		text = c.s.texts.Text(c.s.teamLang(), KeyComplaintNoText, nil) // what the team reads
	}
	// One thread, one owner: a second complaint while one is going on joins it.
	if cp, err := c.activeComplaint(ct.ID); err == nil {
		return c.customerThreadMessage(ct, cp, text)
	} else if !IsNotFound(err) {
		return err
	}
	std, clock := c.s.set.Complaints, c.s.set.StandardClock()
	cp := Complaint{ContactID: ct.ID, RunID: runID, Status: StatusOpen, Text: text, OpenedAt: c.now,
		AckDue: clock.Add(c.now, std.AcknowledgeWithin), ResolveDue: clock.Add(c.now, std.ResolveWithin)}
	if err := c.tx.CreateComplaint(&cp); err != nil {
		return fmt.Errorf("create complaint: %w", err)
	}
	if err := c.tx.AddThreadMessage(&ThreadMessage{ComplaintID: cp.ID, Author: "customer", Account: ct.Ref,
		Text: text, At: c.now}); err != nil {
		return err
	}
	lang := c.s.languageOf(*ct) // the customer's, also when a member files for them
	c.resp.Notice = c.t(KeyComplaintNotice, Args{"Ref": cp.Ref()})
	if _, err := c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, Message: Message{
		Text: c.s.texts.Text(lang, KeyComplaintReceipt, Args{"Ref": cp.Ref(),
			"When": c.s.promise(lang, cp.AckDue, std.AcknowledgeWithin, c.now)})}}, c.now); err != nil {
		return err
	}
	if err := c.s.postCard(c.tx, &cp, *ct, c.now); err != nil {
		return err
	}
	if err := c.tx.UpdateComplaint(cp); err != nil {
		return err
	}
	if err := c.s.complaintEvent(c.tx, EventComplaintOpened, cp, c.now, nil); err != nil {
		return err
	}
	return c.s.armDeadlines(c.tx, cp, c.now, true)
}

// armDeadlines adds the warning (at 75 % of the standard's counted time) and breach jobs of
// the complaint's standards.
func (s *Service) armDeadlines(tx Tx, cp Complaint, from time.Time, ack bool) error {
	type job struct {
		kind JobKind
		at   time.Time
	}
	clock := s.set.StandardClock()
	var jobs []job
	if ack {
		jobs = append(jobs, job{JobAckWarn, warnAt(clock, from, cp.AckDue)}, job{JobAckBreach, cp.AckDue})
	}
	jobs = append(jobs, job{JobResolveWarn, warnAt(clock, from, cp.ResolveDue)}, job{JobResolveBreach, cp.ResolveDue})
	for _, j := range jobs {
		if _, err := tx.AddJob(&Job{Kind: j.kind, Subject: cp.ID, DueAt: j.at}); err != nil {
			return err
		}
	}
	return nil
}

// warnAt returns when three quarters of the counted time from from to due have passed.
func warnAt(clock StandardClock, from, due time.Time) time.Time {
	return clock.Add(from, clock.Between(from, due)*3/4)
}

// promise tells a customer in lang when to expect the team: "within 12 hours" on the
// calendar, the concrete time in the business time zone when only business hours count ("by
// Monday 12:00", "bis Montag 12:00").
func (s *Service) promise(lang Lang, due time.Time, within time.Duration, now time.Time) string {
	if _, calendar := s.set.StandardClock().(Calendar); calendar {
		return s.within(lang, within)
	}
	d, n := due.In(s.set.Business.Location), now.In(s.set.Business.Location)
	days := int(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC).Sub(
		time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)).Hours() / 24)
	hm := d.Format("15:04")
	switch {
	case days == 0:
		return s.texts.Text(lang, KeyReplyByToday, Args{"Time": hm})
	case days == 1:
		return s.texts.Text(lang, KeyReplyByTomorrow, Args{"Time": hm})
	case days > 1 && days < 7:
		return s.texts.Text(lang, KeyReplyBy, Args{"When": s.texts.DayTime(lang, d)})
	}
	return s.texts.Text(lang, KeyReplyBy, Args{"When": s.texts.Text(lang, KeyDayDateTime, Args{
		"Day": s.texts.Text(lang, customerWeekdays[d.Weekday()], nil), "Date": d.Day(),
		"Month": s.texts.Text(lang, monthKeys[d.Month()-1], nil), "Time": hm})})
}

// within writes a span for a customer in lang: "within 12 hours", "within 2 days"; a span of
// no whole hours in minutes ("within 90 minutes").
func (s *Service) within(lang Lang, d time.Duration) string {
	switch {
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		return s.texts.Text(lang, KeyReplyWithinDays, Args{"Count": int(d / (24 * time.Hour))})
	case d >= time.Hour && d%time.Hour == 0:
		return s.texts.Text(lang, KeyReplyWithinHours, Args{"Count": int(d / time.Hour)})
	}
	return s.texts.Text(lang, KeyReplyWithinMinutes, Args{"Count": int((d + time.Minute - 1) / time.Minute)})
}

func (s *Service) cancelJobs(tx Tx, id int64, kinds ...JobKind) error {
	for _, k := range kinds {
		if err := tx.CancelJobs(k, id); err != nil {
			return err
		}
	}
	return nil
}

// customerThreadMessage adds a customer's message to their complaint and relays it; a
// complaint waiting for the customer (/wait) runs its resolve clock again.
func (c *conv) customerThreadMessage(ct *Contact, cp Complaint, text string) error {
	if err := c.tx.AddThreadMessage(&ThreadMessage{ComplaintID: cp.ID, Author: "customer", Account: ct.Ref,
		Text: text, At: c.now}); err != nil {
		return err
	}
	if !cp.WaitingAt.IsZero() {
		if err := c.s.stopWaiting(c.tx, &cp, c.now, true); err != nil {
			return err
		}
		if err := c.tx.UpdateComplaint(cp); err != nil {
			return err
		}
		if err := c.s.editCard(c.tx, cp, c.now); err != nil {
			return err
		}
	}
	msg := Message{Title: c.s.texts.Text(c.s.teamLang(), KeyThreadCustomerWrote,
		Args{"Ref": cp.Ref(), "Name": customerName(*ct)}), Text: text}
	if err := c.s.toComplaintTeam(c.tx, cp, ct.ID, msg, c.now); err != nil {
		return err
	}
	if c.in.Action != "" && c.resp.Notice == "" {
		c.resp.Notice = c.t(KeyAddedTo, Args{"Ref": cp.Ref()})
	}
	return nil
}

func customerName(ct Contact) string {
	if ct.Name != "" {
		return ct.Name
	}
	if !ct.ErasedAt.IsZero() {
		return "an erased customer"
	}
	return ct.Ref.String()
}

// teamThreadMessage relays a member's message in a card's thread to the customer.
func (c *conv) teamThreadMessage() error {
	cp, err := c.tx.ComplaintByCard(c.in.Platform, c.in.ThreadID)
	if IsNotFound(err) {
		return nil // a thread that is not a complaint's
	} else if err != nil {
		return err
	}
	if c.in.Text == "" {
		return nil
	}
	return c.relay(cp, c.in.Text)
}

// relay sends a member's words to the customer; replying to an unowned complaint takes it.
func (c *conv) relay(cp Complaint, text string) error {
	if cp.Status == StatusClosed {
		c.noticeT(KeyRelayClosed, Args{"Ref": cp.Ref()})
		return nil
	}
	if cp.AckAt.IsZero() || cp.Status == StatusOpen {
		if err := c.takeOwnership(&cp, false); err != nil {
			return err
		}
	}
	if err := c.tx.AddThreadMessage(&ThreadMessage{ComplaintID: cp.ID, Author: c.member.Name,
		Account: c.in.From, FromTeam: true, Text: text, At: c.now}); err != nil {
		return err
	}
	ct, err := c.tx.Contact(cp.ContactID)
	if err != nil {
		return err
	}
	// The member's words go as written; only the framing is in the customer's language.
	_, err = c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, Message: Message{
		Title: c.s.texts.Text(c.s.languageOf(ct), KeyRelayTitle, Args{"Member": c.member.Name,
			"Business": c.s.set.Business.Name, "Ref": cp.Ref()}), Text: text}}, c.now)
	return err
}

// acknowledge makes the member the complaint's owner.
func (c *conv) acknowledge(cp Complaint) error {
	ref := Args{"Ref": cp.Ref()}
	switch {
	case cp.Status == StatusAcknowledged && cp.AckBy == c.member.Name:
		c.noticeT(KeyAckAlreadyYours, ref)
		return nil
	case cp.Status == StatusAcknowledged:
		c.noticeT(KeyAckTaken, Args{"Ref": cp.Ref(), "Member": cp.AckBy})
		return nil
	case cp.Status == StatusResolved:
		c.noticeT(KeyAckResolved, ref)
		return nil
	case cp.Status != StatusOpen:
		c.noticeT(KeyAckClosed, ref)
		return nil
	}
	if err := c.takeOwnership(&cp, true); err != nil {
		return err
	}
	if c.in.Action != "" {
		c.resp.Notice = c.t(KeyAckDone, ref)
		return nil
	}
	return c.sayT(KeyAckDoneHow, ref)
}

// takeOwnership acknowledges cp for the acting member and tells the customer who is on it.
func (c *conv) takeOwnership(cp *Complaint, tell bool) error {
	first := cp.AckAt.IsZero()
	cp.Status, cp.AckBy, cp.OwnerAccount = StatusAcknowledged, c.member.Name, c.in.From
	if first {
		cp.AckAt = c.now
	}
	if err := c.tx.UpdateComplaint(*cp); err != nil {
		return err
	}
	if err := c.s.cancelJobs(c.tx, cp.ID, JobAckWarn, JobAckBreach); err != nil {
		return err
	}
	if err := c.s.editCard(c.tx, *cp, c.now); err != nil {
		return err
	}
	if first {
		if err := c.s.complaintEvent(c.tx, EventComplaintAcknowledged, *cp, c.now, func(e *ComplaintEvent) {
			e.By = c.member.Name
		}); err != nil {
			return err
		}
	}
	ct, err := c.tx.Contact(cp.ContactID)
	if err != nil {
		return err
	}
	if !tell {
		return nil // their reply, following at once, says it better
	}
	text := c.s.texts.Text(c.s.languageOf(ct), KeyOwnerLooking, Args{"Member": c.member.Name,
		"Business": c.s.set.Business.Name, "Ref": cp.Ref()})
	_, err = c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, Message: Message{Text: text}}, c.now)
	return err
}

// resolve marks the complaint resolved and asks the customer whether it is solved.
func (c *conv) resolve(cp Complaint, note string) error {
	switch cp.Status {
	case StatusResolved:
		c.noticeT(KeyResolveResolved, Args{"Ref": cp.Ref()})
		return nil
	case StatusClosed:
		c.noticeT(KeyResolveClosed, Args{"Ref": cp.Ref()})
		return nil
	}
	if cp.AckAt.IsZero() {
		cp.AckAt = c.now
	}
	if cp.AckBy == "" || cp.Status == StatusOpen {
		cp.AckBy, cp.OwnerAccount = c.member.Name, c.in.From
	}
	cp.Status, cp.ResolvedAt, cp.ResolvedBy, cp.ResolutionNote = StatusResolved, c.now, c.member.Name, note
	if err := c.s.stopWaiting(c.tx, &cp, c.now, false); err != nil {
		return err
	}
	if err := c.tx.UpdateComplaint(cp); err != nil {
		return err
	}
	if err := c.s.cancelJobs(c.tx, cp.ID, JobAckWarn, JobAckBreach, JobResolveWarn, JobResolveBreach); err != nil {
		return err
	}
	if err := c.tx.AddThreadMessage(&ThreadMessage{ComplaintID: cp.ID, Author: c.member.Name, Account: c.in.From,
		FromTeam: true, Text: c.s.texts.Text(c.s.teamLang(), KeyThreadResolved, Args{"Note": note}), At: c.now}); err != nil {
		return err
	}
	if _, err := c.tx.AddJob(&Job{Kind: JobAutoClose, Subject: cp.ID, DueAt: c.now.Add(c.s.set.Complaints.AutoCloseAfter)}); err != nil {
		return err
	}
	if err := c.s.editCard(c.tx, cp, c.now); err != nil {
		return err
	}
	if err := c.s.complaintEvent(c.tx, EventComplaintResolved, cp, c.now, func(e *ComplaintEvent) {
		e.By = c.member.Name
	}); err != nil {
		return err
	}
	ct, err := c.tx.Contact(cp.ContactID)
	if err != nil {
		return err
	}
	// The member's note goes as written, between the customer's-language lines.
	lang := c.s.languageOf(ct)
	text := c.s.texts.Text(lang, KeyResolvedBy, Args{"Member": c.member.Name, "Ref": cp.Ref()})
	if note != "" {
		text += "\n" + note
	}
	text += "\n" + c.s.texts.Text(lang, KeySolvedQuestion, nil)
	if err := c.askSolved(&ct, cp, text); err != nil {
		return err
	}
	c.noticeT(KeyResolveDone, Args{"Ref": cp.Ref()})
	return nil
}

// confirm records the customer's answer to "Is your problem solved?".
func (c *conv) confirm(ct *Contact, cp Complaint, solved bool) error {
	if err := c.closePrompt(ct); err != nil {
		return err
	}
	if solved {
		yes := true
		cp.Status, cp.ClosedAt, cp.Confirmed = StatusClosed, c.now, &yes
		if err := c.tx.UpdateComplaint(cp); err != nil {
			return err
		}
		if err := c.s.cancelJobs(c.tx, cp.ID, JobAutoClose); err != nil {
			return err
		}
		if err := c.tx.AddThreadMessage(&ThreadMessage{ComplaintID: cp.ID, Author: "customer", Account: ct.Ref,
			Text: c.s.texts.Text(c.s.teamLang(), KeyThreadSolved, nil), At: c.now}); err != nil {
			return err
		}
		c.resp.Notice = c.t(KeySolvedThanks, nil)
		if err := c.s.editCard(c.tx, cp, c.now); err != nil {
			return err
		}
		if err := c.s.complaintEvent(c.tx, EventComplaintClosed, cp, c.now, nil); err != nil {
			return err
		}
		if err := c.s.toComplaintTeam(c.tx, cp, ct.ID, Message{Text: c.s.texts.Text(c.s.teamLang(),
			KeyTeamConfirmed, Args{"Ref": cp.Ref()})}, c.now); err != nil {
			return err
		}
		if _, err := c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, Message: Message{
			Text: c.t(KeySolvedClosed, Args{"Ref": cp.Ref()})}}, c.now); err != nil {
			return err
		}
		return c.next(ct)
	}
	cp.Status, cp.Reopened, cp.Confirmed = StatusOpen, cp.Reopened+1, nil
	cp.ResolveDue = c.s.set.StandardClock().Add(c.now, c.s.set.Complaints.ResolveWithin)
	if err := c.tx.UpdateComplaint(cp); err != nil {
		return err
	}
	if err := c.s.cancelJobs(c.tx, cp.ID, JobAutoClose); err != nil {
		return err
	}
	if err := c.s.armDeadlines(c.tx, cp, c.now, false); err != nil {
		return err
	}
	if err := c.tx.AddThreadMessage(&ThreadMessage{ComplaintID: cp.ID, Author: "customer", Account: ct.Ref,
		Text: c.s.texts.Text(c.s.teamLang(), KeyThreadNotSolved, nil), At: c.now}); err != nil {
		return err
	}
	if err := c.s.editCard(c.tx, cp, c.now); err != nil {
		return err
	}
	if err := c.s.complaintEvent(c.tx, EventComplaintReopened, cp, c.now, nil); err != nil {
		return err
	}
	c.resp.Notice = c.t(KeyReopenedNotice, nil)
	if err := c.s.toComplaintTeam(c.tx, cp, ct.ID, Message{Text: c.s.texts.Text(c.s.teamLang(),
		KeyTeamReopened, Args{"Ref": cp.Ref()})}, c.now); err != nil {
		return err
	}
	told := c.t(KeyReopenedTeam, Args{"Ref": cp.Ref()})
	if cp.AckBy != "" {
		told = c.t(KeyReopenedOwner, Args{"Ref": cp.Ref(), "Member": cp.AckBy})
	}
	_, err := c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, Message: Message{Text: told}}, c.now)
	return err
}
