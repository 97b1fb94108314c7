package core

import "slices"

// Option is one answer a choice question offers.
type Option struct {
	Key   string // what is stored and counted ("delivery")
	Label string // what the customer reads ("Delivery"), in the business's language
	// LabelIn holds the label in other languages (label: given as a map by language).
	LabelIn Localized `json:",omitempty"`
}

// Condition is a question's ask_if: it is asked only when the answer to the earlier question
// Question matches. AtMost and AtLeast compare a numeric answer (both set: a range); In lists
// option keys of a choice answer, any one of which matches.
type Condition struct {
	Question string
	AtMost   *int     `json:",omitempty"`
	AtLeast  *int     `json:",omitempty"`
	In       []string `json:",omitempty"`
}

// KindBounds returns the fixed range of a numeric kind (nps 0-10, csat 1-5, ces 1-7); ok is
// false for scale (its range is configured) and the other kinds.
func KindBounds(t QuestionType) (min, max int, ok bool) {
	switch t {
	case NPS:
		return 0, 10, true
	case CSAT:
		return 1, 5, true
	case CES:
		return 1, 7, true
	}
	return 0, 0, false
}

// Numeric reports whether the question is answered with a whole number from Min to Max.
func (q Question) Numeric() bool {
	switch q.Type {
	case Scale, NPS, CSAT, CES:
		return true
	}
	return false
}

// IsLow reports whether score is a low score of this question, one that offers a complaint:
// at or below threshold on a scale (threshold 0: never), a detractor (0-6) on nps, 1-2 on
// csat, 1-3 on ces.
func (q Question) IsLow(score, threshold int) bool {
	switch q.Type {
	case Scale:
		return threshold > 0 && score <= threshold
	case NPS:
		return score <= 6
	case CSAT:
		return score <= 2
	case CES:
		return score <= 3
	}
	return false
}

// Option returns the option with the given key.
func (q Question) Option(key string) (Option, bool) {
	for _, o := range q.Options {
		if o.Key == key {
			return o, true
		}
	}
	return Option{}, false
}

// Holds reports whether answer a (to the condition's question) matches. A skipped answer,
// or a missing one, never matches. A choice answer's Text holds its option keys, separated
// by commas.
func (c Condition) Holds(a Answer, found bool) bool {
	if !found || a.Skipped {
		return false
	}
	if len(c.In) > 0 {
		for _, k := range splitKeys(a.Text) {
			if slices.Contains(c.In, k) {
				return true
			}
		}
		return false
	}
	if a.Score == nil {
		return false
	}
	if c.AtMost != nil && *a.Score > *c.AtMost {
		return false
	}
	if c.AtLeast != nil && *a.Score < *c.AtLeast {
		return false
	}
	return c.AtMost != nil || c.AtLeast != nil
}

// splitKeys splits a stored choice answer into its option keys.
func splitKeys(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}

// nextAsked returns the index of the first question from i on that is to be asked, given the
// run's answers so far: questions whose ask_if fails are skipped. It returns
// len(plan.Questions) when none is left.
func nextAsked(plan SurveyPlan, i int, answers []Answer) int {
	for ; i < len(plan.Questions); i++ {
		c := plan.Questions[i].AskIf
		if c == nil {
			return i
		}
		var got Answer
		found := false
		for _, a := range answers {
			if a.QuestionKey == c.Question {
				got, found = a, true
			}
		}
		if c.Holds(got, found) {
			return i
		}
	}
	return i
}

// question returns the plan's question with the given key.
func (p SurveyPlan) question(key string) (Question, bool) {
	for _, q := range p.Questions {
		if q.Key == key {
			return q, true
		}
	}
	return Question{}, false
}

// isLow reports whether a scored answer is low by its question's kind.
func (p SurveyPlan) isLow(a Answer) bool {
	q, ok := p.question(a.QuestionKey)
	return ok && a.Score != nil && !p.NoLowScoreOffer && q.IsLow(*a.Score, p.LowScoreThreshold)
}

// canBeLow reports whether any answer to the plan could be low.
func (p SurveyPlan) canBeLow() bool {
	for _, q := range p.Questions {
		if q.Type == NPS || q.Type == CSAT || q.Type == CES || (q.Type == Scale && p.LowScoreThreshold > 0) {
			return true
		}
	}
	return false
}
