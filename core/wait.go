package core

import "time"

// Waiting on the customer: /wait C-1042 [question] relays the question and pauses the
// complaint's resolve clock until the customer writes again; the time already used stays
// used. The pause is kept on the complaint (WaitingAt, ResolveLeft), so a restart keeps it.

// wait starts waiting for the customer of cp, after relaying the question if there is one.
func (c *conv) wait(cp Complaint, question string) error {
	if cp.Status != StatusOpen && cp.Status != StatusAcknowledged {
		return c.refuse(c.s.errIn(c.lang, ECONFLICT, KeyTeamWaitNothing, Args{"Ref": string(cp.Ref()),
			"Status": c.s.statusWord(c.lang, cp.Status)}))
	}
	if question != "" {
		if err := c.relay(cp, question); err != nil {
			return err
		}
		var err error
		if cp, err = c.tx.Complaint(cp.ID); err != nil { // relay may have made the member its owner
			return err
		}
	}
	if !cp.WaitingAt.IsZero() {
		c.notice(c.t(KeyTeamWaitAlready, Args{"Ref": string(cp.Ref())}))
		return nil
	}
	clock := c.s.set.StandardClock()
	cp.WaitingAt, cp.ResolveLeft = c.now, clock.Between(c.now, cp.ResolveDue)
	if err := c.tx.UpdateComplaint(cp); err != nil {
		return err
	}
	if err := c.s.cancelJobs(c.tx, cp.ID, JobResolveWarn, JobResolveBreach); err != nil {
		return err
	}
	if err := c.s.editCard(c.tx, cp, c.now); err != nil {
		return err
	}
	text := c.t(KeyTeamWaitStarted, Args{"Ref": string(cp.Ref()), "Left": c.s.duration(c.lang, cp.ResolveLeft)})
	if c.in.Action != "" {
		c.resp.Notice = text
		return nil
	}
	return c.say("%s", text)
}

// stopWaiting ends a pause when the customer writes again (or the complaint is resolved):
// the waited time is kept aside and the resolve clock runs again with the time it had
// left, its warning and escalation re-armed. It changes cp; the caller saves it.
func (s *Service) stopWaiting(tx Tx, cp *Complaint, now time.Time, rearm bool) error {
	if cp.WaitingAt.IsZero() {
		return nil
	}
	clock, within := s.set.StandardClock(), s.set.Complaints.ResolveWithin
	cp.Waited += clock.Between(cp.WaitingAt, now)
	cp.WaitingAt = time.Time{}
	if !rearm {
		return nil
	}
	cp.ResolveDue = clock.Add(now, cp.ResolveLeft)
	if warnLeft := cp.ResolveLeft - within/4; warnLeft > 0 {
		if _, err := tx.AddJob(&Job{Kind: JobResolveWarn, Subject: cp.ID, DueAt: clock.Add(now, warnLeft)}); err != nil {
			return err
		}
	}
	_, err := tx.AddJob(&Job{Kind: JobResolveBreach, Subject: cp.ID, DueAt: cp.ResolveDue})
	return err
}
