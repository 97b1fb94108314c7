package core

// The words of /language (core/language.go). A language's own name is not a key: it reads
// the same in every catalog (languageNames).
const (
	// KeyLanguageChoose asks which language to write in, above a button per offered
	// language; in the language the customer has now.
	KeyLanguageChoose Key = "language_choose"
	// KeyLanguageSet confirms the choice, in the language chosen ("Gut, ab jetzt schreibe
	// ich Ihnen auf Deutsch."): each catalog names its own language.
	KeyLanguageSet Key = "language_set"
	// KeyLanguageUnknown answers a language that is not offered with those that are:
	// {{.Codes}} ("en, de") and {{.Example}} (one of them).
	KeyLanguageUnknown Key = "language_unknown"
	// KeyLanguageOnlyOne answers /language when the business offers one language, which is
	// the one the catalog is in.
	KeyLanguageOnlyOne Key = "language_only_one"
	// KeyLanguageClosed answers a language button whose question another one replaced.
	KeyLanguageClosed Key = "language_closed"
	// KeyLanguageMember answers a team member's /language: theirs is configured.
	KeyLanguageMember Key = "language_member"
)
