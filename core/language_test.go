package core_test

import (
	"slices"
	"strings"
	"testing"

	"earshot/core"
	"earshot/core/coretest"
)

// newLangEnv is an env whose business writes English and offers German too; texts renders
// what the customer should read, from the same catalogs.
func newLangEnv(t *testing.T) (e *env, texts core.Texts) {
	t.Helper()
	e = newEnvIn(t, []core.Lang{"en", "de"}, nil)
	return e, coretest.Texts(t, e.langs...)
}

// language returns the language the customer is written to in and whether they chose it,
// as export and the customers API show them.
func (e *env) language(who string) (core.Lang, bool) {
	e.t.Helper()
	x := e.export(who)
	v, err := e.svc.Customer(e.ctx, core.CustomerRef{Account: user(who)})
	if err != nil || len(x.Contacts) != 1 || string(x.Contacts[0].Language) != v.Language {
		e.t.Fatalf("export %+v and customer %+v, %v disagree", x.Contacts, v, err)
	}
	return x.Contacts[0].Language, x.Contacts[0].LanguageChosen
}

func (e *env) wantLanguage(who string, want core.Lang, chosen bool) {
	e.t.Helper()
	if got, gotChosen := e.language(who); got != want || gotChosen != chosen {
		e.t.Fatalf("%s's language = %q (chosen %v); want %q (chosen %v)", who, got, gotChosen, want, chosen)
	}
}

// lastChoices returns the button labels of the newest message to chat that has buttons.
func (e *env) lastChoices(chat string) []string {
	e.t.Helper()
	ds := e.msgr.to(chat)
	for i := len(ds) - 1; i >= 0; i-- {
		if cs := ds[i].Message.Choices; len(cs) > 0 {
			var out []string
			for _, c := range cs {
				out = append(out, c.Label)
			}
			return out
		}
	}
	e.t.Fatalf("no buttons in %s", chat)
	return nil
}

// count returns how many messages to chat contain substr.
func (e *env) count(chat, substr string) int {
	n := 0
	for _, s := range e.msgr.texts(chat) {
		if strings.Contains(s, substr) {
			n++
		}
	}
	return n
}

func TestLanguageByButton(t *testing.T) {
	e, texts := newLangEnv(t)
	e.dmIn("ana", "en-US", "/language")
	e.wantLast("ana", texts.Text("en", core.KeyLanguageChoose, nil))
	if got := e.lastChoices("ana"); !slices.Equal(got, []string{"English", "Deutsch"}) {
		t.Fatalf("buttons %q; want each offered language in its own words", got)
	}
	e.wantLanguage("ana", "en", false)

	e.press("ana", "Deutsch")
	e.wantLast("ana", texts.Text("de", core.KeyLanguageSet, nil))
	if !strings.Contains(e.last("ana"), "Deutsch") {
		t.Fatalf("confirmation %q is not in German", e.last("ana"))
	}
	e.wantLanguage("ana", "de", true)

	// The platform still says English: the choice wins, also after a restart.
	e.restart()
	e.dmIn("ana", "en-US", "/language")
	e.wantLast("ana", texts.Text("de", core.KeyLanguageChoose, nil))
	e.press("ana", "English")
	e.wantLast("ana", texts.Text("en", core.KeyLanguageSet, nil))
	e.wantLanguage("ana", "en", true)
}

func TestLanguageTyped(t *testing.T) {
	e, texts := newLangEnv(t)
	e.dmIn("ana", "", "/language")
	e.dm("ana", "Deutsch")
	e.wantLast("ana", texts.Text("de", core.KeyLanguageSet, nil))
	e.wantLanguage("ana", "de", true)

	e.dm("ana", "/language")
	e.dm("ana", "klingon") // a word, not offered: the choices, and the question stays open
	e.wantLast("ana", texts.Text("de", core.KeyLanguageUnknown, core.Args{"Codes": "en, de", "Example": "en"}))
	e.dm("ana", "EN")
	e.wantLast("ana", texts.Text("en", core.KeyLanguageSet, nil))
	e.wantLanguage("ana", "en", true)

	// Once answered, the question is closed: "de" is an ordinary message again.
	e.dm("ana", "de")
	if e.count("ana", texts.Text("de", core.KeyLanguageSet, nil)) != 1 {
		t.Fatalf("a closed question took another answer: %q", e.msgr.texts("ana"))
	}
	e.wantLanguage("ana", "en", true)
}

