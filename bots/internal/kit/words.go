package kit

import "earshot/core"

// The adapters' own words (bots/i18n/catalog/*/adapters.yaml): what an adapter says itself,
// beside the texts core renders. Words only one platform says are keys in its package.
const (
	// KeyDone answers a command that had nothing else to say.
	KeyDone core.Key = "adapter_done"
	// KeyErrorInternal is the one polite line for a failure on our side; the log has the rest.
	KeyErrorInternal core.Key = "adapter_error_internal"
	// KeyNoteTitle titles the form a button opens for a note, when the button has no label.
	KeyNoteTitle core.Key = "adapter_note_title"
	// KeyNoteLabel labels the form's text field when the choice names none.
	KeyNoteLabel core.Key = "adapter_note_label"
	// KeySend and KeyCancel are the form's buttons where the platform lets the app name them.
	KeySend   core.Key = "adapter_send"
	KeyCancel core.Key = "adapter_cancel"
	// KeyFormFailed says the form could not be opened.
	KeyFormFailed core.Key = "adapter_form_failed"
	// KeyButtonExpired answers a press on a button or form the adapter no longer reads.
	KeyButtonExpired core.Key = "adapter_button_expired"
)

// Lang is the language of an adapter's own words to the person behind in: in a shared
// chat (the team channel, a group, its threads) the business's; in a direct chat the
// person's platform locale matched to an offered language, else the business's. (A
// customer's /language choice is core's to know: core renders everything it sends.)
func Lang(t core.Texts, in core.Incoming) core.Lang {
	return LangOf(t, in.Direct, in.Locale)
}

// LangOf is Lang for an adapter that has not built an Incoming yet.
func LangOf(t core.Texts, direct bool, locale string) core.Lang {
	if direct {
		if l, ok := t.Match(locale); ok {
			return l
		}
	}
	return t.Default()
}

// Refusal is what to tell a person whose event core refused or failed: a coded refusal's own
// words (core wrote them in the person's language), or for an internal failure the one polite
// line in lang — never the internal error itself.
func Refusal(t core.Texts, lang core.Lang, err error) string {
	if err == nil {
		return ""
	}
	if core.ErrorCode(err) == core.EINTERNAL {
		return t.Text(lang, KeyErrorInternal, nil)
	}
	return core.ErrorMessage(err)
}

// Menu is what a core.CommandMenu takes to describe core's commands in every offered
// language: the languages, the business's first, and describe rendering a description key.
func Menu(t core.Texts) (langs []string, describe func(lang, key string) string) {
	for _, l := range t.Offered() {
		langs = append(langs, string(l))
	}
	return langs, func(lang, key string) string { return t.Text(core.Lang(lang), core.Key(key), nil) }
}
