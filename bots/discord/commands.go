package discord

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"earshot/bots/internal/kit"
	"earshot/core"
)

// discordLocales maps earshot's language codes to Discord's locales: each language to every
// Discord locale that speaks it (English and Spanish have two; Portuguese only pt-BR).
var discordLocales = map[string][]discordgo.Locale{
	"en": {discordgo.EnglishUS, discordgo.EnglishGB}, "de": {discordgo.German}, "fr": {discordgo.French},
	"es": {discordgo.SpanishES, discordgo.SpanishLATAM}, "it": {discordgo.Italian}, "nl": {discordgo.Dutch},
	"pt": {discordgo.PortugueseBR},
}

// maxCommandText is Discord's limit on a command's or an option's description, and on each
// of its localizations.
const maxCommandText = 100

// localized describes key in the first language, the default Discord shows, and in every
// language for the Discord locales that speak it; nil when no language has a Discord locale.
func localized(key core.Key, langs []string, describe func(lang, key string) string) (string, map[discordgo.Locale]string) {
	var loc map[discordgo.Locale]string
	for _, l := range langs {
		for _, dl := range discordLocales[l] {
			if loc == nil {
				loc = map[discordgo.Locale]string{}
			}
			loc[dl] = cut(describe(l, string(key)), maxCommandText)
		}
	}
	return cut(describe(langs[0], string(key)), maxCommandText), loc
}

// appCommands turns commands into Discord's form; dm makes them usable in DMs with the bot.
// The first language describes them; every language localizes them.
func appCommands(cmds []core.CommandSpec, dm bool, langs []string, describe func(lang, key string) string) []*discordgo.ApplicationCommand {
	var out []*discordgo.ApplicationCommand
	for _, c := range cmds {
		desc, loc := localized(c.Key, langs, describe)
		ac := &discordgo.ApplicationCommand{Name: c.Name, Description: desc, Type: discordgo.ChatApplicationCommand}
		if loc != nil {
			ac.DescriptionLocalizations = &loc
		}
		ctxs := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
		if dm {
			ctxs = append(ctxs, discordgo.InteractionContextBotDM)
		}
		ac.Contexts = &ctxs
		for _, a := range c.Args {
			d, l := localized(a.Key, langs, describe)
			ac.Options = append(ac.Options, &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString,
				Name: a.Name, Description: d, DescriptionLocalizations: l, Required: a.Required})
		}
		out = append(out, ac)
	}
	return out
}

// registerCommands registers core's command table, described in the business's language
// and localized in every offered one.
func (b *Bot) registerCommands(ctx context.Context) error {
	langs, describe := kit.Menu(b.opts.Texts)
	return b.SetCommandMenu(ctx, core.Commands(), langs, describe)
}

// SetCommandMenu overwrites the application's commands (core.CommandMenu): customer and
// owner commands globally (usable in DMs), team commands in the team channel's guild when it
// is known (globally otherwise). The first language describes them, every one localizes.
func (b *Bot) SetCommandMenu(ctx context.Context, cmds []core.CommandSpec, langs []string, describe func(lang, key string) string) error {
	if len(langs) == 0 {
		langs = []string{string(b.opts.Texts.Default())}
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
