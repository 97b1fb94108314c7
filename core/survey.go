package core

import (
	"fmt"
	"strconv"
	"time"
)

// liveRun returns the contact's survey conversation going on now (ENOTFOUND if none).
func (s *Service) liveRun(tx Tx, contactID int64) (SurveyRun, error) {
	runs, err := tx.Runs(RunFilter{ContactID: contactID, States: []RunState{RunSent, RunInProgress}})
	if err != nil {
		return SurveyRun{}, err
	}
	if len(runs) == 0 {
		return SurveyRun{}, Errorf(ENOTFOUND, "no survey in progress")
	}
	return runs[0], nil
}

// sendSurvey starts a scheduled run that fell due: its intro and first question. A run
// that may not go out now is skipped, expired, or left waiting (another conversation is
// live, or it is quiet time where the customer is).
func (s *Service) sendSurvey(tx Tx, run SurveyRun, now time.Time) error {
	if run.State != RunScheduled {
		return nil
	}
	plan, ok := s.set.Plan(run.Plan)
	if !ok {
		return s.skipRun(tx, run, "the survey plan was removed from the configuration")
	}
	ct, err := tx.Contact(run.ContactID)
	if err != nil {
		return err
	}
	if !run.ExpiresAt.IsZero() && !now.Before(run.ExpiresAt) {
		run.State, run.FinishedAt = RunExpired, now
		return tx.UpdateRun(run)
	}
	reason := s.unreachableReason(ct)
	if reason == "" && s.set.Platforms[ct.Ref.Platform].DMNeedsContact && ct.SeenAt.IsZero() {
		reason = "the customer has never opened a chat with the bot"
	}
	if reason != "" {
		return s.skipRun(tx, run, reason)
	}
	if _, err := s.liveRun(tx, ct.ID); err == nil {
		return nil // waiting: started when the live one ends
	} else if !IsNotFound(err) {
		return err
	}
	if _, err := s.activeComplaint(tx, ct.ID); err == nil {
		return nil // a survey never interrupts a complaint: started when it closes
	} else if !IsNotFound(err) {
		return err
	}
	loc := s.location(ct.TimeZone)
	if later := s.set.Business.Quiet.After(now, loc); !later.Equal(now) {
		_, err := tx.AddJob(&Job{Kind: JobSurveySend, Subject: run.ID, DueAt: later})
		return err
	}

	intro := fmt.Sprintf("Hi%s! %s here.", greetName(ct), s.set.Business.Name)
	if tp, err := s.touchpointOf(tx, run); err == nil && tp.Ref != "" {
		intro += fmt.Sprintf(" Thanks for your %s (%s).", tp.Stage, tp.Ref)
	}
	intro += fmt.Sprintf(" Could you answer %s? It takes under a minute. Send /stop if you'd rather not get these.",
		plural(len(plan.Questions), "quick question", "quick questions"))
	if _, err := tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID,
		Message: Message{Text: intro}}, now); err != nil {
		return err
	}
	run.State, run.SentAt, run.Question = RunSent, now, 0
	if run.QuestionMsg, err = s.askQuestion(tx, ct, run, plan, now, ""); err != nil {
		return err
	}
	if err := tx.UpdateRun(run); err != nil {
		return err
	}
	if plan.ReminderAfter > 0 && (run.ExpiresAt.IsZero() || now.Add(plan.ReminderAfter).Before(run.ExpiresAt)) {
		if _, err := tx.AddJob(&Job{Kind: JobSurveyRemind, Subject: run.ID, DueAt: now.Add(plan.ReminderAfter)}); err != nil {
			return err
		}
	}
	if !run.ExpiresAt.IsZero() {
		if _, err := tx.AddJob(&Job{Kind: JobSurveyExpire, Subject: run.ID, DueAt: run.ExpiresAt}); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) touchpointOf(tx Tx, run SurveyRun) (Touchpoint, error) {
	tps, err := tx.Touchpoints(run.ContactID)
	if err != nil {
		return Touchpoint{}, err
	}
	for _, tp := range tps {
		if tp.ID == run.TouchpointID {
			return tp, nil
		}
	}
	return Touchpoint{}, Errorf(ENOTFOUND, "touchpoint %d not found", run.TouchpointID)
}

func (s *Service) skipRun(tx Tx, run SurveyRun, reason string) error {
	run.State, run.SkipReason = RunSkipped, reason
	return tx.UpdateRun(run)
}

