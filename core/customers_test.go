package core_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
)

func shop(id string) core.ExternalRef { return core.ExternalRef{Namespace: "shop", ID: id} }

func shopRef(id string) core.CustomerRef { return core.CustomerRef{External: shop(id)} }

// newReachEnv is an env whose business names customers shop:ID, with Telegram enabled
// beside the console (its deliveries recorded by tg).
func newReachEnv(t *testing.T, mod func(*core.Settings)) (*env, *fakeMessenger) {
	t.Helper()
	e := newEnv(t, func(s *core.Settings) {
		s.Namespaces = []string{"shop"}
		s.Platforms[core.Telegram] = core.PlatformInfo{Pace: core.Pace{Rate: 1000, Burst: 1000, ChatRate: 1000, ChatBurst: 1000}}
		if mod != nil {
			mod(s)
		}
	})
	tg := &fakeMessenger{platform: core.Telegram}
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(t), Settings: e.set, Store: e.db, Clock: e.clock,
		Messengers: []core.Messenger{e.msgr, tg}, Workers: 1, Random: func(n int64) int64 { return n / 2 }})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	return e, tg
}

// tgDM is a Telegram user writing to the bot.
func (e *env) tgDM(id, text string) {
	e.t.Helper()
	e.event++
	u := core.UserRef{Platform: core.Telegram, ID: id}
	if _, err := e.svc.Handle(e.ctx, core.Incoming{Platform: core.Telegram, EventID: fmt.Sprintf("tg-%d", e.event),
		From: u, Chat: core.ChatRef(u), Direct: true, Text: text}); err != nil {
		e.t.Fatal(err)
	}
	e.flush()
}

func (e *env) invite(r core.InviteRequest) string {
	e.t.Helper()
	inv, err := e.svc.CreateInvite(e.ctx, r)
	if err != nil {
		e.t.Fatal(err)
	}
	return inv.Token
}

func (e *env) touchID(id, ref string) core.TouchResult {
	e.t.Helper()
	res, err := e.svc.Touch(e.ctx, core.TouchRequest{External: shop(id), Stage: "delivery", Ref: ref})
	if err != nil {
		e.t.Fatal(err)
	}
	e.flush()
	return res
}

func count(texts []string, substr string) int {
	n := 0
	for _, s := range texts {
		if strings.Contains(s, substr) {
			n++
		}
	}
	return n
}

