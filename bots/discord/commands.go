package discord

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"earshot/core"
)

type command struct {
	name, desc string
	opts       []option
}

type option struct {
	name, desc string
	required   bool
}

// Customer and owner commands work in DMs with the bot, so they are global; team commands
// belong to the team channel's guild (guild commands appear at once).
var (
	customerCommands = []command{
		{"complain", "Tell us what went wrong", []option{{"text", "What happened", false}}},
		{"status", "Your open complaints and surveys", nil},
		{"stop", "No more surveys", nil},
		{"resume", "Surveys again", nil},
		{"forget", "Erase your data", nil},
		{"help", "What this bot does", nil},
	}
	ownerCommands = []command{
		{"digest", "This week's digest so far", nil},
		{"scores", "Current scores", nil},
	}
	teamCommands = []command{
		{"complaints", "Open complaints", nil},
		{"ack", "Acknowledge a complaint", []option{{"ref", "Complaint, like C-12", true}}},
		{"reply", "Reply to the customer", []option{{"ref", "Complaint, like C-12", true}, {"text", "Your reply", true}}},
		{"resolve", "Resolve a complaint", []option{{"ref", "Complaint, like C-12", true}, {"note", "What was done", false}}},
	}
)

// appCommands turns commands into Discord's form; dm makes them usable in DMs with the bot.
func appCommands(dm bool, groups ...[]command) []*discordgo.ApplicationCommand {
	var out []*discordgo.ApplicationCommand
	for _, g := range groups {
		for _, c := range g {
			ac := &discordgo.ApplicationCommand{Name: c.name, Description: c.desc, Type: discordgo.ChatApplicationCommand}
			ctxs := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
			if dm {
				ctxs = append(ctxs, discordgo.InteractionContextBotDM)
			}
			ac.Contexts = &ctxs
			for _, o := range c.opts {
				ac.Options = append(ac.Options, &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString,
					Name: o.name, Description: o.desc, Required: o.required})
			}
			out = append(out, ac)
		}
	}
	return out
}

// registerCommands overwrites the application's commands: customer and owner commands
// globally (usable in DMs), team commands in the team channel's guild when it is known
// (globally otherwise).
func (b *Bot) registerCommands(ctx context.Context) error {
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
	global := appCommands(true, customerCommands, ownerCommands)
	if guild == "" {
		global = append(global, appCommands(false, teamCommands)...)
	} else {
		opts, _ := call(ctx)
		if _, err := b.s.ApplicationCommandBulkOverwrite(b.opts.ApplicationID, guild, appCommands(false, teamCommands), opts...); err != nil {
			return fmt.Errorf("discord: register guild commands: %w", err)
		}
	}
	opts, _ := call(ctx)
	if _, err := b.s.ApplicationCommandBulkOverwrite(b.opts.ApplicationID, "", global, opts...); err != nil {
		return fmt.Errorf("discord: register global commands: %w", err)
	}
	return nil
}
