package core_test

import (
	"strings"
	"testing"
	"time"

	"earshot/core"
)

// newEnvIn is newEnv with languages: langs[0] the business's, the rest offered as well.
func newEnvIn(t *testing.T, langs []core.Lang, mod func(*core.Settings)) *env {
	t.Helper()
	e := newEnv(t, mod)
	e.langs = langs
	e.restart()
	return e
}

// dmIn is a customer whose platform reports locale writing to the bot in private.
func (e *env) dmIn(who, locale, text string) core.Response {
	return e.send(core.Incoming{From: user(who), Chat: core.ChatRef(user(who)), Direct: true, Text: text, Locale: locale})
}

// wantNone fails if any message to chat contains substr.
func (e *env) wantNone(chat, substr string) {
	e.t.Helper()
	if e.said(chat, substr) {
		e.t.Fatalf("a message to %s contains %q; got %q", chat, substr, e.msgr.texts(chat))
	}
}

// A customer whose platform speaks German, at an English-speaking business that offers
// German: their receipt, the team's framing of what it says and each step of the
// complaint reach them in German; the team's card, notices and acknowledgements stay
// English; the words the team writes are relayed as written.
func TestGermanCustomerComplaint(t *testing.T) {
	e := newEnvIn(t, []core.Lang{"en", "de"}, officeHours(t))
	e.at(friday(17, 0))
	resp := e.dmIn("maria", "de-DE", "Die Klingel kam gesprungen an")
	e.wantAny("maria", "Danke für Ihre Nachricht. Soll ich sie als Beschwerde an unser Team weitergeben?")
	if p := e.msgr.button(t, "maria", "Ja, Beschwerde einreichen"); p == "" {
		t.Fatal("no German button")
	}
	resp = e.press("maria", "Ja, Beschwerde einreichen")
	if resp.Notice != "Beschwerde C-1001 eingegangen" {
		t.Errorf("notice = %q", resp.Notice)
	}
	e.wantAny("maria", "Beschwerde C-1001 ist eingegangen. Unser Team antwortet bis Montag 12:00. "+
		"Alles, was Sie hier schreiben, wird ergänzt.")
	e.wantAny("team", "Complaint C-1001")
	e.wantField("team", "Acknowledge by", "Monday 12:00 (4 hours of business hours left)")

	e.dmIn("maria", "de-DE", "/status")
	e.wantAny("maria", "Ihr Status\nC-1001: eingegangen; unser Team antwortet bis Montag 12:00.")

	e.at(monday(9, 30))
	e.inTeam("lee", "/ack C-1001")
	e.wantAny("team", "You own C-1001 now. Reply with /reply C-1001 your message.")
	e.wantAny("maria", "Lee von Acme Bikes kümmert sich um Ihre Beschwerde C-1001.")

	e.inTeam("lee", "/reply C-1001 Sorry! A new bell goes out today.")
	e.wantAny("maria", "Lee von Acme Bikes (C-1001)\nSorry! A new bell goes out today.")

	e.dmIn("maria", "de-DE", "Danke, und die Schraube fehlt auch")
	e.wantAny("team", "C-1001 · console:maria wrote\nDanke, und die Schraube fehlt auch")

	e.inTeam("lee", "/resolve C-1001 Bell and screw sent")
	e.wantAny("team", "C-1001 resolved; the customer is asked to confirm.")
	e.wantAny("maria", "Lee hat Ihre Beschwerde C-1001 als erledigt markiert.\nBell and screw sent\nIst Ihr Problem gelöst?")
	e.msgr.button(t, "maria", "Nein, noch nicht")

	// Typed in German: "noch nicht" reopens it.
	e.dmIn("maria", "de-DE", "Noch nicht!")
	e.wantAny("maria", "Das tut uns leid. Wir haben C-1001 wieder geöffnet und Lee Bescheid gegeben.")
	e.wantAny("team", "C-1001 was reopened: the customer says the problem is not solved yet.")

	e.inTeam("lee", "/resolve C-1001")
	resp = e.press("maria", "Ja, gelöst")
	if resp.Notice != "Vielen Dank!" {
		t.Errorf("notice = %q", resp.Notice)
	}
	e.wantAny("maria", "Vielen Dank! Schön, dass es gelöst ist. Die Beschwerde C-1001 ist abgeschlossen.")
	e.wantAny("team", "C-1001: the customer confirmed the problem is solved. Closed.")
	for _, german := range []string{"Beschwerde", "Kunde", "gelöst", "erledigt"} {
		e.wantNone("team", german)
		e.wantNone("lee", german)
	}
}

// The reply time in a week's time or more is written out with the date, the language's way.
func TestReplyTimeWithADate(t *testing.T) {
	e := newEnvIn(t, []core.Lang{"en", "de", "fr"}, func(s *core.Settings) {
		h, err := core.ParseBusinessHours("Mon 09:00-10:00", nil, berlin)
		if err != nil {
			t.Fatal(err)
		}
		s.Business.Hours, s.Complaints.Clock = h, core.ClockBusiness
		s.Complaints.AcknowledgeWithin = 2 * time.Hour // Monday 23 Nov 9-10, Monday 30 Nov 9-10
	})
	e.dmIn("maria", "de-AT", "/complain Der Sattel wackelt")
	e.wantAny("maria", "Unser Team antwortet bis Montag, 30. November 10:00.")
	e.dmIn("jean", "fr-FR", "/complain La selle bouge")
	e.wantAny("jean", "Notre équipe vous répond avant lundi 30 novembre 10:00.")
	e.dm("tom", "/complain The saddle wobbles")
	e.wantAny("tom", "Our team replies by Monday 30 November 10:00.")
}

