package core

// Whose language a text is written in. A customer's is the one they chose with /language,
// else their platform's locale matched to the closest offered language, else the
// business's; a team member's or owner's is their own language: or the business's. Core
// picks the language and the key; Texts (bots/i18n) turns them into words.

// languageOf returns the language to write to a customer in.
func (s *Service) languageOf(ct Contact) Lang {
	if ct.Language != "" && s.offers(ct.Language) {
		return ct.Language
	}
	if l, ok := s.texts.Match(ct.Locale); ok {
		return l
	}
	return s.texts.Default()
}

// memberLang returns the language to write to a team member or owner in.
func (s *Service) memberLang(m Member) Lang {
	if m.Language != "" && s.offers(m.Language) {
		return m.Language
	}
	return s.texts.Default()
}

// teamLang is the language of what goes to the team's channel: the business's.
func (s *Service) teamLang() Lang { return s.texts.Default() }

// offers reports whether the business offers l.
func (s *Service) offers(l Lang) bool {
	for _, o := range s.texts.Offered() {
		if o == l {
			return true
		}
	}
	return false
}
