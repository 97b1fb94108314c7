package coretest

import (
	"strings"

	"earshot/core"
)

// TextStart renders key in lang and returns what comes before the argument named cut: the
// fixed start of a sentence whose end depends on the clock or the data, to wait for in a
// test ("Beschwerde C-1001 ist eingegangen. Unser Team antwortet ").
func TextStart(texts core.Texts, lang core.Lang, key core.Key, args core.Args, cut string) string {
	a := core.Args{cut: "\x00"}
	for k, v := range args {
		if k != cut {
			a[k] = v
		}
	}
	start, _, _ := strings.Cut(texts.Text(lang, key, a), "\x00")
	return start
}
