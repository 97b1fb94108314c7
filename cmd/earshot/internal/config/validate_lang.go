package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"earshot/bots/i18n"
	"earshot/core"
)

// Offered lists the languages offered to customers: business.language first, then the
// others of business.languages, each once.
func (c *Config) Offered() []string {
	out := []string{c.Business.Language}
	for _, l := range c.Business.Languages {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

func speaks(l string) bool { return slices.Contains(i18n.Supported, core.Lang(l)) }

func supportedList() string {
	s := make([]string, len(i18n.Supported))
	for i, l := range i18n.Supported {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

// validateLanguages checks business.language and business.languages against the languages
// earshot has catalogs for, and the messages: overrides against the catalogs.
func (c *Config) validateLanguages(p *problems) {
	ok := true
	switch l := c.Business.Language; {
	case strings.TrimSpace(l) == "":
		p.add("business.language", "empty: use a language code like en (earshot speaks %s)", supportedList())
		ok = false
	case !speaks(l):
		p.add("business.language", "%q: earshot speaks %s", l, supportedList())
		ok = false
	}
	for i, l := range c.Business.Languages {
		path := fmt.Sprintf("business.languages[%d]", i)
		switch {
		case !speaks(l):
			p.add(path, "%q: earshot speaks %s", l, supportedList())
			ok = false
		case slices.Index(c.Business.Languages, l) < i:
			p.add(path, "%q is listed twice", l)
		}
	}
	if ok && len(c.Messages) > 0 {
		c.validateMessages(p)
	}
}

// validateMessages builds the catalogs with the overrides and names each problem by its
// path (messages.de.complaint_received).
func (c *Config) validateMessages(p *problems) {
	_, err := i18n.New(c.textOptions())
	if err == nil {
		return
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	keys := map[string]int{}
	for i, k := range i18n.Keys() {
		keys[k] = i
	}
	for _, e := range errs {
		var oe *i18n.OverrideError
		if !errors.As(e, &oe) {
			p.add("messages", "%v", e)
			continue
		}
		reason := oe.Reason
		if _, known := keys[string(oe.Key)]; oe.Key != "" && !known {
			reason += suggest(string(oe.Key), keys)
		}
		p.add(oe.Path(), "%s", reason)
	}
}

// validateTexts checks every text of the surveys: a question's text and an option's label
// are not empty (a label at most 80 characters, a button's text on Discord and Slack), an
// intro is one line of at most 200 characters, and a text written as a map is in
// languages earshot speaks and has every offered one.
func (c *Config) validateTexts(p *problems) {
	for i, s := range c.Surveys {
		path := fmt.Sprintf("surveys[%d]", i)
		c.checkText(p, path+".intro", s.Intro, func(path, t string) {
			if n := utf8.RuneCountInString(t); n > 200 || strings.ContainsAny(t, "\r\n") {
				p.add(path, "one sentence on one line, at most 200 characters (%d)", n)
			}
		})
		for j, q := range s.Questions {
			qpath := fmt.Sprintf("%s.questions[%d]", path, j)
			c.checkText(p, qpath+".text", q.Text, func(path, t string) {
				if strings.TrimSpace(t) == "" {
					p.add(path, "empty: write the question the customer reads")
				}
			})
			for k, o := range q.Options {
				c.checkText(p, fmt.Sprintf("%s.options[%d].label", qpath, k), o.Label, func(path, t string) {
					if n := utf8.RuneCountInString(strings.TrimSpace(t)); n == 0 || n > 80 {
						p.add(path, "%d characters: write what the customer reads, at most 80", n)
					}
				})
			}
		}
	}
}

// checkText checks one text at path: a string with check; a map's entries each in a
// language earshot speaks, not empty, with check; and a map lacking an offered language is
// a problem, since a customer reading that language would get the business's mid-survey.
func (c *Config) checkText(p *problems, path string, t Text, check func(path, s string)) {
	if t.ByLang == nil {
		check(path, t.All)
		return
	}
	for _, l := range t.langs() {
		sub := path + "." + l
		switch s := t.ByLang[l]; {
		case !speaks(l):
			p.add(sub, "%q is not a language earshot speaks (%s)", l, supportedList())
		case strings.TrimSpace(s) == "":
			p.add(sub, "empty: write the text in %s, or leave %s out", l, l)
		default:
			check(sub, s)
		}
	}
	bl := c.Business.Language
	if _, ok := t.ByLang[bl]; !ok && speaks(bl) {
		p.add(path, "no %s: a text by language needs business.language's (%s)", bl, bl)
	}
	var missing []string
	for _, l := range c.Offered()[1:] {
		if _, ok := t.ByLang[l]; !ok && speaks(l) {
			missing = append(missing, l)
		}
	}
	if len(missing) > 0 {
		p.add(path, "no %s: business.languages offers it, so add %s: \"…\" (else those customers read the %s text mid-survey)",
			strings.Join(missing, ", "), missing[0], bl)
	}
}

// textWarnings names each survey text written as one string while several languages are
// offered: every customer reads it as written, whatever their language.
func (c *Config) textWarnings() []string {
	offered := slices.DeleteFunc(c.Offered(), func(l string) bool { return !speaks(l) })
	if len(offered) < 2 {
		return nil
	}
	var w []string
	warn := func(path string, t Text) {
		if t.ByLang == nil && strings.TrimSpace(t.All) != "" {
			w = append(w, fmt.Sprintf("%s: one text for every language (%s): write {%s: …} to translate it",
				path, strings.Join(offered, ", "), strings.Join(offered, ": …, ")))
		}
	}
	for i, s := range c.Surveys {
		path := fmt.Sprintf("surveys[%d]", i)
		warn(path+".intro", s.Intro)
		for j, q := range s.Questions {
			qpath := fmt.Sprintf("%s.questions[%d]", path, j)
			warn(qpath+".text", q.Text)
			for k, o := range q.Options {
				warn(fmt.Sprintf("%s.options[%d].label", qpath, k), o.Label)
			}
		}
	}
	return w
}
