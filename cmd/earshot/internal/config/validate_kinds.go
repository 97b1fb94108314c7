package config

import (
	"fmt"
	"slices"
)

// maxOptions is the most options a choice question offers: Discord shows 5 rows of 5
// buttons, one row left for Skip and Done.
const maxOptions = 20

// validateOptions checks a choice question's options: at least two, at most maxOptions,
// distinct keys like question keys (their labels: validateTexts).
func validateOptions(p *problems, path string, q Question) {
	if len(q.Options) < 2 {
		p.add(path+".options", "a choice question offers at least 2 options ({key, label} each)")
		return
	}
	if len(q.Options) > maxOptions {
		p.add(path+".options", "%d options: at most %d fit as buttons", len(q.Options), maxOptions)
	}
	seen := map[string]bool{}
	for i, o := range q.Options {
		opath := fmt.Sprintf("%s.options[%d]", path, i)
		switch {
		case !questionKey.MatchString(o.Key):
			p.add(opath+".key", "%q: use lower-case letters, digits and _ starting with a letter (like delivery)", o.Key)
		case seen[o.Key]:
			p.add(opath+".key", "%q is already an option of this question", o.Key)
		}
		seen[o.Key] = true
	}
}

// validateAskIf checks a question's ask_if: it names an earlier question of the plan and
// compares what that kind can be compared by — at_most/at_least within a numeric kind's
// range, in with option keys of a choice.
func validateAskIf(p *problems, path string, q Question, earlier []Question) {
	if !q.askIfSet {
		return
	}
	path += ".ask_if"
	a := q.AskIf
	i := slices.IndexFunc(earlier, func(e Question) bool { return e.Key == a.Question })
	if i < 0 {
		p.add(path+".question", "%q is not an earlier question of this survey", a.Question)
		return
	}
	ref := earlier[i]
	numeric := a.atMostSet || a.atLeastSet
	switch {
	case ref.Type == "choice":
		if numeric {
			p.add(path, "question %q is a choice: compare it with in: [option keys], not at_most or at_least", ref.Key)
			return
		}
		if len(a.In) == 0 {
			p.add(path+".in", "empty: list the options of %q that ask this question", ref.Key)
		}
		for j, k := range a.In {
			if !slices.ContainsFunc(ref.Options, func(o Option) bool { return o.Key == k }) {
				p.add(fmt.Sprintf("%s.in[%d]", path, j), "%q is not an option of question %q", k, ref.Key)
			}
		}
	case ref.Type == "text":
		p.add(path+".question", "question %q is a text question: ask_if can only compare scores and choices", ref.Key)
	default:
		if len(a.In) > 0 {
			p.add(path+".in", "question %q is a %s question: compare it with at_most or at_least", ref.Key, ref.Type)
			return
		}
		if !numeric {
			p.add(path, "write at_most or at_least (for question %q, %d-%d)", ref.Key, ref.Min, ref.Max)
			return
		}
		check := func(key string, set bool, v int) {
			if set && (v < ref.Min || v > ref.Max) {
				p.add(path+"."+key, "%d is outside question %q's range %d-%d", v, ref.Key, ref.Min, ref.Max)
			}
		}
		check("at_most", a.atMostSet, a.AtMost)
		check("at_least", a.atLeastSet, a.AtLeast)
		if a.atMostSet && a.atLeastSet && a.AtLeast > a.AtMost {
			p.add(path, "at_least %d is above at_most %d: the question would never be asked", a.AtLeast, a.AtMost)
		}
	}
}
