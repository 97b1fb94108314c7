package telegram

import (
	"slices"
	"strings"
	"testing"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
	"earshot/core/coretest"
)

// germanSurvey is the tests' plan asking one question, written in English and German.
func germanSurvey(o *core.Options) {
	o.Settings.Surveys[0].Questions = []core.Question{{Key: "courtesy", Text: "How courteous were we?",
		TextIn: core.Localized{"en": "How courteous were we?", "de": "Wie höflich waren wir?"},
		Type:   core.Scale, Min: 1, Max: 10}}
}

// TestGermanCustomer runs on the fake Bot API at an English-speaking business that offers
// German too. Dana's Telegram is German (from.language_code de): her survey, the offer after
// a low score, the complaint's receipt and the team's /reply framed reach her in German,
// while the team's card stays English. Choosing English with /language's buttons wins over
// her Telegram's German; /language de turns it back.
func TestGermanCustomer(t *testing.T) {
	texts := coretest.Texts(t, "en", "de")
	e := newE2E(t, false, func(o *core.Options) { o.Texts = texts; germanSurvey(o) })
	de := func(key core.Key) string { return texts.Text("de", key, nil) }

	e.say(faketelegram.Post{From: dana, Text: "/start"})
	if _, err := e.svc.Touch(t.Context(), core.TouchRequest{Customer: core.UserRef{Platform: core.Telegram, ID: "42"},
		Stage: "delivery", Ref: "A-17"}); err != nil {
		t.Fatal(err)
	}
	e.awaitMsg(42, "the survey in German", func(m faketelegram.Message) bool {
		return containsAll(m.Text, texts.Text("de", core.KeySurveyIntroDelivery, core.Args{"Ref": "A-17"}),
			"Wie höflich waren wir?")
	})
	e.press(dana, 42, "2")
	e.await(42, de(core.KeySurveyLowOffer))
	e.press(dana, 42, de(core.KeySurveyLowYes))
	e.await(42, coretest.TextStart(texts, "de", core.KeyComplaintReceipt, core.Args{"Ref": "C-1001"}, "When"))
	card := e.awaitMsg(team, "the card", func(m faketelegram.Message) bool { return len(m.Keyboard) > 0 })
	if labels := card.Labels(); !slices.Contains(labels[0], "Acknowledge") || !strings.Contains(card.Text, "C-1001") {
		t.Errorf("the team's card should stay English: %q, buttons %q", card.Text, labels)
	}
	// The team's /reply reaches her framed in German, its words as written.
	reply := func(lang core.Lang, words string) {
		t.Helper()
		e.say(faketelegram.Post{From: lee, ChatID: team, Text: "/reply C-1001 " + words})
		title := texts.Text(lang, core.KeyRelayTitle, core.Args{"Member": "Lee", "Business": "Acme Bikes", "Ref": "C-1001"})
		e.awaitMsg(42, "the reply framed in "+string(lang), func(m faketelegram.Message) bool {
			return containsAll(m.Text, title, words)
		})
	}
	reply("de", "Ein neues Rad ist unterwegs.")

	// She chooses English by button: her Telegram still says German, the choice wins.
	e.say(faketelegram.Post{From: dana, Text: "/language"})
	q := e.await(42, de(core.KeyLanguageChoose))
	if labels := q.Labels(); !slices.Equal(slices.Concat(labels...), []string{"English", "Deutsch"}) {
		t.Errorf("language buttons %q", labels)
	}
	e.press(dana, 42, "English")
	e.await(42, texts.Text("en", core.KeyLanguageSet, nil))
	reply("en", "It ships today.")
	e.say(faketelegram.Post{From: dana, Text: "/language"})
	e.await(42, texts.Text("en", core.KeyLanguageChoose, nil))

	e.say(faketelegram.Post{From: dana, Text: "/language de"})
	e.await(42, de(core.KeyLanguageSet))
	reply("de", "Heute noch.")
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
