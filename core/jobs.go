package core

import (
	"context"
	"fmt"
	"time"
)

// RunDue does every job that is due now, each in its own transaction that also deletes it,
// so a job is done exactly once even across crashes. It returns how many it did.
func (s *Service) RunDue(ctx context.Context) (int, error) {
	done := 0
	for {
		now := s.clock.Now()
		var jobs []Job
		if err := s.store.View(ctx, func(tx Tx) error {
			var err error
			jobs, err = tx.DueJobs(now, 100)
			return err
		}); err != nil {
			return done, fmt.Errorf("core: due jobs: %w", err)
		}
		if len(jobs) == 0 {
			return done, nil
		}
		for _, j := range jobs {
			if err := ctx.Err(); err != nil {
				return done, err
			}
			prep := s.prepareJob(ctx, j)
			err := s.update(ctx, func(tx Tx) error {
				// Another replica may have done it since the View above.
				if taken, err := tx.TakeJob(j.ID); err != nil || !taken {
					return err
				}
				return s.doJob(dueWorkTx(tx, j.Kind), j, prep, now)
			})
			if err != nil {
				s.log.Error("due job failed; retrying in a minute", "job", j.Kind, "subject", j.Subject, "err", err)
				if err := s.postpone(ctx, j, now.Add(time.Minute)); err != nil {
					return done, err
				}
				continue
			}
			s.obs.JobDone(j.Kind, now.Sub(j.DueAt))
			done++
			if j.Kind == JobPrune {
				s.tryCompact(ctx, "the retention job") // it deleted or erased: leave no copy in the files
			}
		}
	}
}

// postpone moves a failed job a little later so one bad job cannot spin the loop.
func (s *Service) postpone(ctx context.Context, j Job, at time.Time) error {
	return s.store.Update(ctx, func(tx Tx) error {
		if err := tx.DeleteJob(j.ID); err != nil {
			return err
		}
		next := j // fn may run again: j stays as it was
		next.ID, next.DueAt = 0, at
		if next.Key != "" {
			next.Key += "#retry@" + at.UTC().Format(time.RFC3339)
		}
		_, err := tx.AddJob(&next)
		return err
	})
}

// doJob does one due job inside tx. A job whose subject moved on meanwhile does nothing.
func (s *Service) doJob(tx Tx, j Job, prep jobPrep, now time.Time) error {
	switch j.Kind {
	case JobSurveySend, JobSurveyRemind, JobSurveyExpire:
		run, err := tx.Run(j.Subject)
		if IsNotFound(err) {
			return nil
		} else if err != nil {
			return err
		}
		c := s.at(tx, now)
		switch j.Kind {
		case JobSurveySend:
			return c.sendSurvey(run)
		case JobSurveyRemind:
			return c.remind(run)
		default:
			return c.expire(run)
		}
	case JobAckWarn, JobAckBreach, JobResolveWarn, JobResolveBreach, JobAutoClose:
		cp, err := tx.Complaint(j.Subject)
		if IsNotFound(err) {
			return nil
		} else if err != nil {
			return err
		}
		return s.complaintJob(tx, j.Kind, cp, now)
	case JobDigest:
		return s.digestJob(tx, j, prep.chart, now)
	case JobPrune:
		return s.prune(tx, now)
	case JobWaitExpire:
		return s.waitExpired(tx, j.Subject)
	}
	s.log.Warn("unknown job kind dropped", "job", j.Kind)
	return nil
}

