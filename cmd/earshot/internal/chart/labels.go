package chart

import (
	"strings"

	"earshot/core"
)

// LabelsFor are the charts' words in lang, from the catalogs (core.KeyChart…). Each
// sentence's values become the format verbs Labels documents, by position
// ("%[1]s … %[2]d"), so a language may name them in any order.
func LabelsFor(t core.Texts, lang core.Lang) Labels {
	format := func(key core.Key, verbs ...string) string {
		args := core.Args{}
		for i := 0; i+1 < len(verbs); i += 2 {
			args[verbs[i]] = "\x00" + verbs[i] + "\x00" // a mark no translation holds
		}
		s := strings.ReplaceAll(t.Text(lang, key, args), "%", "%%") // a literal % stays one
		for i := 0; i+1 < len(verbs); i += 2 {
			s = strings.ReplaceAll(s, "\x00"+verbs[i]+"\x00", verbs[i+1])
		}
		return s
	}
	return Labels{
		Threshold: format(core.KeyChartThreshold, "Threshold", "%[1]d"),
		Empty:     t.Text(lang, core.KeyChartEmpty, nil),
		NoScores:  t.Text(lang, core.KeyChartNoScores, nil),
		Alt: format(core.KeyChartAlt, "Question", "%[1]s", "Weeks", "%[2]d", "From", "%[3]s", "To", "%[4]s",
			"Latest", "%[5]s"),
		NoValue:   t.Text(lang, core.KeyChartNoValue, nil),
		DigestAlt: format(core.KeyChartDigestAlt, "Weeks", "%[1]d", "Week", "%[2]s"),
	}
}
