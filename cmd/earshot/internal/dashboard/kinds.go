package dashboard

import (
	"earshot/cmd/earshot/internal/chart"
	"earshot/core"
)

// The figures of the question kinds that are not averages, shown by templates/kinds.html:
// an NPS with its promoters, passives and detractors, a CSAT with its satisfied answers (on
// their trend charts), and each choice's options with how often they were picked.

// choiceView is one choice question's week.
type choiceView struct {
	Key, Title string
	Responses  int
	Multiple   bool
	Options    []choiceOption
}

// choiceOption is one option's picks: this week, the week before and its share of the
// week's answers.
type choiceOption struct {
	Label           string
	Count, Previous int
	Share           string // "40 %", or "–" without answers
}

// addKindFigures writes the NPS and CSAT splits into their dimensions' views and the choices'
// counts, from d's figures.
func (h *Handler) addKindFigures(v *pageView, d core.Dashboard, w pageWords) {
	figures := map[string]core.Dimension{}
	for _, f := range d.Figures {
		figures[f.Key] = f
	}
	for i, dv := range v.Dimensions {
		v.Dimensions[i].Lang = w.lang
		f, ok := figures[dv.Key]
		if !ok {
			continue
		}
		switch f.Kind {
		case core.NPS:
			v.Dimensions[i].Split = w.t(core.KeyPageNPSSplit, core.Args{"Promoters": f.Promoters, "Passives": f.Passives, "Detractors": f.Detractors})
			if f.NPS != nil && *f.NPS > 0 {
				v.Dimensions[i].Latest = "+" + v.Dimensions[i].Latest
			}
		case core.CSAT:
			v.Dimensions[i].Split = w.t(core.KeyPageCSATSplit, core.Args{"Satisfied": f.Satisfied, "Responses": f.Responses})
		}
	}
	for _, f := range d.Figures {
		if f.Kind != core.ChoiceType {
			continue
		}
		q := h.question(f.Key)
		cv := choiceView{Key: f.Key, Title: chart.Title(f.Key), Responses: f.Responses, Multiple: q.Multiple}
		for _, o := range f.Options {
			co := choiceOption{Label: o.Key, Count: o.Count, Previous: o.Previous, Share: dash}
			if opt, ok := q.Option(o.Key); ok {
				co.Label = opt.LabelFor(w.lang)
			}
			if f.Responses > 0 {
				share := float64(o.Count) / float64(f.Responses)
				co.Share = w.percent(&share, 100)
			}
			cv.Options = append(cv.Options, co)
		}
		v.Choices = append(v.Choices, cv)
	}
}

// question returns the configured question with the key (the first plan's that asks it).
func (h *Handler) question(key string) core.Question {
	for _, p := range h.svc.Settings().Surveys {
		for _, q := range p.Questions {
			if q.Key == key {
				return q
			}
		}
	}
	return core.Question{Key: key}
}
