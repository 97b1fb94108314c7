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
		text = "(no text)"
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
	c.resp.Notice = "Complaint " + string(cp.Ref()) + " received"
	if _, err := c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, Message: Message{
		Text: fmt.Sprintf("Complaint %s received. Our team replies %s. Anything you write here "+
			"is added to it.", cp.Ref(), c.s.promise(cp.AckDue, std.AcknowledgeWithin, c.now))}}, c.now); err != nil {
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

// promise tells a customer when to expect the team: "within 12 hours" on the calendar, the
// concrete time in the business time zone when only business hours count ("by Monday
// 12:00").
func (s *Service) promise(due time.Time, within time.Duration, now time.Time) string {
	if _, calendar := s.set.StandardClock().(Calendar); calendar {
		return "within " + HumanDuration(within)
	}
	return "by " + dueText(due, now, s.set.Business.Location)
}

// dueText writes a deadline for a person in loc: "12:00 today", "tomorrow 12:00", "Monday
// 12:00" within the week, else "Monday 14 December 12:00".
func dueText(due, now time.Time, loc *time.Location) string {
	d, n := due.In(loc), now.In(loc)
	days := int(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC).Sub(
		time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)).Hours() / 24)
	switch {
	case days == 0:
		return d.Format("15:04") + " today"
	case days == 1:
		return "tomorrow " + d.Format("15:04")
	case days > 1 && days < 7:
		return d.Format("Monday 15:04")
	}
	return d.Format("Monday 2 January 15:04")
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
	msg := Message{Title: fmt.Sprintf("%s · %s wrote", cp.Ref(), customerName(*ct)), Text: text}
	if err := c.s.toComplaintTeam(c.tx, cp, ct.ID, msg, c.now); err != nil {
		return err
	}
	if c.in.Action != "" && c.resp.Notice == "" {
		c.resp.Notice = "Added to " + string(cp.Ref())
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
		return c.refuse(Errorf(ECONFLICT, "%s is closed; the customer can open a new complaint.", cp.Ref()))
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
	_, err = c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, Message: Message{
		Title: fmt.Sprintf("%s from %s (%s)", c.member.Name, c.s.set.Business.Name, cp.Ref()), Text: text}}, c.now)
	return err
}

// acknowledge makes the member the complaint's owner.
func (c *conv) acknowledge(cp Complaint) error {
	switch {
	case cp.Status == StatusAcknowledged && cp.AckBy == c.member.Name:
		c.notice(fmt.Sprintf("You already own %s.", cp.Ref()))
		return nil
	case cp.Status == StatusAcknowledged:
		return c.refuse(Errorf(ECONFLICT, "%s is already acknowledged by %s.", cp.Ref(), cp.AckBy))
	case cp.Status != StatusOpen:
		return c.refuse(Errorf(ECONFLICT, "%s is %s.", cp.Ref(), cp.Status))
	}
	if err := c.takeOwnership(&cp, true); err != nil {
		return err
	}
	if c.in.Action != "" {
		c.resp.Notice = fmt.Sprintf("You own %s now.", cp.Ref())
		return nil
	}
	return c.say("You own %s now. Reply with /reply %s your message.", cp.Ref(), cp.Ref())
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
	text := fmt.Sprintf("%s from %s is looking at your complaint %s.", c.member.Name, c.s.set.Business.Name, cp.Ref())
	if !tell {
		return nil // their reply, following at once, says it better
	}
	_, err = c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, Message: Message{Text: text}}, c.now)
	return err
}

// resolve marks the complaint resolved and asks the customer whether it is solved.
func (c *conv) resolve(cp Complaint, note string) error {
	if cp.Status == StatusResolved || cp.Status == StatusClosed {
		return c.refuse(Errorf(ECONFLICT, "%s is already %s.", cp.Ref(), cp.Status))
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
		FromTeam: true, Text: "Resolved: " + note, At: c.now}); err != nil {
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
	text := fmt.Sprintf("%s marked your complaint %s as resolved.", c.member.Name, cp.Ref())
	if note != "" {
		text += "\n" + note
	}
	text += "\nIs your problem solved?"
	if err := c.askSolved(&ct, cp, text); err != nil {
		return err
	}
	if c.in.Action != "" {
		c.resp.Notice = fmt.Sprintf("%s resolved; the customer is asked to confirm.", cp.Ref())
		return nil
	}
	return c.say("%s resolved; the customer is asked to confirm.", cp.Ref())
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
			Text: "Solved, thank you.", At: c.now}); err != nil {
			return err
		}
		c.resp.Notice = "Thank you!"
		if err := c.s.editCard(c.tx, cp, c.now); err != nil {
			return err
		}
		if err := c.s.complaintEvent(c.tx, EventComplaintClosed, cp, c.now, nil); err != nil {
			return err
		}
		if err := c.s.toComplaintTeam(c.tx, cp, ct.ID, Message{Text: fmt.Sprintf(
			"%s: the customer confirmed the problem is solved. Closed.", cp.Ref())}, c.now); err != nil {
			return err
		}
		if _, err := c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, Message: Message{
			Text: "Thank you! We're glad it's solved. Complaint " + string(cp.Ref()) + " is closed."}}, c.now); err != nil {
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
		Text: "Not solved yet.", At: c.now}); err != nil {
		return err
	}
	if err := c.s.editCard(c.tx, cp, c.now); err != nil {
		return err
	}
	if err := c.s.complaintEvent(c.tx, EventComplaintReopened, cp, c.now, nil); err != nil {
		return err
	}
	c.resp.Notice = "Reopened"
	if err := c.s.toComplaintTeam(c.tx, cp, ct.ID, Message{Text: fmt.Sprintf(
		"%s was reopened: the customer says the problem is not solved yet.", cp.Ref())}, c.now); err != nil {
		return err
	}
	who := "the team"
	if cp.AckBy != "" {
		who = cp.AckBy
	}
	_, err := c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, Message: Message{
		Text: fmt.Sprintf("Sorry to hear that. We reopened %s and told %s. Tell us here what is still wrong.",
			cp.Ref(), who)}}, c.now)
	return err
}
