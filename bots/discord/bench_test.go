package discord

import (
	"context"
	"strings"
	"testing"

	"earshot/bots/discord/fakediscord"
	"earshot/core"
)

func BenchmarkRenderCard(b *testing.B) {
	m := core.Message{Title: "Complaint C-1001 · open", Text: strings.Repeat("The *bike* came late. ", 40),
		Fields:  []core.Field{{Label: "Customer", Value: "Maria (discord:42)", Short: true}, {Label: "Reply by", Value: "2026-11-24 09:00"}},
		Choices: []core.Choice{{Label: "Acknowledge", Payload: "c:ack:1001"}, {Label: "Resolve", Payload: "c:res:1001", NeedsNote: true}}}
	for b.Loop() {
		render(m, false)
	}
}

// BenchmarkDeliver is one question DM through discordgo to the fake on loopback.
func BenchmarkDeliver(b *testing.B) {
	_, bot := newBot(b, nil)
	ctx := context.Background()
	var id int64
	for b.Loop() {
		id++
		if _, err := bot.Deliver(ctx, core.Delivery{ID: id, To: user("42"), DM: true,
			Message: core.Message{Text: "How courteous were we?", Choices: scale()}}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestInviteLink(t *testing.T) {
	t.Parallel()
	fake, b := newBot(t, nil)
	s, err := b.InviteLink(context.Background(), "tok123") // not connected: asks users/@me
	if err != nil || !strings.Contains(s, "https://discord.com/users/"+fake.BotUserID) || !strings.HasSuffix(s, "send: start tok123") {
		t.Errorf("InviteLink = %q, %v", s, err)
	}
	fake.Fail(fakediscord.Failure{Path: "/users/@me", Status: 500, Times: 5})
	_, b2 := newBotOn(t, fake)
	if s, err := b2.InviteLink(context.Background(), "tok9"); err != nil || !strings.HasSuffix(s, "send: start tok9") {
		t.Errorf("InviteLink without Discord = %q, %v", s, err)
	}
}
