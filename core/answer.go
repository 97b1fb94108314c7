package core

import (
	"fmt"
	"strconv"
	"strings"
)

// buttonAnswer handles a survey button. Old buttons (another question, a finished run, a
// paused survey, someone else's run) do nothing harmful and store nothing.
func (c *conv) buttonAnswer(ct *Contact, a action) error {
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
	plan, ok := c.s.runPlan(run)
	if !ok || a.q >= len(plan.Questions) {
		c.notice("This survey is closed. Thank you!")
		return nil
	}
	if !c.isOpen(ct, PendingSurvey, run.ID) {
		c.notice(closedNotice)
		return nil
	}
	q := plan.Questions[a.q]
	ans := Answer{RunID: run.ID, ContactID: ct.ID, Plan: run.Plan, QuestionKey: q.Key, AnsweredAt: c.now}
	switch {
	case a.val == "skip" && q.Optional:
		ans.Skipped = true
	case q.Numeric():
		v, ok := ParseScore(a.val, q.Min, q.Max)
		if !ok {
			c.notice("That button is not valid any more.")
			return nil
		}
		ans.Score = &v
	case q.Type == ChoiceType && !q.Multiple && strings.HasPrefix(a.val, "o"):
		i, err := strconv.Atoi(a.val[1:])
		if err != nil || i < 0 || i >= len(q.Options) {
			c.notice("That button is not valid any more.")
			return nil
		}
		ans.Text = q.Options[i].Key
	default:
		c.notice("Please type your answer.")
		return nil
	}
	c.resp.Notice = "Thanks!"
	return c.recordAnswer(ct, run, plan, ans)
}

// typedAnswer handles a typed message to the open survey question.
func (c *conv) typedAnswer(ct *Contact, run SurveyRun, text string) error {
	plan, ok := c.s.runPlan(run)
	if !ok || run.Question >= len(plan.Questions) {
		return c.finishRun(ct, run)
	}
	q := plan.Questions[run.Question]
	ans := Answer{RunID: run.ID, ContactID: ct.ID, Plan: run.Plan, QuestionKey: q.Key, AnsweredAt: c.now}
	switch {
	case q.Optional && strings.EqualFold(strings.Trim(text, " ./!"), "skip"):
		ans.Skipped = true
	case q.Numeric():
		v, ok := ParseScore(text, q.Min, q.Max)
		if !ok {
			return c.say("Sorry, I need a whole number from %d to %d for this one (for example %d). "+
				"You can also tap a button.", q.Min, q.Max, (q.Min+q.Max+1)/2)
		}
		ans.Score = &v
	case q.Type == ChoiceType:
		keys, ok := ParseChoice(text, q.Options, q.Multiple)
		if !ok {
			return c.say("Sorry, I didn't recognise that option. %s", choiceHint(q))
		}
		ans.Text = joinKeys(keys)
	default:
		ans.Text = text
	}
	return c.recordAnswer(ct, run, plan, ans)
}

// recordAnswer stores an answer and asks the next question or finishes the run, in one
// platform call where it can:
//   - after a button, the person is looking at the question they pressed: it is edited in
//     place into the next question, its first line showing the answer;
//   - after a typed answer, their words are in the chat under the question: the next
//     question follows them as a new message, and the old question stays as it was (its
//     buttons answer "you already answered").
//
// The last answer's thanks (or low-score offer) is a new message; after a button, the
// question is then edited to show the answer without buttons — enqueued after the thanks,
// since per chat messages go out in the order they are written and the edit is cosmetic.
func (c *conv) recordAnswer(ct *Contact, run SurveyRun, plan SurveyPlan, ans Answer) error {
	if err := c.tx.AddAnswer(&ans); err != nil {
		return fmt.Errorf("add answer: %w", err)
	}
	shown := "skipped"
	q := plan.Questions[run.Question]
	switch {
	case ans.Score != nil:
		shown = strconv.Itoa(*ans.Score)
	case ans.Text != "" && q.Type == ChoiceType:
		shown = choiceLabels(q, ans.Text)
	case ans.Text != "":
		shown = excerpt(ans.Text, 200)
	}
	pressed := c.in.Action != ""
	answered, asked := run.Question, run.QuestionMsg
	run.State = RunInProgress
	next, err := c.nextQuestion(run, plan, run.Question+1)
	if err != nil {
		return err
	}
	run.Question = next
	if run.Question >= len(plan.Questions) {
		if err := c.finishRun(ct, run); err != nil {
			return err
		}
		if !pressed || asked == 0 {
			return nil
		}
		_, err := c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, EditOf: asked,
			Message: answeredMessage(plan, answered, shown)}, c.now)
		return err
	}
	if pressed && asked != 0 {
		lead := answeredMessage(plan, answered, shown).Text
		if _, err := c.askQuestion(ct, run, plan, lead, asked); err != nil {
			return err
		}
	} else {
		id, err := c.askQuestion(ct, run, plan, "", 0)
		if err != nil {
			return err
		}
		run.QuestionMsg = id
	}
	return c.tx.UpdateRun(run)
}

