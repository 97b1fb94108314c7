package slack

import (
	"slices"
	"strings"
	"testing"

	"earshot/bots/slack/fakeslack"
	"earshot/core"
	"earshot/core/coretest"
)

// TestGermanCustomer runs on the fake Slack at an English-speaking business that offers
// German too. Dana's Slack is German (users.info locale de-DE): her survey, the offer after a
// low score, the complaint's receipt and the team's /earshot reply framed reach her in
// German, while the team's card stays English. Choosing English with the language buttons
// wins over her Slack's German; "language de" turns it back.
func TestGermanCustomer(t *testing.T) {
	texts := coretest.Texts(t, "en", "de")
	e := newE2E(t, true, func(o *core.Options) {
		o.Texts = texts
		o.Settings.Surveys[0].Questions = []core.Question{{Key: "courtesy", Text: "How courteous were we?",
			TextIn: core.Localized{"en": "How courteous were we?", "de": "Wie höflich waren wir?"},
			Type:   core.Scale, Min: 1, Max: 10}}
	})
	fs, im := e.fs, e.fs.IMChannel(customer)
	de := func(key core.Key) string { return texts.Text("de", key, nil) }

	e.push(fs.DM(customer, "start")) // she has written to the bot before: Slack told her locale
	if _, err := e.svc.Touch(t.Context(), core.TouchRequest{Customer: core.UserRef{Platform: core.Slack, ID: customer},
		Stage: "delivery", Ref: "A-17"}); err != nil {
		t.Fatal(err)
	}
	q1 := e.await("the survey in German", im, func(m fakeslack.Message) bool {
		return shows(texts.Text("de", core.KeySurveyIntroDelivery, core.Args{"Ref": "A-17"}))(m) &&
			shows("Wie höflich waren wir?")(m)
	})
	e.click(customer, q1, "2")
	offer := e.await("the low-score offer in German", im, shows(de(core.KeySurveyLowOffer)))
	e.click(customer, offer, de(core.KeySurveyLowYes))
	e.await("the receipt in German", im,
		shows(coretest.TextStart(texts, "de", core.KeyComplaintReceipt, core.Args{"Ref": "C-1001"}, "When")))
	card := e.await("complaint card", team, func(m fakeslack.Message) bool { return len(m.Buttons()) == 2 })
	if !slices.ContainsFunc(card.Buttons(), func(b fakeslack.Button) bool { return b.Text == "Acknowledge" }) ||
		!strings.Contains(card.Shown(), "C-1001") {
		t.Errorf("the team's card should stay English:\n%s", card.Shown())
	}
	// The team's /earshot reply reaches her framed in German, its words as written.
	reply := func(lang core.Lang, words string) {
		t.Helper()
		e.push(fs.Slash(member, team, "/earshot", "reply C-1001 "+words))
		title := texts.Text(lang, core.KeyRelayTitle, core.Args{"Member": "Lee", "Business": "Acme Bikes", "Ref": "C-1001"})
		e.await("the reply framed in "+string(lang), im, func(m fakeslack.Message) bool {
			return shows(title)(m) && shows(words)(m)
		})
	}
	reply("de", "Ein neues Rad ist unterwegs.")

	// She chooses English by button: her Slack still says German, the choice wins.
	e.push(fs.DM(customer, "language"))
	q := e.await("the language question in German", im, shows(de(core.KeyLanguageChoose)))
	var labels []string
	for _, b := range q.Buttons() {
		labels = append(labels, b.Text)
	}
	if !slices.Equal(labels, []string{"English", "Deutsch"}) {
		t.Errorf("language buttons %q", labels)
	}
	e.click(customer, q, "English")
	e.await("the confirmation in English", im, shows(texts.Text("en", core.KeyLanguageSet, nil)))
	reply("en", "It ships today.")
	e.push(fs.DM(customer, "language"))
	e.await("the language question in English", im, shows(texts.Text("en", core.KeyLanguageChoose, nil)))

	e.push(fs.DM(customer, "language de"))
	e.await("the confirmation in German", im, shows(de(core.KeyLanguageSet)))
	reply("de", "Heute noch.")
}
