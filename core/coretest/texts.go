package coretest

import (
	"testing"

	"earshot/bots/i18n"
	"earshot/core"
)

// Texts returns the shipped catalogs with the given languages offered, the first the
// business's (English alone when none is given): the words tests read are the real ones.
func Texts(tb testing.TB, langs ...core.Lang) core.Texts {
	tb.Helper()
	o := i18n.Options{Default: "en"}
	if len(langs) > 0 {
		o.Default, o.Offered = langs[0], langs[1:]
	}
	c, err := i18n.New(o)
	if err != nil {
		tb.Fatalf("coretest: catalogs: %v", err)
	}
	return c
}