func TestParseCustomerRef(t *testing.T) {
	ns := []string{"shop", "crm"}
	for _, tc := range []struct {
		in   string
		want core.CustomerRef
		err  string
	}{
		{in: "telegram:123", want: core.CustomerRef{Account: core.UserRef{Platform: core.Telegram, ID: "123"}}},
		{in: " shop:4711 ", want: shopRef("4711")},
		{in: "crm:dana@example.com", want: core.CustomerRef{External: core.ExternalRef{Namespace: "crm", ID: "dana@example.com"}}},
		{in: "telegram:-5", err: "positive number"},
		{in: "erp:1", err: `unknown platform or customer id namespace "erp" (platforms: telegram, slack, discord, console; namespaces: shop, crm)`},
		{in: "shop:", err: "the id after shop:"},
		{in: "shop:47 11", err: "the id after shop: is 1-128 letters"},
		{in: "shop:" + strings.Repeat("9", 129), err: "the id after shop:"},
		{in: "shop:a\u202eb", err: "the id after shop:"},
		{in: "4711", err: "is not PLATFORM:ID"},
	} {
		got, err := core.ParseCustomerRef(tc.in, ns)
		if tc.err == "" && (err != nil || got != tc.want) {
			t.Errorf("ParseCustomerRef(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
		if tc.err != "" && (core.ErrorCode(err) != core.EINVALID || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("ParseCustomerRef(%q) err = %v; want EINVALID containing %q", tc.in, err, tc.err)
		}
	}
	if _, err := core.ParseCustomerRef("shop:1", nil); err == nil || !strings.Contains(err.Error(), "no customer id namespace is configured under customers.namespaces") {
		t.Errorf("without namespaces: %v", err)
	}
	for _, bad := range []string{"slack", "console", "Shop", "1shop", "", strings.Repeat("a", 33), "sh op"} {
		if core.CheckNamespace(bad) == nil {
			t.Errorf("CheckNamespace(%q) = nil; want an error", bad)
		}
	}
}

// An invite that carries shop:4711 links the chat account that opens it; a touchpoint by
// shop:4711 then surveys that chat, and export and the customer view go by either name.
func TestInviteLinksTheBusinessID(t *testing.T) {
	e, _ := newReachEnv(t, nil)
	token := e.invite(core.InviteRequest{Customer: shopRef("4711")})
	e.dm("maria", "/start "+token)
	e.wantLast("maria", "thanks for connecting")

	res := e.touchID("4711", "A-17")
	if res.Waiting || len(res.Surveys) != 1 || res.Surveys[0].State != core.RunScheduled {
		t.Fatalf("touch by shop:4711 = %+v; want a survey scheduled", res)
	}
	e.wantLast("maria", "How courteous were we?")
	// The same touchpoint again is the same one: no second survey.
	if again := e.touchID("4711", "A-17"); again.Created {
		t.Errorf("a repeated touchpoint was recorded again: %+v", again)
	}
	if n := count(e.msgr.texts("maria"), "How courteous were we?"); n != 1 {
		t.Errorf("%d first questions to maria; want 1", n)
	}

	x, err := e.svc.ExportCustomer(e.ctx, shopRef("4711"))
	if err != nil || len(x.Contacts) != 1 || x.Contacts[0].Ref != "console:maria" || len(x.Touchpoints) != 1 ||
		x.Customer != "shop:4711" {
		t.Fatalf("export shop:4711 = %+v, %v", x, err)
	}
	if got := e.export("maria").Contacts[0].CustomerIDs; len(got) != 1 || got[0] != "shop:4711" {
		t.Errorf("export console:maria names the ids %v; want [shop:4711]", got)
	}
	v, err := e.svc.Customer(e.ctx, shopRef("4711"))
	if err != nil || v.ReachVia != "console:maria" || !v.Reachable || v.OptedOut || len(v.Accounts) != 1 || v.LastSeenAt == nil {
		t.Errorf("customer view = %+v, %v", v, err)
	}
	e.dm("maria", "/stop")
	if v, _ := e.svc.Customer(e.ctx, shopRef("4711")); !v.OptedOut {
		t.Errorf("after /stop the view says opted_out false: %+v", v)
	}
	if _, err := e.svc.Customer(e.ctx, shopRef("9999")); !core.IsNotFound(err) {
		t.Errorf("an unknown id: %v; want ENOTFOUND", err)
	}
}

// A touchpoint for an id nobody has linked yet waits: its survey goes out when the customer
// opens their invite, or, past the plan's expiry, is skipped as not reachable yet.
func TestTouchpointWaitsForTheLink(t *testing.T) {
	e, _ := newReachEnv(t, nil)
	res := e.touchID("7", "A-1")
	if !res.Waiting || len(res.Surveys) != 1 || res.Surveys[0].State != core.RunWaiting ||
		!strings.Contains(res.Surveys[0].Reason, "not reachable yet") {
		t.Fatalf("touch before the link = %+v; want one waiting survey", res)
	}
	late := e.touchID("8", "B-1")
	e.advance(6 * time.Hour)
	token := e.invite(core.InviteRequest{Customer: shopRef("7")})
	e.dm("maria", "/start "+token)
	e.wantLast("maria", "How courteous were we?")

	// shop:8 opens their invite after the plan's 72 hours: nothing goes out.
	e.advance(80 * time.Hour)
	x, err := e.svc.ExportCustomer(e.ctx, shopRef("8"))
	if err != nil || len(x.Waiting) != 1 || x.Waiting[0].State != core.WaitSkipped || x.Waiting[0].Reason != "not reachable yet" {
		t.Fatalf("export shop:8 after the wait = %+v, %v (touch said %+v)", x, err, late)
	}
	e.dm("bob", "/start "+e.invite(core.InviteRequest{Customer: shopRef("8")}))
	e.wantLast("bob", "thanks for connecting")
	if n := count(e.msgr.texts("bob"), "How courteous"); n != 0 {
		t.Errorf("bob got a survey for a touchpoint that expired before the link")
	}
	// A touchpoint already too old to wait is skipped at once.
	old, err := e.svc.Touch(e.ctx, core.TouchRequest{External: shop("9"), Stage: "delivery", OccurredAt: e.clock.Now().Add(-100 * time.Hour)})
	if err != nil || old.Surveys[0].State != core.RunSkipped || old.Surveys[0].Reason != "not reachable yet" {
		t.Errorf("a back-dated touchpoint = %+v, %v; want skipped, not reachable yet", old, err)
	}
}

// One id linked on two platforms reaches the customer on the account they used last.
func TestMostRecentlyActiveAccountWins(t *testing.T) {
	e, tg := newReachEnv(t, func(s *core.Settings) { s.Throttle = 0 })
	e.dm("maria", "/start "+e.invite(core.InviteRequest{Customer: shopRef("1")}))
	e.advance(2 * time.Hour)
	e.tgDM("42", "/start "+e.invite(core.InviteRequest{Customer: shopRef("1")}))

	res1 := e.touchID("1", "A-1")
	if n := count(tg.texts("42"), "How courteous"); n != 1 || count(e.msgr.texts("maria"), "How courteous") != 0 {
		t.Fatalf("the survey did not go to telegram:42, the latest linked: %q / %q", tg.texts("42"), e.msgr.texts("maria"))
	}
	v, _ := e.svc.Customer(e.ctx, shopRef("1"))
	if len(v.Accounts) != 2 || v.ReachVia != "telegram:42" {
		t.Errorf("view = %+v; want two accounts, reached via telegram:42", v)
	}
	// The same touchpoint again, after maria wrote last, is still the one on telegram:42.
	e.advance(2 * time.Hour)
	e.dm("maria", "/status")
	if again := e.touchID("1", "A-1"); again.Created || again.Touchpoint.ContactID != res1.Touchpoint.ContactID {
		t.Errorf("repeating A-1 after the active account changed: %+v; want the first touchpoint", again)
	}
	e.advance(200 * time.Hour)   // the Telegram survey expires
	e.dm("maria", "hello again") // she is offered to file it: a fresh prompt the survey waits behind
	e.touchID("1", "A-2")
	e.advance(11 * time.Minute) // the offer is stale now: the survey closes it
	if n := count(e.msgr.texts("maria"), "How courteous"); n != 1 {
		t.Fatalf("after maria wrote on the console, the survey went elsewhere: %q", e.msgr.texts("maria"))
	}
}

// A reusable invite (a poster) is opened by three customers: each opening records a
// touchpoint and each customer is surveyed; a second opening is throttled as usual.
func TestReusableInviteOpenedByThree(t *testing.T) {
	e, _ := newReachEnv(t, nil)
	token := e.invite(core.InviteRequest{Stage: "delivery", Uses: core.InviteMany, ExpiresAt: start.Add(30 * 24 * time.Hour)})
	for _, who := range []string{"ana", "bob", "cy"} {
		e.dm(who, "/start "+token)
		e.wantLast(who, "How courteous were we?")
	}
	e.dm("ana", "/start "+token)
	x := e.export("ana")
	if len(x.Touchpoints) != 2 || len(x.Surveys) != 2 || x.Surveys[1].State != core.RunSkipped ||
		!strings.HasPrefix(x.Surveys[1].SkipReason, "throttled") {
		t.Errorf("ana's second opening: %+v; want a second touchpoint with a throttled survey", x.Surveys)
	}
	inv, err := e.svc.Invite(e.ctx, token)
	if err != nil || inv.Opens != 4 || inv.UsedBy != 0 {
		t.Errorf("invite = %+v, %v; want 4 openings", inv, err)
	}
}

// A single-use invite opened a second time, an expired invite and a forged token each get
// a polite line and record nothing.
func TestInviteRefusals(t *testing.T) {
	e, _ := newReachEnv(t, nil)
	token := e.invite(core.InviteRequest{Stage: "delivery", Ref: "A-9"})
	e.dm("ana", "/start "+token)
	e.wantLast("ana", "How courteous were we?")
	e.dm("ana", "/start "+token)
	e.wantLast("ana", "You have already opened this invite")
	e.dm("bob", "/start "+token)
	e.wantLast("bob", "That invite link was already used")
	e.dm("bob", "/start AAAAAAAAAAAAAAAAAAAAAAAAAA")
	e.wantLast("bob", "That invite link isn't valid")
	soon := e.invite(core.InviteRequest{Stage: "delivery", ExpiresAt: e.clock.Now().Add(time.Hour)})
	e.advance(2 * time.Hour)
	e.dm("bob", "/start "+soon)
	e.wantLast("bob", "That invite link has expired")
	if x := e.export("ana"); len(x.Touchpoints) != 1 {
		t.Errorf("ana has %d touchpoints; want 1", len(x.Touchpoints))
	}
	if x := e.export("bob"); len(x.Touchpoints) != 0 {
		t.Errorf("bob has touchpoints %+v; want none", x.Touchpoints)
	}

	for _, tc := range []struct {
		r    core.InviteRequest
		want string
	}{
		{core.InviteRequest{ExpiresAt: e.clock.Now().Add(-time.Minute)}, "is not in the future"},
		{core.InviteRequest{Uses: "twice"}, `"twice" is neither once nor many`},
		{core.InviteRequest{Customer: core.CustomerRef{Account: user("ana")}}, "is a chat account already"},
		{core.InviteRequest{Customer: core.CustomerRef{External: core.ExternalRef{Namespace: "erp", ID: "1"}}}, "unknown platform or customer id namespace"},
		{core.InviteRequest{Customer: shopRef("1"), Uses: core.InviteMany}, "cannot carry a customer"},
	} {
		if _, err := e.svc.CreateInvite(e.ctx, tc.r); core.ErrorCode(err) != core.EINVALID || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CreateInvite(%+v) = %v; want EINVALID containing %q", tc.r, err, tc.want)
		}
	}
	if _, err := e.svc.Touch(e.ctx, core.TouchRequest{External: core.ExternalRef{Namespace: "erp", ID: "1"}, Stage: "delivery"}); core.ErrorCode(err) != core.EINVALID {
		t.Errorf("touch for an unknown namespace: %v; want EINVALID", err)
	}
}

// Erasing by the business's id erases every linked account and what waits for the id.
func TestEraseByBusinessID(t *testing.T) {
	e, tg := newReachEnv(t, nil)
	e.touchID("5", "")
	e.dm("maria", "/start "+e.invite(core.InviteRequest{Customer: shopRef("5")}))
	e.tgDM("42", "/start "+e.invite(core.InviteRequest{Customer: shopRef("5")}))
	e.dm("maria", "/complain my bike squeaks")
	e.touchID("5", "waits-no-more")
	if len(tg.texts("42")) == 0 {
		t.Fatal("telegram:42 got nothing")
	}

	n, err := e.svc.EraseCustomer(e.ctx, shopRef("5"))
	if err != nil || n != 2 {
		t.Fatalf("EraseCustomer = %d, %v; want 2 accounts", n, err)
	}
	for _, who := range []core.UserRef{user("maria"), {Platform: core.Telegram, ID: "42"}} {
		if _, err := e.svc.Export(e.ctx, who); !core.IsNotFound(err) {
			t.Errorf("export %s after erase: %v; want ENOTFOUND", who, err)
		}
	}
	if _, err := e.svc.Customer(e.ctx, shopRef("5")); !core.IsNotFound(err) {
		t.Errorf("customer shop:5 after erase: %v; want ENOTFOUND", err)
	}
	if _, err := e.svc.EraseCustomer(e.ctx, shopRef("5")); !core.IsNotFound(err) {
		t.Errorf("erasing again: %v; want ENOTFOUND", err)
	}
	if cs, _ := e.svc.Complaints(e.ctx, "all"); len(cs) != 1 || strings.Contains(cs[0].Text, "squeaks") {
		t.Errorf("complaints after erase: %+v", cs)
	}
	// The id is free again: a new touchpoint waits for a new link.
	if res := e.touchID("5", "later"); !res.Waiting {
		t.Errorf("after erase a touchpoint by shop:5 did not wait: %+v", res)
	}
}