// questionMessage renders question i of plan for run, with its buttons.
func questionMessage(run SurveyRun, plan SurveyPlan, i int, lead string) Message {
	q := plan.Questions[i]
	m := Message{Text: fmt.Sprintf("%d/%d · %s", i+1, len(plan.Questions), q.Text)}
	if lead != "" {
		m.Text = lead + "\n" + m.Text
	}
	pay := func(v string) string { return action{kind: "s", id: run.ID, q: i, val: v}.String() }
	if q.Type == Scale {
		for v := q.Min; v <= q.Max; v++ {
			m.Choices = append(m.Choices, Choice{Label: strconv.Itoa(v), Payload: pay(strconv.Itoa(v))})
		}
		m.Footer = fmt.Sprintf("Tap a number or type it: %d is worst, %d is best.", q.Min, q.Max)
	} else {
		m.Footer = "Type your answer."
	}
	if q.Optional {
		m.Choices = append(m.Choices, Choice{Label: "Skip", Payload: pay("skip")})
		m.Footer += " Optional: you can skip it."
	}
	return m
}

// askQuestion sends the run's current question and returns its outbox id.
func (s *Service) askQuestion(tx Tx, ct Contact, run SurveyRun, plan SurveyPlan, now time.Time, lead string) (int64, error) {
	return tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID,
		Message: questionMessage(run, plan, run.Question, lead)}, now)
}

// answeredMessage is what an answered question is edited into: the question, the choice,
// and no buttons.
func answeredMessage(plan SurveyPlan, i int, answer string) Message {
	q := plan.Questions[i]
	return Message{Text: fmt.Sprintf("%d/%d · %s\n✓ %s", i+1, len(plan.Questions), q.Text, answer)}
}

// startWaiting sends the contact's oldest survey that fell due while another conversation
// was live.
func (s *Service) startWaiting(tx Tx, contactID int64, now time.Time) error {
	runs, err := tx.Runs(RunFilter{ContactID: contactID, States: []RunState{RunScheduled}, DueTo: now.Add(time.Millisecond)})
	if err != nil || len(runs) == 0 {
		return err
	}
	return s.sendSurvey(tx, runs[0], now)
}

// endSurveys skips the contact's scheduled runs and expires a live one.
func (s *Service) endSurveys(tx Tx, contactID int64, reason string, now time.Time) error {
	runs, err := tx.Runs(RunFilter{ContactID: contactID, States: []RunState{RunScheduled, RunSent, RunInProgress}})
	if err != nil {
		return err
	}
	for _, r := range runs {
		if r.State == RunScheduled {
			r.State, r.SkipReason = RunSkipped, reason
		} else {
			r.State, r.FinishedAt = RunExpired, now
		}
		if err := tx.UpdateRun(r); err != nil {
			return err
		}
		for _, k := range []JobKind{JobSurveySend, JobSurveyRemind, JobSurveyExpire} {
			if err := tx.CancelJobs(k, r.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// remind re-asks the current question of a live run once.
func (s *Service) remind(tx Tx, run SurveyRun, now time.Time) error {
	if !run.State.Live() || !run.RemindedAt.IsZero() {
		return nil
	}
	ct, err := tx.Contact(run.ContactID)
	if err != nil {
		return err
	}
	plan, ok := s.set.Plan(run.Plan)
	if !ok || run.Question >= len(plan.Questions) {
		return nil
	}
	if later := s.set.Business.Quiet.After(now, s.location(ct.TimeZone)); !later.Equal(now) {
		if run.ExpiresAt.IsZero() || later.Before(run.ExpiresAt) {
			_, err := tx.AddJob(&Job{Kind: JobSurveyRemind, Subject: run.ID, DueAt: later})
			return err
		}
		return nil
	}
	if run.QuestionMsg != 0 { // the old buttons go; the reminder carries fresh ones
		if _, err := tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, EditOf: run.QuestionMsg,
			Message: Message{Text: questionMessage(run, plan, run.Question, "").Text}}, now); err != nil {
			return err
		}
	}
	run.RemindedAt = now
	if run.QuestionMsg, err = s.askQuestion(tx, ct, run, plan, now,
		"A gentle reminder — we'd love your answer:"); err != nil {
		return err
	}
	return tx.UpdateRun(run)
}

// expire ends a run that got no (complete) answer in time.
func (s *Service) expire(tx Tx, run SurveyRun, now time.Time) error {
	if run.State != RunScheduled && !run.State.Live() {
		return nil
	}
	wasLive := run.State.Live()
	if wasLive && run.QuestionMsg != 0 {
		ct, err := tx.Contact(run.ContactID)
		if err != nil {
			return err
		}
		plan, _ := s.set.Plan(run.Plan)
		if run.Question < len(plan.Questions) {
			if _, err := tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, EditOf: run.QuestionMsg,
				Message: answeredMessage(plan, run.Question, "this survey has closed")}, now); err != nil {
				return err
			}
		}
	}
	run.State, run.FinishedAt, run.QuestionMsg = RunExpired, now, 0
	if err := tx.UpdateRun(run); err != nil {
		return err
	}
	if wasLive {
		return s.startWaiting(tx, run.ContactID, now)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