func TestLanguageDirect(t *testing.T) {
	e, texts := newLangEnv(t)
	for _, tc := range []struct {
		arg  string
		want core.Lang
	}{{"de", "de"}, {"EN", "en"}, {"Deutsch", "de"}, {"en-GB", "en"}, {"de-AT", "de"}, {"de_CH", "de"}} {
		e.dm("ana", "/language "+tc.arg)
		e.wantLast("ana", texts.Text(tc.want, core.KeyLanguageSet, nil))
		e.wantLanguage("ana", tc.want, true)
	}
	// Without the slash, in a DM, the command's word works too.
	e.dm("ana", "language en")
	e.wantLast("ana", texts.Text("en", core.KeyLanguageSet, nil))
	e.wantLanguage("ana", "en", true)
}

func TestLanguageNotOffered(t *testing.T) {
	e, texts := newLangEnv(t)
	e.dmIn("ana", "de-DE", "hello")
	for _, arg := range []string{"xx", "fr", "Français", "zh-Hans", "de en"} {
		e.dmIn("ana", "de-DE", "/language "+arg)
		e.wantLast("ana", texts.Text("de", core.KeyLanguageUnknown, core.Args{"Codes": "en, de", "Example": "en"}))
		if !strings.Contains(e.last("ana"), "en, de") {
			t.Fatalf("/language %s: %q does not list the offered codes", arg, e.last("ana"))
		}
	}
	e.wantLanguage("ana", "de", false) // the locale's, still not chosen

	// A business offering one language says so.
	one := newEnv(t, nil)
	one.dm("bo", "/language de")
	one.wantLast("bo", coretest.Texts(t).Text("en", core.KeyLanguageOnlyOne, nil))
}

// TestLanguageFollowsTheLocale: without a choice, the platform's locale matched to the
// closest offered language, else the business's.
func TestLanguageFollowsTheLocale(t *testing.T) {
	e, texts := newLangEnv(t)
	for who, tc := range map[string]struct {
		locale string
		want   core.Lang
	}{"ana": {"de-AT", "de"}, "ben": {"en-GB", "en"}, "chen": {"zh", "en"}, "dirk": {"", "en"}} {
		e.dmIn(who, tc.locale, "/language")
		e.wantLast(who, texts.Text(tc.want, core.KeyLanguageChoose, nil))
		e.wantLanguage(who, tc.want, false)
	}
}

// TestLanguageStaleButton: a language button pressed after another question replaced its
// own changes nothing, says so, and leaves the new question open.
func TestLanguageStaleButton(t *testing.T) {
	e, texts := newLangEnv(t)
	e.dm("ana", "/language")
	e.dm("ana", "/forget")
	resp := e.press("ana", "Deutsch")
	if want := texts.Text("en", core.KeyLanguageClosed, nil); resp.Notice != want {
		t.Fatalf("stale language button: notice %q, want %q", resp.Notice, want)
	}
	e.wantLanguage("ana", "en", false)
	e.dm("ana", "no") // the /forget question is still the open one
	e.wantLast("ana", "nothing was erased")
	e.wantLanguage("ana", "en", false)

	// A payload core never made for a language is refused like any other.
	bad := e.send(core.Incoming{From: user("ana"), Chat: core.ChatRef(user("ana")), Direct: true, Action: "lang:Deutsch"})
	if bad.Notice == "" {
		t.Fatal("a malformed language payload got no answer")
	}
	e.wantLanguage("ana", "en", false)
}

