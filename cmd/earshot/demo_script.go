package main

import (
	"fmt"
	"slices"
	"strings"

	"earshot/core"
)

// demoScript is what the people of the demo write, in the demo's language: the customer
// (whose platform reports locale), and Lee for the team. The narration around it stays in
// English, like the rest of the command line.
type demoScript struct {
	locale   string // the customer's platform locale
	customer string // the customer's name on the platform
	notScore string // an answer that is not a score
	comment  string // the free-text answer
	reply    string // Lee's first reply
	question string // the customer's question back
	answer   string // Lee's answer
	note     string // Lee's resolution note
}

// demoScripts holds a script per language the demo speaks.
var demoScripts = map[core.Lang]demoScript{
	"en": {
		locale:   "en-GB",
		customer: "Maria Lopez",
		notScore: "great",
		comment:  "The bike came two days late and nobody told me.",
		reply:    "So sorry, Maria! The courier lost a day. We're refunding the delivery fee.",
		question: "Thanks. Will the refund go to my card?",
		answer:   "Yes, to the card you paid with, within 3 days.",
		note:     "Delivery fee refunded to the card",
	},
	"de": {
		locale:   "de-DE",
		customer: "Maria Schulz",
		notScore: "super",
		comment:  "Das Rad kam zwei Tage zu spät, und niemand hat mir Bescheid gesagt.",
		reply:    "Das tut uns sehr leid, Frau Schulz! Der Kurier hatte einen Tag Verspätung. Wir erstatten Ihnen die Liefergebühr.",
		question: "Danke. Geht die Erstattung auf meine Karte?",
		answer:   "Ja, auf die Karte, mit der Sie bezahlt haben, innerhalb von 3 Tagen.",
		note:     "Liefergebühr auf die Karte erstattet",
	},
}

// demoLangs lists the languages the demo speaks, sorted.
func demoLangs() []string {
	var out []string
	for l := range demoScripts {
		out = append(out, string(l))
	}
	slices.Sort(out)
	return out
}

// scriptFor returns the demo's script in lang.
func scriptFor(lang string) (demoScript, error) {
	s, ok := demoScripts[core.Lang(lang)]
	if !ok {
		return demoScript{}, usagef("demo: --lang %q: the demo speaks %s", lang, strings.Join(demoLangs(), " or "))
	}
	return s, nil
}

// tap taps the n-th button (from 0) of the newest message with buttons in chat. The demo
// names these buttons by place, not by label, so that it reads the same in every language.
func (d *demo) tap(who string, from core.UserRef, chat core.ChatRef, n int) {
	msgs := d.bot.Sent(chat)
	for i := len(msgs) - 1; i >= 0 && d.err == nil; i-- {
		if len(msgs[i].Choices) > n {
			d.pressIn(who, from, chat, msgs[i].Choices[n].Label)
			return
		}
	}
	if d.err == nil {
		d.err = fmt.Errorf("demo: no button %d in %s for %s", n+1, chat, who)
	}
}