// complaintJob warns before a deadline, escalates at it, and auto-closes.
func (s *Service) complaintJob(tx Tx, kind JobKind, cp Complaint, now time.Time) error {
	std, clock := s.set.Complaints, s.set.StandardClock()
	ct, err := tx.Contact(cp.ContactID)
	if err != nil {
		return err
	}
	ref := string(cp.Ref())
	unacked := cp.Status == StatusOpen && cp.AckAt.IsZero()
	working := cp.Status == StatusOpen || cp.Status == StatusAcknowledged
	switch kind {
	case JobAckWarn:
		if !unacked {
			return nil
		}
		if err := s.standardEvent(tx, EventStandardWarning, cp, BreachAcknowledge, cp.AckDue, now); err != nil {
			return err
		}
		return s.warn(tx, cp, ct.ID, func(l Lang) Message {
			return Message{Title: s.texts.Text(l, KeyWarnAckTitle, Args{"Ref": ref}),
				Text: s.texts.Text(l, KeyWarnAckText, Args{"Ref": ref, "Within": s.duration(l, std.AcknowledgeWithin),
					"Left": s.duration(l, clock.Between(now, cp.AckDue)), "Until": s.when(l, cp.AckDue, now)}) +
					"\n" + excerpt(cp.Text, 200),
				Footer: "/ack " + ref}
		}, now)
	case JobResolveWarn:
		if !working {
			return nil
		}
		if err := s.standardEvent(tx, EventStandardWarning, cp, BreachResolve, cp.ResolveDue, now); err != nil {
			return err
		}
		return s.warn(tx, cp, ct.ID, func(l Lang) Message {
			return Message{Title: s.texts.Text(l, KeyWarnResolveTitle, Args{"Ref": ref}),
				Text: s.texts.Text(l, KeyWarnResolveText, Args{"Ref": ref, "Status": s.statusWord(l, cp.Status),
					"Within": s.duration(l, std.ResolveWithin), "Left": s.duration(l, clock.Between(now, cp.ResolveDue)),
					"Until": s.when(l, cp.ResolveDue, now)}),
				Footer: s.texts.Text(l, KeyWarnResolveFooter, Args{"Ref": ref})}
		}, now)
	case JobAckBreach, JobResolveBreach:
		b := Breach{ComplaintID: cp.ID, Kind: BreachAcknowledge, Deadline: cp.AckDue, At: now}
		what, within := KeyEscalationNotAcked, std.AcknowledgeWithin
		if kind == JobResolveBreach {
			if !working {
				return nil
			}
			b.Kind, b.Deadline = BreachResolve, cp.ResolveDue
			what, within = KeyEscalationNotSolved, std.ResolveWithin
		} else if !unacked {
			return nil
		}
		if err := tx.AddBreach(&b); err != nil {
			return err
		}
		if err := s.standardEvent(tx, EventStandardBreached, cp, b.Kind, b.Deadline, now); err != nil {
			return err
		}
		return s.toOwnersIn(tx, func(l Lang) Message {
			happened := s.texts.Text(l, what, Args{"Within": s.duration(l, within)})
			owner := s.texts.Text(l, KeyEscalationNobody, nil)
			if cp.AckBy != "" {
				owner = s.texts.Text(l, KeyEscalationOwner, Args{"Name": cp.AckBy})
			}
			return Message{Title: s.texts.Text(l, KeyEscalationTitle, Args{"Ref": ref, "What": happened}),
				Text: s.texts.Text(l, KeyEscalationText, Args{"Ref": ref, "Customer": customerName(ct),
					"Opened": s.when(l, cp.OpenedAt, now), "What": happened, "Owner": owner,
					"Deadline": s.when(l, b.Deadline, now)}) + "\n" + excerpt(cp.Text, 300)}
		}, ct.ID, now)
	case JobAutoClose:
		if cp.Status != StatusResolved {
			return nil
		}
		no := false
		cp.Status, cp.ClosedAt, cp.Confirmed = StatusClosed, now, &no
		if err := tx.UpdateComplaint(cp); err != nil {
			return err
		}
		if err := s.complaintEvent(tx, EventComplaintClosed, cp, now, nil); err != nil {
			return err
		}
		if err := s.editCard(tx, cp, now); err != nil {
			return err
		}
		if _, err := tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, Message: Message{
			Text: s.texts.Text(s.languageOf(ct), KeyComplaintAutoClosed, Args{"Ref": ref})}}, now); err != nil {
			return err
		}
		return s.startWaiting(tx, ct.ID, now)
	}
	return nil
}

// warn tells the complaint's owner in their language, or the team channel in the
// business's while nobody owns it.
func (s *Service) warn(tx Tx, cp Complaint, contactID int64, w words, now time.Time) error {
	if !cp.OwnerAccount.IsZero() {
		if mem, ok := s.set.Team.MemberFor(cp.OwnerAccount); ok {
			return s.toMemberIn(tx, mem, cp.OwnerAccount, w, contactID, now)
		}
	}
	if ch, ok := s.teamChannel(tx); ok {
		_, err := tx.Enqueue(Outgoing{To: ch, Message: w(s.teamLang()), ContactID: contactID}, now)
		return err
	}
	return s.toOwnersIn(tx, w, contactID, now)
}

// nextJobAt returns when the next job falls due; ok is false when there is none.
func (s *Service) nextJobAt(ctx context.Context) (t time.Time, ok bool, err error) {
	err = s.store.View(ctx, func(tx Tx) error {
		t, ok, err = tx.NextJobAt()
		return err
	})
	return t, ok, err
}

// OutboxStats returns how many outbox messages wait to be sent and the age of the oldest.
func (s *Service) OutboxStats(ctx context.Context) (pending int, oldest time.Duration, err error) {
	var first time.Time
	err = s.store.View(ctx, func(tx Tx) error {
		pending, first, err = tx.OutboxStats()
		return err
	})
	if err != nil || pending == 0 {
		return pending, 0, err
	}
	return pending, s.clock.Now().Sub(first), nil
}