// TestLanguageRedelivered: a platform redelivering /language or the button press changes
// nothing twice.
func TestLanguageRedelivered(t *testing.T) {
	e, texts := newLangEnv(t)
	in := core.Incoming{EventID: "cmd-1", From: user("ana"), Chat: core.ChatRef(user("ana")), Direct: true, Text: "/language"}
	e.send(in)
	if resp := e.send(in); !resp.Duplicate {
		t.Fatal("the redelivered /language was handled again")
	}
	if n := e.count("ana", texts.Text("en", core.KeyLanguageChoose, nil)); n != 1 {
		t.Fatalf("asked %d times", n)
	}
	press := core.Incoming{EventID: "press-1", From: user("ana"), Chat: core.ChatRef(user("ana")), Direct: true,
		Action: e.msgr.button(t, "ana", "Deutsch")}
	e.send(press)
	if resp := e.send(press); !resp.Duplicate {
		t.Fatal("the redelivered press was handled again")
	}
	if n := e.count("ana", texts.Text("de", core.KeyLanguageSet, nil)); n != 1 {
		t.Fatalf("confirmed %d times", n)
	}
	e.wantLanguage("ana", "de", true)
}

// TestLanguageOutsideACustomersDM: in a group it asks for a private chat; a team member's
// language is configured, not chosen.
func TestLanguageOutsideACustomersDM(t *testing.T) {
	e, texts := newLangEnv(t)
	group := core.ChatRef{Platform: core.Console, ID: "group"}
	e.send(core.Incoming{From: user("ana"), Chat: group, Text: "/language de"})
	e.wantLast("group", "private chat")
	e.dm("lee", "/language de")
	e.wantLast("lee", texts.Text("en", core.KeyLanguageMember, nil))
}

// TestLanguagePayloadFitsEveryPlatform: the buttons' payloads are short enough for core
// and for Telegram's 64 bytes.
func TestLanguagePayloadFitsEveryPlatform(t *testing.T) {
	e := newEnvIn(t, []core.Lang{"en", "de", "fr", "es", "it", "nl", "pt"}, nil)
	e.dm("ana", "/language")
	ds := e.msgr.to("ana")
	cs := ds[len(ds)-1].Message.Choices
	if len(cs) != 7 {
		t.Fatalf("%d buttons for 7 languages", len(cs))
	}
	for _, c := range cs {
		if len(c.Payload) > core.MaxPayload || len(c.Payload) > 64 {
			t.Errorf("%s: payload %q too long", c.Label, c.Payload)
		}
	}
	e.press("ana", "Português")
	e.wantLast("ana", "português")
	e.wantLanguage("ana", "pt", true)
}

// TestLanguageMidSurvey: /language during a survey closes its question for a moment; once
// chosen, the question is asked again, in the language chosen, and answered as usual.
func TestLanguageMidSurvey(t *testing.T) {
	e := newEnvIn(t, []core.Lang{"en", "de"}, func(s *core.Settings) {
		s.Surveys[0].Questions[0].TextIn = core.Localized{"en": "How courteous were we?", "de": "Wie höflich waren wir?"}
	})
	texts := coretest.Texts(t, "en", "de")
	e.touch("ana", "A-17")
	e.wantLast("ana", "How courteous were we?")
	e.dm("ana", "/language")
	e.press("ana", "Deutsch")
	e.wantAny("ana", texts.Text("de", core.KeyLanguageSet, nil))
	e.wantLast("ana", "Wie höflich waren wir?")
	e.dm("ana", "8")
	e.wantLast("ana", "How fast were we?")
}

// TestChosenLanguageAsksTheNextSurvey: a customer whose platform says English chooses
// German; the next survey greets and asks in German, its question in the plan's German.
func TestChosenLanguageAsksTheNextSurvey(t *testing.T) {
	e := newEnvIn(t, []core.Lang{"en", "de"}, func(s *core.Settings) {
		s.Surveys[0].Questions[0].TextIn = core.Localized{"en": "How courteous were we?", "de": "Wie höflich waren wir?"}
	})
	texts := coretest.Texts(t, "en", "de")
	e.dmIn("ana", "en-US", "/language de")
	e.touch("ana", "A-17")
	e.wantLast("ana", texts.Text("de", core.KeySurveyIntroDelivery, core.Args{"Ref": "A-17"}))
	e.wantLast("ana", "Wie höflich waren wir?")
	e.dmIn("ana", "en-US", "8") // still from an English platform: the answer is taken as ever
	e.wantLast("ana", "How fast were we?")
}
