package core

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// buttonAnswer handles a survey button. Old buttons (another question, a finished run,
// someone else's run) do nothing harmful and store nothing.
func (s *Service) buttonAnswer(c *conv, ct *Contact, a action) error {
	run, err := c.tx.Run(a.id)
	if IsNotFound(err) || (err == nil && run.ContactID != ct.ID) {
		c.notice("This button isn't for you.")
		return nil
	} else if err != nil {
		return err
	}
	if !run.State.Live() {
		c.notice("This survey is closed. Thank you!")
		return nil
	}
	if a.q != run.Question {
		c.notice("You already answered that question.")
		return nil
	}
	plan, ok := s.set.Plan(run.Plan)
	if !ok || a.q >= len(plan.Questions) {
		c.notice("This survey is closed. Thank you!")
		return nil
	}
	q := plan.Questions[a.q]
	ans := Answer{RunID: run.ID, ContactID: ct.ID, Plan: run.Plan, QuestionKey: q.Key, AnsweredAt: c.now}
	switch {
	case a.val == "skip" && q.Optional:
		ans.Skipped = true
	case q.Type == Scale:
		v, ok := ParseScore(a.val, q.Min, q.Max)
		if !ok {
			c.notice("That button is not valid any more.")
			return nil
		}
		ans.Score = &v
	default:
		c.notice("Please type your answer.")
		return nil
	}
	c.resp.Notice = "Thanks!"
	return s.recordAnswer(c, ct, run, plan, ans)
}

// typedAnswer handles a typed message during a live survey.
func (s *Service) typedAnswer(c *conv, ct *Contact, run SurveyRun, text string) error {
	plan, ok := s.set.Plan(run.Plan)
	if !ok || run.Question >= len(plan.Questions) {
		return s.finishRun(c.tx, ct, run, c.now)
	}
	q := plan.Questions[run.Question]
	ans := Answer{RunID: run.ID, ContactID: ct.ID, Plan: run.Plan, QuestionKey: q.Key, AnsweredAt: c.now}
	switch {
	case q.Optional && strings.EqualFold(strings.Trim(text, " ./!"), "skip"):
		ans.Skipped = true
	case q.Type == Scale:
		v, ok := ParseScore(text, q.Min, q.Max)
		if !ok {
			return c.say("Sorry, I need a whole number from %d to %d for this one (for example %d). "+
				"You can also tap a button.", q.Min, q.Max, (q.Min+q.Max+1)/2)
		}
		ans.Score = &v
	default:
		ans.Text = text
	}
	return s.recordAnswer(c, ct, run, plan, ans)
}

// recordAnswer stores an answer, edits the question to show it, and asks the next question
// or finishes the run.
func (s *Service) recordAnswer(c *conv, ct *Contact, run SurveyRun, plan SurveyPlan, ans Answer) error {
	if err := c.tx.AddAnswer(&ans); err != nil {
		return fmt.Errorf("add answer: %w", err)
	}
	shown := "skipped"
	switch {
	case ans.Score != nil:
		shown = strconv.Itoa(*ans.Score)
	case ans.Text != "":
		shown = excerpt(ans.Text, 200)
	}
	if run.QuestionMsg != 0 {
		if _, err := c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID,
			EditOf: run.QuestionMsg, Message: answeredMessage(plan, run.Question, shown)}, c.now); err != nil {
			return err
		}
	}
	run.State = RunInProgress
	run.Question++
	if run.Question >= len(plan.Questions) {
		return s.finishRun(c.tx, ct, run, c.now)
	}
	id, err := s.askQuestion(c.tx, *ct, run, plan, c.now, "")
	if err != nil {
		return err
	}
	run.QuestionMsg = id
	return c.tx.UpdateRun(run)
}

// finishRun completes a run: thanks, and after a low score an offer to pass it on.
func (s *Service) finishRun(tx Tx, ct *Contact, run SurveyRun, now time.Time) error {
	run.State, run.FinishedAt, run.QuestionMsg = RunCompleted, now, 0
	if err := tx.UpdateRun(run); err != nil {
		return err
	}
	if err := tx.CancelJobs(JobSurveyRemind, run.ID); err != nil {
		return err
	}
	if err := tx.CancelJobs(JobSurveyExpire, run.ID); err != nil {
		return err
	}
	plan, _ := s.set.Plan(run.Plan)
	low, err := s.lowScores(tx, run, plan)
	if err != nil {
		return err
	}
	to := Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID}
	if len(low) == 0 {
		to.Message = Message{Text: "Thank you! Your answers help us get better."}
		if _, err := tx.Enqueue(to, now); err != nil {
			return err
		}
		return s.startWaiting(tx, ct.ID, now)
	}
	ct.Pending, ct.PendingRun, ct.PendingText, ct.PendingAt = PendingLowScore, run.ID, "", now
	if err := tx.UpdateContact(*ct); err != nil {
		return err
	}
	to.Message = Message{
		Text: "Thank you for your honesty — we're sorry we let you down. Shall we pass this to our team? " +
			"Tell us what went wrong in your next message, or tap a button.",
		Choices: []Choice{
			{Label: "Yes, tell the team", Payload: action{kind: "low", id: run.ID, val: "y"}.String(), Style: StylePrimary},
			{Label: "No, thanks", Payload: action{kind: "low", id: run.ID, val: "n"}.String()},
		},
	}
	_, err = tx.Enqueue(to, now)
	return err
}

// lowScores returns the run's scale answers at or below the plan's threshold.
func (s *Service) lowScores(tx Tx, run SurveyRun, plan SurveyPlan) ([]Answer, error) {
	if plan.LowScoreThreshold <= 0 {
		return nil, nil
	}
	answers, err := tx.Answers(run.ID, 0)
	if err != nil {
		return nil, err
	}
	var low []Answer
	for _, a := range answers {
		if a.Score != nil && *a.Score <= plan.LowScoreThreshold {
			low = append(low, a)
		}
	}
	return low, nil
}

// lowScoreSummary describes a run's answers for a complaint opened from its low score,
// marking the low ones.
func (s *Service) lowScoreSummary(tx Tx, runID int64) (string, error) {
	answers, err := tx.Answers(runID, 0)
	if err != nil {
		return "", err
	}
	plan, _ := s.set.Plan(answerPlan(answers))
	var scores, comments []string
	for _, a := range answers {
		switch {
		case a.Score != nil:
			max := 10
			for _, q := range plan.Questions {
				if q.Key == a.QuestionKey {
					max = q.Max
				}
			}
			score := fmt.Sprintf("%s %d/%d", a.QuestionKey, *a.Score, max)
			if *a.Score <= plan.LowScoreThreshold {
				score += " (low)"
			}
			scores = append(scores, score)
		case a.Text != "":
			comments = append(comments, a.Text)
		}
	}
	out := fmt.Sprintf("From the %q survey: %s.", plan.Name, strings.Join(scores, ", "))
	if len(comments) > 0 {
		out += " Comment: " + strings.Join(comments, " / ")
	}
	return out, nil
}

func answerPlan(as []Answer) string {
	if len(as) == 0 {
		return ""
	}
	return as[0].Plan
}
