package core

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// at returns a conversation step for due work: no inbound event, only the transaction.
func (s *Service) at(tx Tx, now time.Time) *conv {
	return &conv{s: s, tx: tx, now: now, resp: &Response{}}
}

// liveRun returns the contact's survey conversation going on now (ENOTFOUND if none).
func (c *conv) liveRun(contactID int64) (SurveyRun, error) {
	runs, err := c.tx.Runs(RunFilter{ContactID: contactID, States: []RunState{RunSent, RunInProgress}})
	if err != nil {
		return SurveyRun{}, err
	}
	if len(runs) == 0 {
		return SurveyRun{}, Errorf(ENOTFOUND, "no survey in progress")
	}
	return runs[0], nil
}

// sendSurvey starts a scheduled run that fell due: its intro and first question, in one
// message. A run that may not go out now is skipped, expired, or left waiting: another
// survey is live, a complaint is going on, the person is in the middle of answering
// something else (a prompt younger than promptFresh), or it is quiet time where they are.
// An older prompt — an offer they ignored yesterday — is stale: the survey closes it.
func (c *conv) sendSurvey(run SurveyRun) error {
	if run.State != RunScheduled {
		return nil
	}
	plan, ok := c.s.runPlan(run)
	if !ok {
		return c.skipRun(run, "the survey plan was removed from the configuration")
	}
	ct, err := c.tx.Contact(run.ContactID)
	if err != nil {
		return err
	}
	now := c.now
	if !run.ExpiresAt.IsZero() && !now.Before(run.ExpiresAt) {
		run.State, run.FinishedAt = RunExpired, now
		return c.tx.UpdateRun(run)
	}
	reason := c.s.unreachableReason(ct)
	if reason == "" && c.s.set.Platforms[ct.Ref.Platform].DMNeedsContact && ct.SeenAt.IsZero() {
		reason = "the customer has never opened a chat with the bot"
	}
	if reason != "" {
		return c.skipRun(run, reason)
	}
	if _, err := c.liveRun(ct.ID); err == nil {
		return nil // waiting: started when the live one ends
	} else if !IsNotFound(err) {
		return err
	}
	if _, err := c.activeComplaint(ct.ID); err == nil {
		return nil // a survey never interrupts a complaint: started when it closes
	} else if !IsNotFound(err) {
		return err
	}
	if err := c.settle(&ct); err != nil {
		return err
	}
	if ct.Pending != PendingNone && now.Before(ct.PendingAt.Add(promptFresh)) {
		_, err := c.tx.AddJob(&Job{Kind: JobSurveySend, Subject: run.ID, DueAt: ct.PendingAt.Add(promptFresh)})
		return err
	}
	loc := c.s.location(ct.TimeZone)
	if later := c.s.set.Business.Quiet.After(now, loc); !later.Equal(now) {
		_, err := c.tx.AddJob(&Job{Kind: JobSurveySend, Subject: run.ID, DueAt: later})
		return err
	}

	run.State, run.SentAt, run.Question = RunSent, now, 0
	run.Questions = plan.Questions // the run keeps them: a plan changed later does not change it
	if run.QuestionMsg, err = c.askQuestion(&ct, run, plan, c.intro(ct, run, plan), 0, nil); err != nil {
		return err
	}
	if err := c.tx.UpdateRun(run); err != nil {
		return err
	}
	if plan.ReminderAfter > 0 && (run.ExpiresAt.IsZero() || now.Add(plan.ReminderAfter).Before(run.ExpiresAt)) {
		if _, err := c.tx.AddJob(&Job{Kind: JobSurveyRemind, Subject: run.ID, DueAt: now.Add(plan.ReminderAfter)}); err != nil {
			return err
		}
	}
	if !run.ExpiresAt.IsZero() {
		if _, err := c.tx.AddJob(&Job{Kind: JobSurveyExpire, Subject: run.ID, DueAt: run.ExpiresAt}); err != nil {
			return err
		}
	}
	return nil
}

// intro is the greeting over a survey's first question: who asks, about what, how long
// (as many questions as it may ask: conditional ones count until they fall away).
func (c *conv) intro(ct Contact, run SurveyRun, plan SurveyPlan) string {
	lang := c.s.languageOf(ct)
	t := func(k Key, a Args) string { return c.s.texts.Text(lang, k, a) }
	intro := t(KeySurveyHelloAnon, Args{"Business": c.s.set.Business.Name})
	if name := strings.TrimSpace(greetName(ct)); name != "" {
		intro = t(KeySurveyHello, Args{"Name": name, "Business": c.s.set.Business.Name})
	}
	if tp, err := c.s.touchpointOf(c.tx, run); err == nil {
		if occasion := Occasion(c.s.texts, lang, plan, tp.Stage, tp.Ref); occasion != "" {
			intro += " " + occasion
		}
	}
	return intro + " " + t(KeySurveyAsk, Args{"Count": numberOf(plan, 0, nil).total})
}

