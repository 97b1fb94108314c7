package discord

import (
	"context"
	"slices"
	"strings"
	"testing"

	"earshot/bots/discord/fakediscord"
	"earshot/core"
	"earshot/core/coretest"
)

// TestGermanCustomer runs on the fake Discord at an English-speaking business that offers
// German too. Discord tells a person's locale with their interactions only (a plain DM
// carries none); Maria's is German, so once she has used a command her survey, the offer
// after a low score, the complaint's receipt and the team's /reply framed reach her in
// German, while the team's card stays English. Choosing English with the language buttons
// wins over Discord's German; /language de turns it back.
func TestGermanCustomer(t *testing.T) {
	t.Parallel()
	texts := coretest.Texts(t, "en", "de")
	e := newE2E(t, func(o *core.Options) {
		o.Texts = texts
		o.Settings.Surveys[0].Questions = []core.Question{{Key: "courtesy", Text: "How courteous were we?",
			TextIn: core.Localized{"en": "How courteous were we?", "de": "Wie höflich waren wir?"},
			Type:   core.Scale, Min: 1, Max: 10}}
	})
	de := func(key core.Key) string { return texts.Text("de", key, nil) }
	dm, err := e.bot.dmChannel(context.Background(), customerID) // the DM she writes in
	if err != nil {
		t.Fatal(err)
	}

	waitCallback(t, e.fake, e.fake.PushCommand(customerID, dm, "help")) // her interaction tells her locale
	if _, err := e.svc.Touch(t.Context(), core.TouchRequest{Customer: discordUser(customerID), Stage: "delivery", Ref: "A-17"}); err != nil {
		t.Fatal(err)
	}
	q1 := e.waitMessage(dm, "Wie höflich waren wir?")
	if intro := texts.Text("de", core.KeySurveyIntroDelivery, core.Args{"Ref": "A-17"}); !strings.Contains(text(q1), intro) {
		t.Errorf("survey %q lacks the German intro %q", text(q1), intro)
	}
	e.press(customerID, q1, "2")
	offer := e.waitMessage(dm, de(core.KeySurveyLowOffer))
	e.press(customerID, offer, de(core.KeySurveyLowYes))
	e.waitMessage(dm, coretest.TextStart(texts, "de", core.KeyComplaintReceipt, core.Args{"Ref": "C-1001"}, "When"))
	card := e.waitMessage(e.fake.TeamChannelID, "C-1001")
	e.button(card, "Acknowledge") // the team's card in the business's language

	// The team's /reply reaches her framed in German, its words as written.
	reply := func(lang core.Lang, words string) {
		t.Helper()
		waitCallback(t, e.fake, e.fake.PushCommand(leeID, e.fake.TeamChannelID, "reply",
			fakediscordOption("ref", "C-1001"), fakediscordOption("text", words)))
		title := texts.Text(lang, core.KeyRelayTitle, core.Args{"Member": "Lee", "Business": "Acme Bikes", "Ref": "C-1001"})
		coretest.WaitFor(t, "the reply "+words+" framed in "+string(lang), func() bool {
			return slices.ContainsFunc(e.fake.Messages(dm), func(m fakediscord.Message) bool {
				return strings.Contains(text(m), title) && strings.Contains(text(m), words)
			})
		})
	}
	reply("de", "Ein neues Rad ist unterwegs.")

	// She chooses English by button: Discord still says German, the choice wins.
	e.fake.PushDM(customerID, "language")
	q := e.waitMessage(dm, de(core.KeyLanguageChoose))
	var labels []string
	for _, row := range q.Components {
		for _, c := range row.Components {
			labels = append(labels, c.Label)
		}
	}
	if !slices.Equal(labels, []string{"English", "Deutsch"}) {
		t.Errorf("language buttons %q", labels)
	}
	e.press(customerID, q, "English")
	e.waitMessage(dm, texts.Text("en", core.KeyLanguageSet, nil))
	reply("en", "It ships today.")

	// /language as an application command, answered privately where she typed it.
	id := e.fake.PushCommand(customerID, dm, "language")
	if d := waitCallback(t, e.fake, id).Decode(); !strings.Contains(text(fakeMsg(d)), texts.Text("en", core.KeyLanguageChoose, nil)) ||
		len(d.Components) == 0 || len(d.Components[0].Components) != 2 {
		t.Errorf("/language answered %q with buttons %+v", text(fakeMsg(d)), d.Components)
	}
	id = e.fake.PushCommand(customerID, dm, "language", fakediscordOption("language", "de"))
	if d := waitCallback(t, e.fake, id).Decode(); !strings.Contains(text(fakeMsg(d)), de(core.KeyLanguageSet)) {
		t.Errorf("/language de answered %q", text(fakeMsg(d)))
	}
	reply("de", "Heute noch.")
}