// On the calendar clock the promise is a span, in the customer's language and plural.
func TestReplyWithinInTheCustomersLanguage(t *testing.T) {
	e := newEnvIn(t, []core.Lang{"en", "de", "nl"}, func(s *core.Settings) { s.Complaints.AcknowledgeWithin = 24 * time.Hour })
	e.dmIn("maria", "de-DE", "/complain Der Sattel wackelt")
	e.wantAny("maria", "Unser Team antwortet innerhalb von 24 Stunden.")
	e.dmIn("daan", "nl-NL", "/complain Het zadel wiebelt")
	e.wantAny("daan", "Ons team antwoordt binnen 24 uur.")
}

// A typed yes or no to the offer to file a message is read in the customer's language and in
// English; another language's words are just more words.
func TestYesNoInTheCustomersLanguage(t *testing.T) {
	e := newEnvIn(t, []core.Lang{"en", "de", "fr"}, nil)
	const (
		filed    = "filed"
		declined = "declined"
		more     = "more words"
	)
	outcome := map[string]map[string]string{
		"de": {filed: "Beschwerde C-", declined: "In Ordnung, ich gebe es nicht weiter.", more: "Verstanden, ich habe das ergänzt."},
		"fr": {filed: "Réclamation C-", declined: "D’accord, je ne le transmets pas.", more: "C’est noté, je l’ai ajouté."},
		"en": {filed: "Complaint C-", declined: "OK, I won't pass it on.", more: "Got it, I added that."},
	}
	for i, tc := range []struct {
		locale, lang, typed, want string
	}{
		{"de-DE", "de", "ja", filed},
		{"de-CH", "de", "Ja!", filed},
		{"de-DE", "de", "yes", filed},
		{"de-DE", "de", "nein", declined},
		{"de-DE", "de", "Nein  danke.", declined},
		{"de-DE", "de", "no", declined},
		{"de-DE", "de", "oui", more},
		{"de-DE", "de", "vielleicht", more},
		{"fr-FR", "fr", "oui", filed},
		{"fr-BE", "fr", "d'accord", filed},
		{"fr-FR", "fr", "non merci", declined},
		{"fr-FR", "fr", "ja", more},
		{"en-GB", "en", "yes", filed},
		{"en-US", "en", "ja", more},
		{"en-US", "en", "nein", more},
	} {
		who := "c" + string(rune('a'+i))
		e.dmIn(who, tc.locale, "The bell is cracked")
		e.dmIn(who, tc.locale, tc.typed)
		if want := outcome[tc.lang][tc.want]; !e.said(who, want) {
			t.Errorf("%s customer typed %q: want %s (%q); got %q", tc.lang, tc.typed, tc.want, want, e.msgr.texts(who))
		}
		for other, text := range outcome[tc.lang] {
			if other != tc.want && e.said(who, text) {
				t.Errorf("%s customer typed %q: got %s too", tc.lang, tc.typed, other)
			}
		}
	}
}

// /forget asks in the customer's language and takes their "ja"; the goodbye is German too.
func TestForgetInGerman(t *testing.T) {
	e := newEnvIn(t, []core.Lang{"en", "de"}, nil)
	e.dmIn("maria", "de-DE", "/forget")
	e.wantAny("maria", "Ihre Daten löschen?")
	e.msgr.button(t, "maria", "Ja, meine Daten löschen")
	e.dmIn("maria", "de-DE", "nein")
	e.wantAny("maria", "In Ordnung, es wurde nichts gelöscht.")
	e.dmIn("maria", "de-DE", "/forget")
	e.dmIn("maria", "de-DE", "ja")
	e.wantAny("maria", "Erledigt: Wir haben Ihre Daten gelöscht.")
}

// Commands and button notices answer in the sender's language: a German customer's /help,
// /stop, a stranger's team command, an old button; an English member's stay English.
func TestCustomerCommandsInGerman(t *testing.T) {
	e := newEnvIn(t, []core.Lang{"en", "de"}, nil)
	e.dmIn("maria", "de-DE", "/start")
	e.wantAny("maria", "Hallo! Hier ist Acme Bikes.")
	e.dmIn("maria", "de-DE", "/help")
	e.wantAny("maria", "Was ich kann")
	e.dmIn("maria", "de-DE", "/ack C-1001")
	e.wantAny("maria", "Nur Teammitglieder können /ack verwenden.")
	e.dmIn("maria", "de-DE", "/frobnicate")
	e.wantAny("maria", "Den Befehl /frobnicate kenne ich nicht.")
	e.dmIn("maria", "de-DE", "/stop")
	e.wantAny("maria", "Erledigt: Sie erhalten keine Umfragen mehr von uns.")
	e.dmIn("maria", "de-DE", "/status")
	e.wantAny("maria", "Ihr Status\nSie haben Umfragen abbestellt (mit /resume erhalten Sie sie wieder).")
	resp := e.send(core.Incoming{From: user("maria"), Chat: core.ChatRef(user("maria")), Direct: true, Action: "file:y"})
	if resp.Notice != "Diese Frage ist geschlossen; es wurde nichts geändert." {
		t.Errorf("old button's notice = %q", resp.Notice)
	}
	resp = e.send(core.Incoming{From: user("maria"), Chat: core.ChatRef(user("maria")), Direct: true, Action: "nonsense"})
	if resp.Notice != "Diese Schaltfläche ist nicht mehr gültig." {
		t.Errorf("invalid button's notice = %q", resp.Notice)
	}
	e.dm("lee", "/help")
	e.wantAny("lee", "What I can do")
	e.dm("lee", "hello")
	e.wantAny("lee", "Hi Lee! To answer a customer, send /reply C-12 your message")
	if strings.Contains(strings.Join(e.msgr.texts("lee"), "\n"), "Was ich kann") {
		t.Error("a member got German")
	}
}