// Occasion is the sentence of a survey's intro naming what it is about, in lang: the plan's
// intro, or the default for the stage, with "{ref}" replaced by the touchpoint's reference.
// With no reference, a sentence that needs one is left out.
func Occasion(texts Texts, lang Lang, plan SurveyPlan, stage, ref string) string {
	if text := plan.IntroFor(lang); text != "" {
		if strings.Contains(text, "{ref}") {
			if ref == "" {
				return ""
			}
			return strings.ReplaceAll(text, "{ref}", ref)
		}
		return text
	}
	if ref == "" {
		return "" // every default names the reference
	}
	return texts.Text(lang, DefaultIntro(stage), Args{"Ref": ref})
}

// DefaultIntro returns the key of the occasion sentence for a stage when its plan names
// none: the common stages read as what the business did for the customer, any other names
// the reference only. Each takes the reference as {{.Ref}}.
func DefaultIntro(stage string) Key {
	switch strings.ToLower(stage) {
	case "purchase", "order":
		return KeySurveyIntroOrder
	case "delivery":
		return KeySurveyIntroDelivery
	case "support", "ticket":
		return KeySurveyIntroSupport
	case "visit", "appointment":
		return KeySurveyIntroVisit
	}
	return KeySurveyIntroOther
}

// touchpointOf returns the touchpoint a run is about (ENOTFOUND).
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

func (c *conv) skipRun(run SurveyRun, reason string) error {
	run.State, run.SkipReason = RunSkipped, reason
	return c.tx.UpdateRun(run)
}

// speaker is how the survey speaks to its customer: in their language (the sender's when
// they wrote, else theirs as due work finds it — the same language either way).
func (c *conv) speaker(ct *Contact) asking {
	return asking{texts: c.s.texts, lang: c.s.languageOf(*ct)}
}

// runAnswers returns the run's answers when the plan has conditional questions (numbering
// and ask_if need them), else none: an unconditional survey reads nothing.
func (c *conv) runAnswers(run SurveyRun, plan SurveyPlan) ([]Answer, error) {
	for _, q := range plan.Questions {
		if q.AskIf != nil {
			answers, err := c.tx.Answers(run.ID, 0)
			if err != nil {
				return nil, fmt.Errorf("run answers: %w", err)
			}
			return answers, nil
		}
	}
	return nil, nil
}

// questionMessage renders the run's current question for the customer, numbered among the
// questions asked, its picks ticked, lead above it.
func (c *conv) questionMessage(ct *Contact, run SurveyRun, plan SurveyPlan, picks []string, lead string) (Message, error) {
	answers, err := c.runAnswers(run, plan)
	if err != nil {
		return Message{}, err
	}
	num := numberOf(plan, run.Question, answers)
	return c.speaker(ct).question(run, plan, run.Question, num, picks, lead), nil
}

// askQuestion asks the run's current question (replacing message editOf when set), which
// makes it the open prompt with the given picks, and returns the outbox id of what it sent.
func (c *conv) askQuestion(ct *Contact, run SurveyRun, plan SurveyPlan, lead string, editOf int64, picks []string) (int64, error) {
	m, err := c.questionMessage(ct, run, plan, picks, lead)
	if err != nil {
		return 0, err
	}
	return c.ask(ct, withPicks(run, run.Question, picks), m, editOf)
}

// answeredMessage is what question i becomes once answered (or closed): its line and the
// answer shown, without buttons.
func (c *conv) answeredMessage(ct *Contact, run SurveyRun, plan SurveyPlan, i int, shown string) (Message, error) {
	answers, err := c.runAnswers(run, plan)
	if err != nil {
		return Message{}, err
	}
	return c.speaker(ct).answered(numberOf(plan, i, answers), plan.Questions[i], shown), nil
}

// resumeSurvey asks a paused survey's question again, as a new message: the old one's
// buttons answer that the question has closed.
func (c *conv) resumeSurvey(ct *Contact, run SurveyRun) error {
	plan, ok := c.s.runPlan(run)
	if !ok || run.Question >= len(plan.Questions) {
		return c.finishRun(ct, run)
	}
	id, err := c.askQuestion(ct, run, plan, c.speaker(ct).t(KeySurveyResume, nil), 0, nil)
	if err != nil {
		return err
	}
	run.QuestionMsg = id
	return c.tx.UpdateRun(run)
}

