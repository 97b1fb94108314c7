package telegram

import (
	"strings"
	"testing"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
)

// TestInviteLinksTheBusinessID runs on the fake Bot API: a touchpoint for shop:9 made before
// anyone is linked waits; an invite carrying shop:4711 opened on Telegram links Dana's chat,
// and a touchpoint by shop:4711 surveys that chat, not Eve's; the same single-use invite
// opened by Eve is refused politely; Eve's own invite for shop:9 starts the survey that
// waited.
func TestInviteLinksTheBusinessID(t *testing.T) {
	e := newE2E(t, false, func(o *core.Options) { o.Settings.Namespaces = []string{"shop"} })
	ctx := t.Context()
	shop := func(id string) core.ExternalRef { return core.ExternalRef{Namespace: "shop", ID: id} }

	waiting, err := e.svc.Touch(ctx, core.TouchRequest{External: shop("9"), Stage: "delivery", Ref: "B-2"})
	if err != nil || !waiting.Waiting || waiting.Surveys[0].State != core.RunWaiting {
		t.Fatalf("touch for shop:9 before its link = %+v, %v", waiting, err)
	}
	inv, err := e.svc.CreateInvite(ctx, core.InviteRequest{Customer: core.CustomerRef{External: shop("4711")}})
	if err != nil {
		t.Fatal(err)
	}
	link, err := e.bot.InviteLink(ctx, inv.Token)
	if err != nil || !strings.HasPrefix(link, "https://t.me/earshot_test_bot?start=") {
		t.Fatalf("invite link %q, %v", link, err)
	}
	e.say(faketelegram.Post{From: dana, Text: "/start " + strings.TrimPrefix(link, "https://t.me/earshot_test_bot?start=")})
	e.await(42, "thanks for connecting")

	res, err := e.svc.Touch(ctx, core.TouchRequest{External: shop("4711"), Stage: "delivery", Ref: "A-17"})
	if err != nil || res.Waiting || res.Surveys[0].State != core.RunScheduled {
		t.Fatalf("touch by shop:4711 = %+v, %v", res, err)
	}
	e.await(42, "How courteous were we?")

	e.say(faketelegram.Post{From: stranger, Text: "/start " + inv.Token})
	e.await(44, "That invite link was already used")
	inv9, err := e.svc.CreateInvite(ctx, core.InviteRequest{Customer: core.CustomerRef{External: shop("9")}})
	if err != nil {
		t.Fatal(err)
	}
	e.say(faketelegram.Post{From: stranger, Text: "/start " + inv9.Token})
	e.await(44, "How courteous were we?")

	for _, m := range e.f.Messages(42) {
		if m.FromBot && strings.Count(m.Text, "How courteous were we?") > 1 {
			t.Errorf("Dana got Eve's survey too: %q", m.Text)
		}
	}
	v, err := e.svc.Customer(ctx, core.CustomerRef{External: shop("4711")})
	// Dana's Telegram is German, but the business offers English only: she is written to in English.
	if err != nil || v.ReachVia != "telegram:42" || !v.Reachable || v.Language != "en" {
		t.Errorf("customer shop:4711 = %+v, %v", v, err)
	}
	x, err := e.svc.ExportCustomer(ctx, core.CustomerRef{External: shop("9")})
	if err != nil || len(x.Contacts) != 1 || x.Contacts[0].Ref != "telegram:44" || len(x.Surveys) != 1 {
		t.Errorf("export shop:9 = %+v, %v", x, err)
	}
}