// nextQuestion returns the index of the first question from i on whose ask_if holds for the
// run's answers (len(plan.Questions) when none is left). The answers are read only when a
// question is conditional.
func (c *conv) nextQuestion(run SurveyRun, plan SurveyPlan, i int) (int, error) {
	conditional := false
	for _, q := range plan.Questions[min(i, len(plan.Questions)):] {
		conditional = conditional || q.AskIf != nil
	}
	if !conditional {
		return i, nil
	}
	answers, err := c.tx.Answers(run.ID, 0)
	if err != nil {
		return 0, fmt.Errorf("next question: %w", err)
	}
	return nextAsked(plan, i, answers), nil
}

// finishRun completes a run: thanks, and after a low score an offer to pass it on.
func (c *conv) finishRun(ct *Contact, run SurveyRun) error {
	run.State, run.FinishedAt, run.QuestionMsg = RunCompleted, c.now, 0
	if err := c.tx.UpdateRun(run); err != nil {
		return err
	}
	if err := c.s.surveyEvent(c.tx, EventSurveyCompleted, run, c.now); err != nil {
		return err
	}
	if err := c.s.cancelJobs(c.tx, run.ID, JobSurveyRemind, JobSurveyExpire); err != nil {
		return err
	}
	plan, _ := c.s.runPlan(run)
	low, err := c.lowScores(run, plan)
	if err != nil {
		return err
	}
	if len(low) == 0 {
		if err := c.closePrompt(ct); err != nil {
			return err
		}
		if _, err := c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID,
			Message: Message{Text: "Thank you! Your answers help us get better."}}, c.now); err != nil {
			return err
		}
		return c.next(ct)
	}
	_, err = c.ask(ct, prompt{kind: PendingLowScore, run: run.ID}, Message{
		Text: "Thank you for your honesty — we're sorry we let you down. Shall we pass this to our team? " +
			"Tell us what went wrong in your next message, or tap a button.",
		Choices: []Choice{
			{Label: "Yes, tell the team", Payload: action{kind: "low", id: run.ID, val: "y"}.String(), Style: StylePrimary},
			{Label: "No, thanks", Payload: action{kind: "low", id: run.ID, val: "n"}.String()},
		},
	}, 0)
	return err
}

// lowScores returns the run's low answers, by each question's kind (Question.IsLow).
func (c *conv) lowScores(run SurveyRun, plan SurveyPlan) ([]Answer, error) {
	if plan.NoLowScoreOffer || !plan.canBeLow() {
		return nil, nil
	}
	answers, err := c.tx.Answers(run.ID, 0)
	if err != nil {
		return nil, err
	}
	var low []Answer
	for _, a := range answers {
		if a.Score != nil && plan.isLow(a) {
			low = append(low, a)
		}
	}
	return low, nil
}

// lowScoreSummary describes a run's answers for a complaint opened from its low score,
// marking the low ones.
func (c *conv) lowScoreSummary(runID int64) (string, error) {
	answers, err := c.tx.Answers(runID, 0)
	if err != nil {
		return "", err
	}
	plan, _ := c.s.set.Plan(answerPlan(answers))
	if run, err := c.tx.Run(runID); err == nil {
		plan, _ = c.s.runPlan(run)
	}
	var scores, comments []string
	for _, a := range answers {
		switch {
		case a.Score != nil:
			max := 10
			if q, ok := plan.question(a.QuestionKey); ok {
				max = q.Max
			}
			score := fmt.Sprintf("%s %d/%d", a.QuestionKey, *a.Score, max)
			if plan.isLow(a) {
				score += " (low)"
			}
			scores = append(scores, score)
		case a.Text != "":
			if q, ok := plan.question(a.QuestionKey); ok && q.Type == ChoiceType {
				scores = append(scores, a.QuestionKey+" "+choiceLabels(q, a.Text))
				continue
			}
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