// startWaiting sends the contact's oldest survey that fell due while another conversation
// was live.
func (c *conv) startWaiting(ct *Contact) error {
	runs, err := c.tx.Runs(RunFilter{ContactID: ct.ID, States: []RunState{RunScheduled}, DueTo: c.now.Add(time.Millisecond)})
	if err != nil || len(runs) == 0 {
		return err
	}
	if err := c.sendSurvey(runs[0]); err != nil {
		return err
	}
	// sendSurvey read its own copy of the contact; ours must not overwrite what it saved.
	fresh, err := c.tx.Contact(ct.ID)
	if err != nil {
		return err
	}
	*ct = fresh
	return nil
}

// startWaiting is next for due work that ended a conversation without a contact at hand
// (a complaint closed unanswered).
func (s *Service) startWaiting(tx Tx, contactID int64, now time.Time) error {
	ct, err := tx.Contact(contactID)
	if err != nil {
		return err
	}
	return s.at(tx, now).next(&ct)
}

// endSurveys skips the contact's scheduled runs and expires a live one, closing its
// question.
func (s *Service) endSurveys(tx Tx, contactID int64, reason string, now time.Time) error {
	runs, err := tx.Runs(RunFilter{ContactID: contactID, States: []RunState{RunScheduled, RunSent, RunInProgress}})
	if err != nil {
		return err
	}
	for _, r := range runs {
		live := r.State.Live()
		if r.State == RunScheduled {
			r.State, r.SkipReason = RunSkipped, reason
		} else {
			r.State, r.FinishedAt = RunExpired, now
		}
		if err := tx.UpdateRun(r); err != nil {
			return err
		}
		if live {
			if err := s.surveyEvent(tx, EventSurveyExpired, r, now); err != nil {
				return err
			}
		}
		if err := s.cancelJobs(tx, r.ID, JobSurveySend, JobSurveyRemind, JobSurveyExpire); err != nil {
			return err
		}
	}
	ct, err := tx.Contact(contactID)
	if err != nil {
		return err
	}
	return s.at(tx, now).settle(&ct)
}

// remind re-asks the open question of a live run once. A paused survey is not reminded:
// the person is busy with something else.
func (c *conv) remind(run SurveyRun) error {
	if !run.State.Live() || !run.RemindedAt.IsZero() {
		return nil
	}
	ct, err := c.tx.Contact(run.ContactID)
	if err != nil {
		return err
	}
	plan, ok := c.s.runPlan(run)
	if !ok || run.Question >= len(plan.Questions) || !c.isOpen(&ct, PendingSurvey, run.ID) {
		return nil
	}
	if later := c.s.set.Business.Quiet.After(c.now, c.s.location(ct.TimeZone)); !later.Equal(c.now) {
		if run.ExpiresAt.IsZero() || later.Before(run.ExpiresAt) {
			_, err := c.tx.AddJob(&Job{Kind: JobSurveyRemind, Subject: run.ID, DueAt: later})
			return err
		}
		return nil
	}
	old := run.QuestionMsg
	run.RemindedAt = c.now
	picks := picksOf(&ct, run, run.Question) // kept: the reminder shows what they picked
	if run.QuestionMsg, err = c.askQuestion(&ct, run, plan, c.speaker(&ct).t(KeySurveyReminder, nil), 0, picks); err != nil {
		return err
	}
	if err := c.tx.UpdateRun(run); err != nil {
		return err
	}
	if old == 0 {
		return nil
	}
	// The old buttons go; the reminder carries fresh ones. Cosmetic: after the reminder.
	m, err := c.questionMessage(&ct, run, plan, nil, "")
	if err != nil {
		return err
	}
	_, err = c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, EditOf: old,
		Message: Message{Text: m.Text}}, c.now)
	return err
}

// expire ends a run that got no (complete) answer in time.
func (c *conv) expire(run SurveyRun) error {
	if run.State != RunScheduled && !run.State.Live() {
		return nil
	}
	wasLive := run.State.Live()
	asked := run.QuestionMsg
	run.State, run.FinishedAt, run.QuestionMsg = RunExpired, c.now, 0
	if err := c.tx.UpdateRun(run); err != nil {
		return err
	}
	if !wasLive {
		return nil // never reached the customer: nothing happened that a receiver awaits
	}
	if err := c.s.surveyEvent(c.tx, EventSurveyExpired, run, c.now); err != nil {
		return err
	}
	ct, err := c.tx.Contact(run.ContactID)
	if err != nil {
		return err
	}
	plan, _ := c.s.runPlan(run)
	if asked != 0 && run.Question < len(plan.Questions) {
		m, err := c.answeredMessage(&ct, run, plan, run.Question, c.speaker(&ct).t(KeySurveyClosedShown, nil))
		if err != nil {
			return err
		}
		if _, err := c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, EditOf: asked,
			Message: m}, c.now); err != nil {
			return err
		}
	}
	return c.next(&ct)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
