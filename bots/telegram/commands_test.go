package telegram

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
	"earshot/core/coretest"
)

// menuText returns the description of command name in the menu of scope.
func menuText(f *faketelegram.Server, scope, name string) string {
	for _, c := range f.Commands(scope) {
		if c.Command == name {
			return c.Description
		}
	}
	return ""
}

// Every offered language gets its menu under its language_code, and the default menu (no
// language_code) is in the business's language.
func TestMenusInEveryOfferedLanguage(t *testing.T) {
	for _, tc := range []struct {
		name  string
		langs []core.Lang
		def   string // the default menu's /complain
	}{
		{"English business", []core.Lang{"en", "de"}, "Tell us about a problem; the team replies in this chat: /complain [text]"},
		{"German business", []core.Lang{"de", "en"}, "Ein Problem melden; das Team antwortet Ihnen in diesem Chat: /complain [text]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			b := h.bot(t, coretest.NewHandler(nil), func(o *Options) {
				o.TeamChat = chatRef(team)
				o.Texts = coretest.Texts(t, tc.langs...)
			})
			run(t, b)
			teamScope := "chat:" + strconv.FormatInt(team, 10)
			coretest.WaitFor(t, "every menu", func() bool {
				return len(h.fake.Commands(teamScope+"/en")) > 0 && len(h.fake.Commands(teamScope+"/de")) > 0 &&
					len(h.fake.Commands(teamScope)) > 0
			})
			for scope, want := range map[string]string{
				"all_private_chats":    tc.def,
				"all_private_chats/de": "Ein Problem melden; das Team antwortet Ihnen in diesem Chat: /complain [text]",
				"all_private_chats/en": "Tell us about a problem; the team replies in this chat: /complain [text]",
			} {
				if got := menuText(h.fake, scope, "complain"); got != want {
					t.Errorf("%s: /complain is %q, want %q", scope, got, want)
				}
			}
			for _, scope := range []string{"all_group_chats/de", teamScope + "/de"} {
				if got := menuText(h.fake, scope, "ack"); got != "Eine Beschwerde übernehmen: /ack C-12" {
					t.Errorf("%s: /ack is %q", scope, got)
				}
			}
			if got := menuText(h.fake, "all_private_chats/de", "digest"); got != "Diese Woche bisher" {
				t.Errorf("German /digest: %q", got)
			}
			if n := len(h.fake.Commands("all_private_chats/fr")); n != 0 {
				t.Errorf("French is not offered, yet its menu has %d commands", n)
			}
		})
	}
}

// Telegram takes two-letter language codes only; a menu it refuses is an error naming it.
func TestAMenuTelegramRefusesIsAnError(t *testing.T) {
	h := newHarness(t)
	b := h.bot(t, coretest.NewHandler(nil), nil)
	run(t, b)
	coretest.WaitFor(t, "the default menu", func() bool { return len(h.fake.Commands("all_private_chats")) > 0 })
	describe := func(lang, key string) string { return b.opts.Texts.Text(core.Lang(lang), core.Key(key), nil) }
	err := b.SetCommandMenu(context.Background(), core.Commands(), []string{"en", "pt-BR"}, describe)
	if err == nil || !strings.Contains(err.Error(), "language code") {
		t.Errorf("a language code Telegram refuses: err = %v", err)
	}
}

// A sticker from someone whose app speaks German is answered in German when German is
// offered; the same from an English app in English.
func TestMediaWithoutTextInTheSendersLanguage(t *testing.T) {
	h := newHarness(t)
	run(t, h.bot(t, coretest.NewHandler(nil), func(o *Options) { o.Texts = coretest.Texts(t, "en", "de") }))
	f := h.fake
	f.Send(faketelegram.Post{From: dana, Media: "sticker"})
	if err := f.WaitConfirmed(f.Send(faketelegram.Post{From: lee, Media: "photo"}), wait); err != nil {
		t.Fatal(err)
	}
	coretest.WaitFor(t, "both answers", func() bool { return len(f.BotMessages(dana.ID)) == 1 && len(f.BotMessages(lee.ID)) == 1 })
	if got := f.BotMessages(dana.ID)[0].Text; !strings.HasPrefix(got, "Leider kann ich nur Text lesen.") {
		t.Errorf("to the German app: %q", got)
	}
	if got := f.BotMessages(lee.ID)[0].Text; !strings.HasPrefix(got, "Sorry, I can only read text.") {
		t.Errorf("to the English app: %q", got)
	}
}
