package core

import (
	"strconv"
	"strings"
)

// How a question is shown, kind by kind. Every word of it is a key rendered in the
// customer's language; the question's text and its options' labels are the business's own
// (TextFor, LabelFor).

// asking is what rendering a question needs: the words, in whose language.
type asking struct {
	texts Texts
	lang  Lang
}

func (a asking) t(key Key, args Args) string { return a.texts.Text(a.lang, key, args) }

// question renders question i of plan for run, numbered num, with its buttons; picks are the
// options picked so far on a multiple choice (shown ticked). lead, when set, goes above.
func (a asking) question(run SurveyRun, plan SurveyPlan, i int, num numbering, picks []string, lead string) Message {
	q := plan.Questions[i]
	m := Message{Text: a.numbered(num, q)}
	if lead != "" {
		m.Text = lead + "\n" + m.Text
	}
	pay := func(v string) string { return action{kind: "s", id: run.ID, q: i, val: v}.String() }
	m.Choices, m.Footer = a.choices(q, pay, picks)
	if q.Optional {
		m.Choices = append(m.Choices, Choice{Label: a.t(KeySurveySkip, nil), Payload: pay("skip")})
		m.Footer += " " + a.t(KeySurveyOptional, nil)
	}
	return m
}

// numbered is a question's first line: "2/3 · How easy was it?".
func (a asking) numbered(num numbering, q Question) string {
	return a.t(KeySurveyNumbered, Args{"N": num.n, "Total": num.total, "Text": q.TextFor(a.lang)})
}

// answered is what an answered question is edited into: its line and the answer, no buttons.
func (a asking) answered(num numbering, q Question, shown string) Message {
	return Message{Text: a.numbered(num, q) + "\n" + a.t(KeySurveyAnswered, Args{"Answer": shown})}
}

// choices returns a question's buttons (their payloads made by pay from a value) and the
// line under it that tells the range or how to answer.
func (a asking) choices(q Question, pay func(string) string, picks []string) ([]Choice, string) {
	var cs []Choice
	if q.Numeric() {
		for v := q.Min; v <= q.Max; v++ {
			cs = append(cs, Choice{Label: strconv.Itoa(v), Payload: pay(strconv.Itoa(v))})
		}
	}
	rng := Args{"Min": q.Min, "Max": q.Max}
	switch q.Type {
	case Scale:
		return cs, a.t(KeyHintScale, rng)
	case NPS:
		return cs, a.t(KeyHintNPS, rng)
	case CSAT:
		return cs, a.t(KeyHintCSAT, rng)
	case CES:
		return cs, a.t(KeyHintCES, rng)
	case ChoiceType:
		if !q.Multiple {
			for i, o := range q.Options {
				cs = append(cs, Choice{Label: o.LabelFor(a.lang), Payload: pay("o" + strconv.Itoa(i))})
			}
			return cs, a.t(KeyHintChoice, nil)
		}
		for i, o := range q.Options {
			label := o.LabelFor(a.lang)
			if picked(picks, o.Key) {
				label = "✓ " + label
			}
			cs = append(cs, Choice{Label: label, Payload: pay("t" + strconv.Itoa(i))})
		}
		cs = append(cs, Choice{Label: a.t(KeySurveyDone, nil), Payload: pay("done"), Style: StylePrimary})
		return cs, a.t(KeyHintMultiple, Args{"Options": a.optionList(q)})
	}
	return cs, a.t(KeyHintText, nil)
}

// choiceHint tells how to answer a choice question by typing, with its options numbered.
func (a asking) choiceHint(q Question) string {
	if q.Multiple {
		return a.t(KeyHintMultipleTyped, Args{"Options": a.optionList(q)})
	}
	return a.t(KeyHintChoiceTyped, Args{"Options": a.optionList(q)})
}

// optionList numbers a question's options: "1 Delivery · 2 Our staff".
func (a asking) optionList(q Question) string {
	var opts []string
	for i, o := range q.Options {
		opts = append(opts, strconv.Itoa(i+1)+" "+o.LabelFor(a.lang))
	}
	return strings.Join(opts, " · ")
}

// labels returns the labels of a stored choice answer's keys, joined for display.
func (a asking) labels(q Question, stored string) string {
	var out []string
	for _, k := range splitKeys(stored) {
		if o, ok := q.Option(k); ok {
			out = append(out, o.LabelFor(a.lang))
		} else {
			out = append(out, k)
		}
	}
	return strings.Join(out, ", ")
}

// shown is how an answer reads under its question: the score, the options' labels, the
// text, or that it was skipped.
func (a asking) shown(q Question, ans Answer) string {
	switch {
	case ans.Score != nil:
		return strconv.Itoa(*ans.Score)
	case ans.Text != "" && q.Type == ChoiceType:
		return a.labels(q, ans.Text)
	case ans.Text != "":
		return excerpt(ans.Text, 200)
	}
	return a.t(KeySurveySkippedShow, nil)
}
