package core

import (
	"fmt"
	"strconv"
	"strings"
)

// buttonAnswer handles a survey button. Old buttons (another question, a finished run, a
// paused survey, someone else's run) do nothing harmful and store nothing. On a multiple
// choice an option's button toggles it and Done answers with the options picked.
func (c *conv) buttonAnswer(ct *Contact, a action) error {
	run, err := c.tx.Run(a.id)
	if IsNotFound(err) || (err == nil && run.ContactID != ct.ID) {
		c.notice(c.t(KeySurveyNotYours, nil))
		return nil
	} else if err != nil {
		return err
	}
	if !run.State.Live() {
		c.notice(c.t(KeySurveyClosed, nil))
		return nil
	}
	if a.q != run.Question {
		c.notice(c.t(KeySurveyAlreadyAnswered, nil))
		return nil
	}
	plan, ok := c.s.runPlan(run)
	if !ok || a.q >= len(plan.Questions) {
		c.notice(c.t(KeySurveyClosed, nil))
		return nil
	}
	if !c.isOpen(ct, PendingSurvey, run.ID) {
		c.noticeT(KeyPromptClosed, nil)
		return nil
	}
	q := plan.Questions[a.q]
	sp := c.speaker(ct)
	ans := Answer{RunID: run.ID, ContactID: ct.ID, Plan: run.Plan, QuestionKey: q.Key, AnsweredAt: c.now}
	switch {
	case a.val == "skip" && q.Optional:
		ans.Skipped = true
	case q.Numeric():
		v, ok := ParseScore(a.val, q.Min, q.Max)
		if !ok {
			c.notice(sp.t(KeySurveyButtonInvalid, nil))
			return nil
		}
		ans.Score = &v
	case q.Type == ChoiceType && !q.Multiple && strings.HasPrefix(a.val, "o"):
		o, ok := optionAt(q, a.val[1:])
		if !ok {
			c.notice(sp.t(KeySurveyButtonInvalid, nil))
			return nil
		}
		ans.Text = o.Key
	case q.Type == ChoiceType && q.Multiple && strings.HasPrefix(a.val, "t"):
		o, ok := optionAt(q, a.val[1:])
		if !ok {
			c.notice(sp.t(KeySurveyButtonInvalid, nil))
			return nil
		}
		return c.togglePick(ct, run, plan, o)
	case q.Type == ChoiceType && q.Multiple && a.val == "done":
		picks := picksOf(ct, run, a.q)
		if len(picks) == 0 && !q.Optional {
			c.notice(sp.t(KeySurveyPickFirst, nil))
			return nil
		}
		ans.Text, ans.Skipped = joinKeys(picks), len(picks) == 0 // optional: Done with none is a skip
	default:
		c.notice(sp.t(KeySurveyTypeAnswer, nil))
		return nil
	}
	c.resp.Notice = sp.t(KeySurveyThanksNotice, nil)
	return c.recordAnswer(ct, run, plan, ans)
}

// optionAt returns the option a button's index names.
func optionAt(q Question, index string) (Option, bool) {
	i, err := strconv.Atoi(index)
	if err != nil || i < 0 || i >= len(q.Options) {
		return Option{}, false
	}
	return q.Options[i], true
}

// togglePick picks an option of the open multiple choice, or unpicks it, keeps the picks in
// the prompt and edits the question to show them ticked. Nothing is recorded until Done.
func (c *conv) togglePick(ct *Contact, run SurveyRun, plan SurveyPlan, o Option) error {
	sp := c.speaker(ct)
	q := plan.Questions[run.Question]
	was := picksOf(ct, run, run.Question)
	picks := toggle(q, was, o.Key)
	if err := c.open(ct, withPicks(run, run.Question, picks)); err != nil {
		return err
	}
	if picked(was, o.Key) {
		c.resp.Notice = sp.t(KeySurveyUnpicked, Args{"Label": o.LabelFor(sp.lang)})
	} else {
		c.resp.Notice = sp.t(KeySurveyPicked, Args{"Label": o.LabelFor(sp.lang)})
	}
	if run.QuestionMsg == 0 {
		return nil
	}
	m, err := c.questionMessage(ct, run, plan, picks, "")
	if err != nil {
		return err
	}
	_, err = c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, EditOf: run.QuestionMsg, Message: m}, c.now)
	return err
}

