package discord

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"earshot/bots/discord/fakediscord"
	"earshot/core"
	"earshot/core/coretest"
)

// registered is an application command as the fake recorded it.
type registered struct {
	Name                     string            `json:"name"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations"`
	Options                  []registered      `json:"options"`
}

func registeredCommands(t *testing.T, fake *fakediscord.Server, scope string) map[string]registered {
	t.Helper()
	var cmds []registered
	if err := json.Unmarshal(fake.Commands(scope), &cmds); err != nil {
		t.Fatalf("commands of %s: %v", scope, err)
	}
	out := map[string]registered{}
	for _, c := range cmds {
		out[c.Name] = c
	}
	return out
}

// The application commands are described in the business's language and localized in
// every offered one, for each Discord locale that speaks it.
func TestCommandsCarryTheOfferedLanguages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		langs    []core.Lang
		complain string // the description Discord shows by default
	}{
		{"English business", []core.Lang{"en", "de"}, "tell us about a problem; the team replies in this chat"},
		{"German business", []core.Lang{"de", "en"}, "ein Problem melden; das Team antwortet Ihnen in diesem Chat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, b := newBotIn(t, nil, coretest.Texts(t, tc.langs...))
			runBot(t, fake, b)
			coretest.WaitFor(t, "the team's commands", func() bool { return len(fake.Commands(fake.GuildID)) > 0 })
			complain := registeredCommands(t, fake, "global")["complain"]
			if complain.Description != tc.complain {
				t.Errorf("/complain is described %q, want %q", complain.Description, tc.complain)
			}
			for loc, want := range map[string]string{
				"de":    "ein Problem melden; das Team antwortet Ihnen in diesem Chat",
				"en-US": "tell us about a problem; the team replies in this chat",
				"en-GB": "tell us about a problem; the team replies in this chat",
			} {
				if got := complain.DescriptionLocalizations[loc]; got != want {
					t.Errorf("/complain in %s: %q, want %q", loc, got, want)
				}
			}
			if _, ok := complain.DescriptionLocalizations["fr"]; ok || len(complain.DescriptionLocalizations) != 3 {
				t.Errorf("localizations %v: only de, en-US and en-GB are offered", complain.DescriptionLocalizations)
			}
			if len(complain.Options) != 1 || complain.Options[0].DescriptionLocalizations["de"] != "was passiert ist" {
				t.Errorf("/complain's option: %+v", complain.Options)
			}
			ack := registeredCommands(t, fake, fake.GuildID)["ack"]
			if ack.DescriptionLocalizations["de"] != "eine Beschwerde übernehmen" {
				t.Errorf("the team's /ack in German: %+v", ack)
			}
		})
	}
}

// Every language earshot speaks fits Discord's limits, and a description too long is cut to
// them rather than refused (the fake refuses what Discord refuses).
func TestEveryLanguageFitsDiscord(t *testing.T) {
	t.Parallel()
	fake, b := newBotIn(t, nil, coretest.Texts(t, "en", "de", "fr", "es", "it", "nl", "pt"))
	runBot(t, fake, b)
	coretest.WaitFor(t, "the team's commands", func() bool { return len(fake.Commands(fake.GuildID)) > 0 })
	if n := len(registeredCommands(t, fake, "global")["help"].DescriptionLocalizations); n != 9 {
		t.Errorf("/help has %d localizations, want 9 (seven languages, English and Spanish in two locales each)", n)
	}
	long := func(lang, key string) string { return lang + strings.Repeat("é", 150) }
	if err := b.SetCommandMenu(context.Background(), core.Commands(), []string{"en", "de"}, long); err != nil {
		t.Fatalf("long descriptions: %v", err)
	}
	for _, c := range registeredCommands(t, fake, "global") {
		for loc, d := range c.DescriptionLocalizations {
			if n := utf8.RuneCountInString(d); n > 100 || !strings.HasPrefix(d, loc[:2]) {
				t.Errorf("/%s in %s: %d characters, %q", c.Name, loc, n, d)
			}
		}
	}
}

