package core

import (
	"fmt"
	"strconv"
	"strings"
)

// questionChoices returns a question's buttons (their payloads made by pay from a value)
// and the line under it that tells the range. The wording of every kind is here.
func questionChoices(q Question, pay func(string) string) ([]Choice, string) {
	var cs []Choice
	if q.Numeric() {
		for v := q.Min; v <= q.Max; v++ {
			cs = append(cs, Choice{Label: strconv.Itoa(v), Payload: pay(strconv.Itoa(v))})
		}
	}
	switch q.Type {
	case Scale:
		return cs, fmt.Sprintf("Tap a number or type it: %d is worst, %d is best.", q.Min, q.Max)
	case NPS:
		return cs, fmt.Sprintf("Tap a number or type it: %d is not at all likely, %d is extremely likely.", q.Min, q.Max)
	case CSAT:
		return cs, fmt.Sprintf("Tap a number or type it: %d is very dissatisfied, %d is very satisfied.", q.Min, q.Max)
	case CES:
		return cs, fmt.Sprintf("Tap a number or type it: %d is very difficult, %d is very easy.", q.Min, q.Max)
	case ChoiceType:
		if !q.Multiple {
			for i, o := range q.Options {
				cs = append(cs, Choice{Label: o.Label, Payload: pay("o" + strconv.Itoa(i))})
			}
			return cs, "Tap one, or type its number or name."
		}
		return cs, choiceHint(q)
	}
	return cs, "Type your answer."
}

// choiceHint tells how to answer a choice question by typing, with its options numbered.
func choiceHint(q Question) string {
	var opts []string
	for i, o := range q.Options {
		opts = append(opts, fmt.Sprintf("%d %s", i+1, o.Label))
	}
	if q.Multiple {
		return "Type the numbers or names of all that apply, like \"1, 3\": " + strings.Join(opts, " · ") + "."
	}
	return "Type its number or name: " + strings.Join(opts, " · ") + "."
}
