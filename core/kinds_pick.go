package core

import (
	"slices"
	"strconv"
	"strings"
)

// numbering is a question's place among the questions a run asks: "2/3".
type numbering struct{ n, total int }

// numberOf numbers question i of plan, given the run's answers (only those to questions
// before i are looked at, so a question keeps its number once answered). A question whose
// ask_if failed is not counted. A later question whose ask_if depends on an answer not given
// yet is counted: the total is what may still be asked, and it can only shrink as answers
// come in ("1/4", then "2/2" when a promoter's follow-ups fall away), never grow.
func numberOf(plan SurveyPlan, i int, answers []Answer) numbering {
	qs := plan.Questions
	conditional := false
	for _, q := range qs {
		conditional = conditional || q.AskIf != nil
	}
	if !conditional {
		return numbering{n: i + 1, total: len(qs)}
	}
	index := map[string]int{}
	for j, q := range qs {
		index[q.Key] = j
	}
	got := map[string]Answer{}
	for _, a := range answers {
		if j, ok := index[a.QuestionKey]; ok && j < i {
			got[a.QuestionKey] = a
		}
	}
	// counted[j]: question j was asked (j < i) or may still be (j > i).
	counted := make([]bool, len(qs))
	num := numbering{n: 1}
	for j, q := range qs {
		switch {
		case j < i:
			_, counted[j] = got[q.Key]
			if counted[j] {
				num.n++
			}
			continue
		case j == i || q.AskIf == nil:
			counted[j] = true
		default:
			k, ok := index[q.AskIf.Question]
			switch {
			case !ok || k >= j:
				counted[j] = false // not a valid condition (config check refuses it)
			case k < i:
				a, found := got[q.AskIf.Question]
				counted[j] = q.AskIf.Holds(a, found)
			default:
				counted[j] = counted[k] // unknown yet: counted unless its question never comes
			}
		}
		if counted[j] {
			num.total++
		}
	}
	num.total += num.n - 1
	return num
}

// Picks: a multiple choice is answered by toggling options and then Done. The options
// picked so far are kept in the open survey prompt (Contact.PendingText, as "Q:key,key"
// with Q the question's index), so they survive a restart and belong to one question only:
// asking the next question opens a prompt without them.

// picksOf returns the options picked so far on question i of run.
func picksOf(ct *Contact, run SurveyRun, i int) []string {
	if ct.Pending != PendingSurvey || ct.PendingRun != run.ID {
		return nil
	}
	q, keys, ok := strings.Cut(ct.PendingText, ":")
	if !ok || q != strconv.Itoa(i) {
		return nil
	}
	return splitKeys(keys)
}

// withPicks is the survey prompt on question i with the given options picked.
func withPicks(run SurveyRun, i int, keys []string) prompt {
	p := prompt{kind: PendingSurvey, run: run.ID}
	if len(keys) > 0 {
		p.text = strconv.Itoa(i) + ":" + joinKeys(keys)
	}
	return p
}

// toggle picks key, or unpicks it when it was picked, keeping the options' order.
func toggle(q Question, picks []string, key string) []string {
	var out []string
	for _, o := range q.Options {
		if (o.Key == key) != picked(picks, o.Key) {
			out = append(out, o.Key)
		}
	}
	return out
}

func picked(picks []string, key string) bool { return slices.Contains(picks, key) }
