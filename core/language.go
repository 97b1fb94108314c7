package core

import "strings"

// /language: the customer chooses the language earshot writes to them in.
//
// "/language" alone asks with a button per offered language, each labelled in its own
// language, so that someone who cannot read the language they get now still finds theirs;
// while that question is open, typing "de" or "Deutsch" answers it too. "/language de" (or
// "/language Deutsch", "/language de-AT") sets it at once. A language not offered is
// answered with the codes that are. The choice is kept on the contact (Contact.Language)
// and confirmed in the language chosen. The question is a prompt (prompt.go): a language
// button pressed after another question replaced it changes nothing and says so.

// languageNames are the languages' own names. They read the same in every catalog, so they
// are not catalog keys.
var languageNames = map[Lang]string{
	"de": "Deutsch",
	"en": "English",
	"es": "Español",
	"fr": "Français",
	"it": "Italiano",
	"nl": "Nederlands",
	"pt": "Português",
}

// languageName returns l's own name, or its code for a language without one here.
func languageName(l Lang) string {
	if n, ok := languageNames[l]; ok {
		return n
	}
	return string(l)
}

// languageCommand handles /language [language].
func (c *conv) languageCommand(ct *Contact, arg string) error {
	if c.member != nil {
		return c.sayT(KeyLanguageMember, nil)
	}
	if len(c.s.texts.Offered()) < 2 {
		return c.sayT(KeyLanguageOnlyOne, nil)
	}
	if arg == "" {
		return c.askLanguage(ct)
	}
	l, ok := c.findLanguage(arg)
	if !ok {
		return c.unknownLanguage()
	}
	return c.setLanguage(ct, l)
}

// askLanguage opens the question with a button per offered language, the current one
// highlighted.
func (c *conv) askLanguage(ct *Contact) error {
	var choices []Choice
	for _, l := range c.s.texts.Offered() {
		ch := Choice{Label: languageName(l), Payload: action{kind: "lang", val: string(l)}.String()}
		if l == c.lang {
			ch.Style = StylePrimary
		}
		choices = append(choices, ch)
	}
	_, err := c.ask(ct, prompt{kind: PendingLanguage}, Message{Text: c.t(KeyLanguageChoose, nil), Choices: choices}, 0)
	return err
}

// typedLanguage takes a message typed while the question is open: a language offered is
// chosen; another single word is taken for a language not offered. Anything longer is not
// an answer (handled false): it goes where any message goes.
func (c *conv) typedLanguage(ct *Contact, text string) (handled bool, err error) {
	if l, ok := c.findLanguage(text); ok {
		return true, c.setLanguage(ct, l)
	}
	if w := strings.Trim(text, ".!"); w != "" && len(w) <= 20 && !strings.ContainsAny(w, " \n\t") {
		return true, c.unknownLanguage()
	}
	return false, nil
}

// pressedLanguage answers a language button: only while its question is open.
func (c *conv) pressedLanguage(ct *Contact, l Lang) error {
	if !c.isOpen(ct, PendingLanguage, 0) {
		c.notice(c.t(KeyLanguageClosed, nil))
		return nil
	}
	if !c.s.offers(l) { // the business stopped offering it since the question was asked
		c.notice(c.unknownLanguageText())
		return nil
	}
	return c.setLanguage(ct, l)
}

// setLanguage keeps l as the customer's language and confirms it in l. When it answers the
// open question, what waits is asked next, in l.
func (c *conv) setLanguage(ct *Contact, l Lang) error {
	if err := c.tx.SetContactLanguage(ct.ID, l); err != nil {
		return err
	}
	ct.Language, c.lang = l, l
	answered := ct.Pending == PendingLanguage
	if answered {
		if err := c.closePrompt(ct); err != nil {
			return err
		}
	}
	if err := c.sayT(KeyLanguageSet, nil); err != nil {
		return err
	}
	if answered {
		return c.next(ct)
	}
	return nil
}

// findLanguage reads an offered language from what someone typed: its code ("de", "DE"),
// its own name ("Deutsch") or a locale ("de-AT", "pt_BR") closest to it.
func (c *conv) findLanguage(text string) (Lang, bool) {
	w := strings.ToLower(strings.Trim(strings.TrimSpace(text), ".!"))
	for _, l := range c.s.texts.Offered() {
		if w == string(l) || w == strings.ToLower(languageName(l)) {
			return l, true
		}
	}
	if strings.ContainsAny(w, "-_") && !strings.Contains(w, " ") {
		return c.s.texts.Match(w)
	}
	return "", false
}

// unknownLanguage answers a language that is not offered with the codes that are.
func (c *conv) unknownLanguage() error {
	return c.reply(Message{Text: c.unknownLanguageText()})
}

func (c *conv) unknownLanguageText() string {
	offered := c.s.texts.Offered()
	codes := make([]string, len(offered))
	example := offered[0]
	for i, l := range offered {
		codes[i] = string(l)
		if example == c.lang && l != c.lang {
			example = l
		}
	}
	return c.t(KeyLanguageUnknown, Args{"Codes": strings.Join(codes, ", "), "Example": string(example)})
}
