package telegram

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"earshot/bots/internal/kit"
	"earshot/core"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// registerCommands sets the command menus from core's command table in every offered
// language. A failure only costs the menu, so it is logged and the bot goes on.
func (b *Bot) registerCommands(ctx context.Context) {
	langs, describe := kit.Menu(b.opts.Texts)
	if err := b.SetCommandMenu(ctx, core.Commands(), langs, describe); err != nil {
		b.log.Warn("telegram: set my commands", "err", err)
	}
}

// SetCommandMenu sets Telegram's command menus (core.CommandMenu): in private chats the
// customers' and owners' commands, in groups (and in the team group) the team's and /help.
// The first language also fills the default menu (no language_code), which people whose
// app speaks none of the languages see; every language gets its own menu for its
// language_code, so a German app shows German descriptions whatever the business speaks.
func (b *Bot) SetCommandMenu(ctx context.Context, cmds []core.CommandSpec, langs []string, describe func(lang, key string) string) error {
	var private, group, help []core.CommandSpec
	for _, c := range cmds {
		switch {
		case c.Audience == core.AudienceTeam:
			group = append(group, c)
		case c.Name == "help":
			help = append(help, c)
			private = append(private, c)
		default:
			private = append(private, c)
		}
	}
	group = append(group, help...)
	if len(langs) == 0 {
		langs = []string{string(b.opts.Texts.Default())}
	}
	type scoped struct {
		scope models.BotCommandScope
		cmds  *[]core.CommandSpec
	}
	scopes := []scoped{{&models.BotCommandScopeAllPrivateChats{}, &private}, {&models.BotCommandScopeAllGroupChats{}, &group}}
	if tc := b.opts.TeamChat; tc.Platform == core.Telegram {
		if id, err := strconv.ParseInt(tc.ID, 10, 64); err == nil {
			scopes = append(scopes, scoped{&models.BotCommandScopeChat{ChatID: id}, &group})
		}
	}
	type menuFor struct{ lang, code string }
	menus := []menuFor{{langs[0], ""}} // the default menu
	for _, l := range langs {
		menus = append(menus, menuFor{l, l})
	}
	var errs []string
	for _, m := range menus {
		for _, s := range scopes {
			cctx, cancel := context.WithTimeout(ctx, b.sendTimeout)
			_, err := b.api.SetMyCommands(cctx, &bot.SetMyCommandsParams{Commands: menu(*s.cmds, m.lang, describe),
				Scope: s.scope, LanguageCode: m.code})
			cancel()
			if err != nil {
				errs = append(errs, b.scrub(err).Error())
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("telegram: set my commands: %s", strings.Join(errs, "; "))
	}
	return nil
}

// menu turns commands into Telegram's form: "Take ownership of a complaint: /ack C-12"
// (descriptions are 1-256 characters).
func menu(cmds []core.CommandSpec, lang string, describe func(lang, key string) string) []models.BotCommand {
	out := make([]models.BotCommand, 0, len(cmds))
	for _, c := range cmds {
		d := describe(lang, string(c.Key))
		if r, size := utf8.DecodeRuneInString(d); size > 0 {
			d = string(unicode.ToUpper(r)) + d[size:]
		}
		if c.TakesArgs() {
			d += ": " + c.Usage()
		}
		if r := []rune(d); len(r) > 256 {
			d = string(r[:255]) + "…"
		}
		out = append(out, models.BotCommand{Command: c.Name, Description: d})
	}
	return out
}
