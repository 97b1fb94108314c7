package core

// The words core says, by key. Each is in every catalog (see bots/i18n).
const (
	// KeyYesWords and KeyNoWords list, comma-separated, what a person may type for yes and
	// for no in the language ("ja, j, gerne").
	KeyYesWords Key = "words_yes"
	KeyNoWords  Key = "words_no"
)
