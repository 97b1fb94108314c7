package discord

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"earshot/core"
)

// discordLocales maps earshot's language codes to Discord's locales.
var discordLocales = map[string]discordgo.Locale{
	"en": discordgo.EnglishUS, "de": discordgo.German, "fr": discordgo.French, "es": discordgo.SpanishES,
	"it": discordgo.Italian, "nl": discordgo.Dutch, "pt": discordgo.PortugueseBR,
}

// appCommands turns commands into Discord's form; dm makes them usable in DMs with the bot.
// The first language describes them; the others are localizations.
func appCommands(cmds []core.CommandSpec, dm bool, langs []string, describe func(lang, key string) string) []*discordgo.ApplicationCommand {
	localized := func(key string) (string, *map[discordgo.Locale]string) {
		var loc map[discordgo.Locale]string
		for _, l := range langs[1:] {
			if dl, ok := discordLocales[l]; ok {
				if loc == nil {
					loc = map[discordgo.Locale]string{}
				}
				loc[dl] = cut(describe(l, key), 100)
			}
		}
		if loc == nil {
			return cut(describe(langs[0], key), 100), nil
		}
		return cut(describe(langs[0], key), 100), &loc
	}
	var out []*discordgo.ApplicationCommand
	for _, c := range cmds {
		desc, loc := localized(c.Key)
		ac := &discordgo.ApplicationCommand{Name: c.Name, Description: desc, DescriptionLocalizations: loc,
			Type: discordgo.ChatApplicationCommand}
		ctxs := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
		if dm {
			ctxs = append(ctxs, discordgo.InteractionContextBotDM)
		}
		ac.Contexts = &ctxs
		for _, a := range c.Args {
			d, l := localized(a.Key)
			o := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString,
				Name: a.Name, Description: d, Required: a.Required}
			if l != nil {
				o.DescriptionLocalizations = *l
			}
			ac.Options = append(ac.Options, o)
		}
		out = append(out, ac)
	}
	return out
}

// registerCommands registers core's command table in English.
func (b *Bot) registerCommands(ctx context.Context) error {
	return b.SetCommandMenu(ctx, core.Commands(), nil, core.CommandText)
}

// SetCommandMenu overwrites the application's commands (core.CommandMenu): customer and
// owner commands globally (usable in DMs), team commands in the team channel's guild when it
// is known (globally otherwise). The first language describes them, the others localize.
func (b *Bot) SetCommandMenu(ctx context.Context, cmds []core.CommandSpec, langs []string, describe func(lang, key string) string) error {
	if len(langs) == 0 {
		langs = []string{"en"}
	}
	var everywhere, team []core.CommandSpec
	for _, c := range cmds {
		if c.Audience == core.AudienceTeam {
			team = append(team, c)
		} else {
			everywhere = append(everywhere, c)
		}
	}
	guild := b.opts.GuildID
	if guild == "" && b.opts.TeamChannel.Platform == core.Discord && b.opts.TeamChannel.ID != "" {
		opts, _ := call(ctx)
		ch, err := b.s.Channel(b.opts.TeamChannel.ID, opts...)
		if err != nil {
			b.log.Warn("discord: look up the team channel's guild", "err", err)
		} else {
			guild = ch.GuildID
		}
	}
	global := appCommands(everywhere, true, langs, describe)
	if guild == "" {
		global = append(global, appCommands(team, false, langs, describe)...)
	} else {
		opts, _ := call(ctx)
		if _, err := b.s.ApplicationCommandBulkOverwrite(b.opts.ApplicationID, guild, appCommands(team, false, langs, describe), opts...); err != nil {
			return fmt.Errorf("discord: register guild commands: %w", err)
		}
	}
	opts, _ := call(ctx)
	if _, err := b.s.ApplicationCommandBulkOverwrite(b.opts.ApplicationID, "", global, opts...); err != nil {
		return fmt.Errorf("discord: register global commands: %w", err)
	}
	return nil
}