// typedAnswer handles a typed message to the open survey question. A multiple choice typed
// ("1, 3") is answered at once, whatever was picked by buttons.
func (c *conv) typedAnswer(ct *Contact, run SurveyRun, text string) error {
	plan, ok := c.s.runPlan(run)
	if !ok || run.Question >= len(plan.Questions) {
		return c.finishRun(ct, run)
	}
	sp := c.speaker(ct)
	q := plan.Questions[run.Question]
	ans := Answer{RunID: run.ID, ContactID: ct.ID, Plan: run.Plan, QuestionKey: q.Key, AnsweredAt: c.now}
	switch {
	case q.Optional && isSkip(text, sp):
		ans.Skipped = true
	case q.Numeric():
		v, ok := ParseTypedScore(text, q.Min, q.Max)
		if !ok {
			return c.reply(Message{Text: sp.t(KeySurveyNeedNumber, Args{"Min": q.Min, "Max": q.Max, "Example": (q.Min + q.Max + 1) / 2})})
		}
		ans.Score = &v
	case q.Type == ChoiceType:
		keys, ok := ParseChoice(text, q.Options, q.Multiple)
		if !ok {
			return c.reply(Message{Text: sp.t(KeySurveyUnknownOption, Args{"Hint": sp.choiceHint(q)})})
		}
		ans.Text = joinKeys(keys)
	default:
		ans.Text = text
	}
	return c.recordAnswer(ct, run, plan, ans)
}

// isSkip reports whether a typed message skips an optional question: "skip", or the Skip
// button's word in the customer's language.
func isSkip(text string, sp asking) bool {
	t := strings.Trim(text, " ./!")
	return strings.EqualFold(t, "skip") || strings.EqualFold(t, sp.t(KeySurveySkip, nil))
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
	sp := c.speaker(ct)
	shown := sp.shown(plan.Questions[run.Question], ans)
	answers, err := c.runAnswers(run, plan)
	if err != nil {
		return err
	}
	pressed := c.in.Action != ""
	answered, asked := run.Question, run.QuestionMsg
	done := sp.answered(numberOf(plan, answered, answers), plan.Questions[answered], shown)
	run.State = RunInProgress
	run.Question = nextAsked(plan, run.Question+1, answers)
	if run.Question >= len(plan.Questions) {
		if err := c.finishRun(ct, run); err != nil {
			return err
		}
		if !pressed || asked == 0 {
			return nil
		}
		_, err := c.tx.Enqueue(Outgoing{To: ChatRef(ct.Ref), DM: true, ContactID: ct.ID, EditOf: asked,
			Message: done}, c.now)
		return err
	}
	if pressed && asked != 0 {
		if _, err := c.askQuestion(ct, run, plan, done.Text, asked, nil); err != nil {
			return err
		}
	} else {
		id, err := c.askQuestion(ct, run, plan, "", 0, nil)
		if err != nil {
			return err
		}
		run.QuestionMsg = id
	}
	return c.tx.UpdateRun(run)
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
			Message: Message{Text: c.speaker(ct).t(KeySurveyThanks, nil)}}, c.now); err != nil {
			return err
		}
		return c.next(ct)
	}
	sp := c.speaker(ct)
	_, err = c.ask(ct, prompt{kind: PendingLowScore, run: run.ID}, Message{
		Text: sp.t(KeySurveyLowOffer, nil),
		Choices: []Choice{
			{Label: sp.t(KeySurveyLowYes, nil), Payload: action{kind: "low", id: run.ID, val: "y"}.String(), Style: StylePrimary},
			{Label: sp.t(KeySurveyLowNo, nil), Payload: action{kind: "low", id: run.ID, val: "n"}.String()},
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
	team := asking{texts: c.s.texts, lang: c.s.teamLang()}
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
				score = team.t(KeySurveyScoreLow, Args{"Score": score})
			}
			scores = append(scores, score)
		case a.Text != "":
			if q, ok := plan.question(a.QuestionKey); ok && q.Type == ChoiceType {
				scores = append(scores, a.QuestionKey+" "+team.labels(q, a.Text))
				continue
			}
			comments = append(comments, a.Text)
		}
	}
	out := team.t(KeySurveySummary, Args{"Plan": plan.Name, "Scores": strings.Join(scores, ", ")})
	if len(comments) > 0 {
		out += " " + team.t(KeySurveySummaryComment, Args{"Comments": strings.Join(comments, " / ")})
	}
	return out, nil
}

func answerPlan(as []Answer) string {
	if len(as) == 0 {
		return ""
	}
	return as[0].Plan
}
