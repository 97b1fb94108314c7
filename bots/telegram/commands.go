package telegram

import (
	"context"
	"strconv"

	"earshot/core"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// privateCommands are offered in a DM with the bot: the customer's, then the owner's.
var privateCommands = []models.BotCommand{
	{Command: "start", Description: "Start talking to us"},
	{Command: "complain", Description: "Tell us about a problem"},
	{Command: "status", Description: "Where your complaints are"},
	{Command: "stop", Description: "No more surveys"},
	{Command: "resume", Description: "Surveys again"},
	{Command: "forget", Description: "Erase my data"},
	{Command: "help", Description: "What I can do"},
	{Command: "digest", Description: "This week so far (owners)"},
	{Command: "scores", Description: "Current scores (owners)"},
}

// groupCommands are offered in groups: the team's.
var groupCommands = []models.BotCommand{
	{Command: "complaints", Description: "Open complaints"},
	{Command: "ack", Description: "Take a complaint: /ack C-12"},
	{Command: "reply", Description: "Answer the customer: /reply C-12 text"},
	{Command: "resolve", Description: "Mark solved: /resolve C-12 note"},
	{Command: "help", Description: "What I can do"},
}

// registerCommands sets the command menus per scope. A failure only costs the menu, so it is
// logged and the bot goes on.
func (b *Bot) registerCommands(ctx context.Context) {
	scopes := []struct {
		scope models.BotCommandScope
		cmds  []models.BotCommand
	}{
		{&models.BotCommandScopeAllPrivateChats{}, privateCommands},
		{&models.BotCommandScopeAllGroupChats{}, groupCommands},
	}
	if tc := b.opts.TeamChat; tc.Platform == core.Telegram {
		if id, err := strconv.ParseInt(tc.ID, 10, 64); err == nil {
			scopes = append(scopes, struct {
				scope models.BotCommandScope
				cmds  []models.BotCommand
			}{&models.BotCommandScopeChat{ChatID: id}, groupCommands})
		}
	}
	for _, s := range scopes {
		cctx, cancel := context.WithTimeout(ctx, b.sendTimeout)
		_, err := b.api.SetMyCommands(cctx, &bot.SetMyCommandsParams{Commands: s.cmds, Scope: s.scope})
		cancel()
		if err != nil {
			b.log.Warn("telegram: set my commands", "err", b.scrub(err))
		}
	}
}