// A person with a German Discord who submits a form the adapter no longer reads is told so
// in German in a DM; in the team channel the adapter speaks the business's language. Core
// never sees either.
func TestAnExpiredFormIsAnsweredInThePersonsLanguage(t *testing.T) {
	t.Parallel()
	rec := coretest.NewHandler(nil)
	fake, b := newBotIn(t, rec, coretest.Texts(t, "en", "de"))
	fake.SetUser(fakediscord.User{ID: "42", Username: "maria", Locale: "de"})
	runBot(t, fake, b)
	waitIncoming(t, rec, fake.PushDM("42", "hallo"))
	dm, _ := fake.DMChannel("42")
	for chat, want := range map[string]string{dm: "Diese Schaltfläche ist abgelaufen.", fake.TeamChannelID: "This button has expired."} {
		id := fake.PushModalSubmit("42", chat, "", "form-of-an-older-version", map[string]string{"note": "x"})
		cb := waitCallback(t, fake, id)
		if d := cb.Decode(); cb.Type != 4 || d.Flags != 64 || d.Content != want {
			t.Errorf("in %s: answer type %d %+v, want %q, ephemeral", chat, cb.Type, d, want)
		}
		for _, in := range rec.Got() {
			if in.EventID == id {
				t.Errorf("the expired form reached core: %+v", in)
			}
		}
	}
}

// The adapter's own words follow the person: "Done." to a German Discord in a DM, a note
// form labelled in the business's language in the team channel when the choice names no
// label, and a polite line instead of an internal error.
func TestTheAdaptersOwnWordsInThePersonsLanguage(t *testing.T) {
	t.Parallel()
	rec := coretest.NewHandler(coretest.Answer(func(in core.Incoming) (core.Response, error) {
		if in.Text == "/status" && in.From.ID == "43" {
			return core.Response{}, context.DeadlineExceeded // an internal failure, retried then skipped
		}
		return core.Response{}, nil
	}))
	fake, b := newBotIn(t, rec, coretest.Texts(t, "de", "en"))
	fake.SetUser(fakediscord.User{ID: "42", Username: "maria", Locale: "en-GB"})
	fake.SetUser(fakediscord.User{ID: "43", Username: "jan", Locale: "de"})
	runBot(t, fake, b)
	for _, u := range []string{"42", "43"} {
		waitIncoming(t, rec, fake.PushDM(u, "hi"))
	}
	dm42, _ := fake.DMChannel("42")
	if d := waitCallback(t, fake, fake.PushCommand("42", dm42, "status")).Decode(); d.Content != "Done." {
		t.Errorf("to an English Discord: %q", d.Content)
	}
	dm43, _ := fake.DMChannel("43")
	if d := waitCallback(t, fake, fake.PushCommand("43", dm43, "status")).Decode(); d.Content != "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es gleich noch einmal." {
		t.Errorf("an internal failure to a German Discord: %q", d.Content)
	}

	card, err := b.Deliver(context.Background(), core.Delivery{ID: 1, To: team(fake), Message: core.Message{
		Title: "Beschwerde C-1001 · offen", Text: "Speiche gebrochen",
		Choices: []core.Choice{{Label: "Lösen", Payload: "c:res:1001", NeedsNote: true}}}})
	if err != nil {
		t.Fatal(err)
	}
	ch, mid, _ := strings.Cut(card, "/")
	cb := waitCallback(t, fake, fake.PushButton("42", ch, mid, "note|c:res:1001"))
	d := cb.Decode()
	if cb.Type != 9 || d.Title != "Lösen" || len(d.Components) != 1 || d.Components[0].Components[0].Label != "Notiz" {
		t.Errorf("the note form = type %d %+v, want titled by the button, its field labelled Notiz", cb.Type, d)
	}
}

// A customer whose Discord speaks German presses a button that no longer means anything:
// core's refusal reaches them in German, ephemeral. Core renders it (core.KeyButtonInvalid);
// the adapter passes it on untouched.
func TestAStaleButtonIsRefusedInGerman(t *testing.T) {
	texts := coretest.Texts(t, "en", "de")
	want := texts.Text("de", core.KeyButtonInvalid, nil)
	e := newE2E(t, func(o *core.Options) { o.Texts = texts })
	e.waitHandled(e.fake.PushDM(customerID, "Hallo"), 1)
	dm := e.dmChannel(customerID)
	cb := waitCallback(t, e.fake, e.fake.PushButton(customerID, dm, "", "v0:old-button"))
	if d := cb.Decode(); cb.Type != 4 || d.Flags != 64 || d.Content != want {
		t.Errorf("answer = type %d %+v, want %q, ephemeral", cb.Type, d, want)
	}
}
