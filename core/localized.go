package core

// Localized is a text the business wrote itself (a question, an option's label, a survey's
// intro), by language, beside the one in the business's language. The configuration gives
// such a text as a string (every language reads it) or as a map by language.
type Localized map[Lang]string

// In returns the text in lang, or def (the business's language's text) when there is none.
func (l Localized) In(lang Lang, def string) string {
	if s, ok := l[lang]; ok && s != "" {
		return s
	}
	return def
}

// TextFor returns the question's text in lang.
func (q Question) TextFor(lang Lang) string { return q.TextIn.In(lang, q.Text) }

// LabelFor returns the option's label in lang.
func (o Option) LabelFor(lang Lang) string { return o.LabelIn.In(lang, o.Label) }

// IntroFor returns the plan's intro in lang ("" when the plan has none).
func (p SurveyPlan) IntroFor(lang Lang) string { return p.IntroIn.In(lang, p.Intro) }
