package telegram

import (
	"context"
	"earshot/core/coretest"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
	"earshot/storage/sqlite"
)

// lazy lets the bot be built before the service it hands events to.
type lazy struct{ h core.Handler }

func (l *lazy) Handle(ctx context.Context, in core.Incoming) (core.Response, error) {
	return l.h.Handle(ctx, in)
}

var stranger = faketelegram.User{ID: 44, FirstName: "Eve", LanguageCode: "en"}

func e2eSettings() core.Settings {
	tg := func(id string) core.UserRef { return core.UserRef{Platform: core.Telegram, ID: id} }
	fast := core.Pace{Rate: 1000, Burst: 1000, ChatRate: 1000, ChatBurst: 1000}
	return core.Settings{
		Business: core.Business{Name: "Acme Bikes", Location: time.UTC},
		Team: core.Team{Channel: chatRef(team), Members: []core.Member{
			{Name: "Lee", Role: core.RoleOwner, Accounts: []core.UserRef{tg("43")}}}},
		Surveys: []core.SurveyPlan{{Name: "after-delivery", Trigger: "delivery", LowScoreThreshold: 4,
			ExpireAfter: 168 * time.Hour,
			Questions: []core.Question{
				{Key: "courtesy", Text: "How courteous were we?", Type: core.Scale, Min: 1, Max: 10},
				{Key: "speed", Text: "How fast were we?", Type: core.Scale, Min: 1, Max: 10},
				{Key: "comment", Text: "Anything we could do better?", Type: core.Text, Optional: true}}}},
		Complaints: core.Standards{AcknowledgeWithin: 12 * time.Hour, ResolveWithin: 48 * time.Hour, AutoCloseAfter: 72 * time.Hour},
		Platforms:  map[core.Platform]core.PlatformInfo{core.Telegram: {DMNeedsContact: true, Pace: fast}},
		PublicURL:  "https://bot.acme.example",
	}
}

// e2e is the whole service on the fake Bot API: real core, real SQLite, the adapter polling.
type e2e struct {
	t    *testing.T
	h    *harness
	f    *faketelegram.Server
	bot  *Bot
	svc  *core.Service
	logs *syncBuffer
	stop func() // stops the bot (not the service)
}

func newE2E(t *testing.T, webhook bool, opts ...func(*core.Options)) *e2e {
	h := newHarness(t)
	h.fake.AddGroup(team, "Acme team")
	var hook *httptest.Server
	if webhook {
		hook = httptest.NewUnstartedServer(nil)
		t.Cleanup(hook.Close)
	}
	ctx, cancel := context.WithCancel(context.Background())
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "earshot.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	l := &lazy{}
	b := h.bot(t, l, func(o *Options) {
		o.TeamChat = chatRef(team)
		if webhook {
			o.Mode, o.WebhookSecret = ModeWebhook, secret
			o.WebhookURL = "http://" + hook.Listener.Addr().String() + "/hooks/telegram"
		}
	})
	if webhook {
		hook.Config.Handler = b.WebhookHandler()
		hook.Start()
	}
	o := core.Options{Texts: coretest.Texts(t), Settings: e2eSettings(), Store: db, Messengers: []core.Messenger{b},
		Logger: slog.New(slog.NewTextHandler(h.logs, nil))}
	for _, f := range opts {
		f(&o)
	}
	svc, err := core.NewService(o)
	if err != nil {
		t.Fatal(err)
	}
	l.h = svc
	done := make(chan struct{})
	go func() { defer close(done); _ = svc.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		_ = db.Close()
	})
	stop := run(t, b)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("customer chat:\n%s\nteam chat:\n%s", h.fake.Transcript(42), h.fake.Transcript(team))
		}
	})
	return &e2e{t: t, h: h, f: h.fake, bot: b, svc: svc, logs: h.logs, stop: stop}
}

// say posts a message and waits until the adapter confirmed it (core has handled it).
func (e *e2e) say(p faketelegram.Post) {
	e.t.Helper()
	if err := e.f.WaitConfirmed(e.f.Send(p), wait); err != nil {
		e.t.Fatal(err)
	}
}

// press presses a labelled button in chat and returns the callback answer.
func (e *e2e) press(u faketelegram.User, chat int64, label string) string {
	e.t.Helper()
	_, q, err := e.f.PressButton(u, chat, label)
	if err != nil {
		e.t.Fatalf("%v\n%s", err, e.f.Transcript(chat))
	}
	text, err := e.f.WaitCallbackAnswer(q, wait)
	if err != nil {
		e.t.Fatal(err)
	}
	return text
}

func (e *e2e) await(chat int64, substr string) faketelegram.Message {
	e.t.Helper()
	m, err := e.f.WaitBotText(chat, wait, substr)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

func (e *e2e) awaitMsg(chat int64, what string, ok func(faketelegram.Message) bool) faketelegram.Message {
	e.t.Helper()
	m, err := e.f.WaitMessage(chat, wait, func(m faketelegram.Message) bool { return m.FromBot && ok(m) })
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
	return m
}

func TestEndToEnd(t *testing.T) {
	for _, mode := range []string{ModePolling, ModeWebhook} {
		t.Run(mode, func(t *testing.T) { lifecycle(t, newE2E(t, mode == ModeWebhook)) })
	}
}

func lifecycle(t *testing.T, e *e2e) {
	ctx := t.Context()
	f := e.f

	// Invite link → /start token: a contact with a touchpoint, and at once the survey.
	inv, err := e.svc.CreateInvite(ctx, core.InviteRequest{Stage: "delivery", Ref: "A-17", Name: "Dana"})
	if err != nil {
		t.Fatal(err)
	}
	link, err := e.bot.InviteLink(ctx, inv.Token)
	if err != nil || link != "https://t.me/earshot_test_bot?start="+inv.Token {
		t.Fatalf("invite link %q, %v", link, err)
	}
	token := strings.TrimPrefix(link, "https://t.me/earshot_test_bot?start=")
	e.say(faketelegram.Post{From: dana, Text: "/start " + token})

	// Question 1 by button: the question, under the intro, becomes question 2 in place,
	// showing the answer.
	q1 := e.awaitMsg(42, "question 1", func(m faketelegram.Message) bool { return len(m.Keyboard) == 2 && len(m.Keyboard[0]) == 5 })
	if got := e.press(dana, 42, "9"); got == "" {
		t.Errorf("the button press got no notice")
	}
	e.awaitMsg(42, "question 1 turned into question 2", func(m faketelegram.Message) bool {
		return m.ID == q1.ID && m.Edits > 0 && len(m.Keyboard) == 2 && strings.Contains(m.Text, "✓ 9") &&
			strings.Contains(m.Text, "How fast were we?")
	})
	// Question 2 by typing; question 3 takes text with markup in it.
	e.await(42, "How fast were we?")
	e.say(faketelegram.Post{From: dana, Text: "3/10"})
	e.await(42, "Anything we could do better?")
	e.say(faketelegram.Post{From: dana, Text: "The wheel was <b>bent</b> & scratched"})

	// Low score → complaint → card in the group.
	e.await(42, "Shall we pass this to our team?")
	e.press(dana, 42, "Yes, tell the team")
	e.await(42, "Complaint C-1001 received")
	card := e.awaitMsg(team, "the card", func(m faketelegram.Message) bool { return len(m.Keyboard) > 0 })
	if !strings.Contains(card.Text, "<b>bent</b> & scratched") || strings.Contains(card.HTML, "<b>bent</b>") {
		t.Errorf("the customer's markup must show literally:\ntext: %s\nhtml: %s", card.Text, card.HTML)
	}

	// A stranger is refused; the member acknowledges with a group command to the bot.
	if got := e.press(stranger, team, "Acknowledge"); got != "Only team members can do that." {
		t.Errorf("stranger's notice %q", got)
	}
	e.say(faketelegram.Post{From: stranger, ChatID: team, Text: "/ack C-1001"})
	e.await(team, "Only team members can use /ack.")
	e.say(faketelegram.Post{From: lee, ChatID: team, Text: "/ack@earshot_test_bot C-1001"})
	e.await(42, "Lee from Acme Bikes is looking at your complaint C-1001.")
	e.awaitMsg(team, "the card edited", func(m faketelegram.Message) bool {
		return m.ID == card.ID && m.Edits > 0 && strings.Contains(m.Text, "Lee")
	})

	// /reply both ways: a command, the customer's answer threaded under the card, and a
	// reply to the card in the group.
	e.say(faketelegram.Post{From: lee, ChatID: team, Text: "/reply C-1001 A new wheel is on its way"})
	e.await(42, "A new wheel is on its way")
	e.say(faketelegram.Post{From: dana, Text: "Thanks! When?"})
	relay := e.awaitMsg(team, "customer's message under the card", func(m faketelegram.Message) bool {
		return m.ReplyTo == card.ID && strings.Contains(m.Text, "Thanks! When?")
	})
	e.say(faketelegram.Post{From: lee, ChatID: team, Text: "Tomorrow morning", ReplyTo: card.ID})
	e.await(42, "Tomorrow morning")
	// The fake shows the relay a moment before its send returns to the bot, which then
	// learns the relay's thread; a person replying takes longer than that.
	coretest.WaitFor(t, "the bot to know the relay's thread", func() bool {
		id := sentID(team, relay.ID)
		return e.bot.threads.rootOf(id) != id
	})
	// Replying to the relayed message rather than to the card stays in the thread too.
	e.say(faketelegram.Post{From: lee, ChatID: team, Text: "Around 9 o'clock", ReplyTo: relay.ID})
	e.await(42, "Around 9 o'clock")

	// The team's list, asked with the bot's name as groups do.
	before := f.Messages(team)
	e.say(faketelegram.Post{From: lee, ChatID: team, Text: "/complaints@earshot_test_bot"})
	e.awaitMsg(team, "the complaints list", func(m faketelegram.Message) bool {
		return m.ID > before[len(before)-1].ID+1 && strings.Contains(m.Text, "C-1001")
	})

	// Resolve; the customer confirms.
	e.say(faketelegram.Post{From: lee, ChatID: team, Text: "/resolve C-1001 wheel replaced"})
	e.await(42, "Is your problem solved?")
	e.press(dana, 42, "Yes, solved")
	coretest.WaitFor(t, "the complaint closed as solved", func() bool {
		cs, err := e.svc.Complaints(ctx, "all")
		return err == nil && len(cs) == 1 && cs[0].Status == core.StatusClosed && cs[0].Confirmed != nil && *cs[0].Confirmed
	})

	// The contact keeps what Telegram told of the customer.
	x, err := e.svc.Export(ctx, core.UserRef{Platform: core.Telegram, ID: "42"})
	if err != nil || len(x.Contacts) != 1 || x.Contacts[0].Name != "Dana Scully" || x.Contacts[0].Locale != "de" {
		t.Errorf("contact: %+v, %v", x.Contacts, err)
	}

	// The digest reaches the owner by DM once they have opened the bot.
	e.say(faketelegram.Post{From: lee, Text: "/start"})
	if _, err := e.svc.SendDigest(ctx, core.WeekOf(time.Now(), time.UTC)); err != nil {
		t.Fatal(err)
	}
	d := e.awaitMsg(43, "the digest DM", func(m faketelegram.Message) bool { return strings.Contains(m.Text, "courtesy") })
	if !strings.Contains(d.Text, "speed") {
		t.Errorf("digest:\n%s", d.Text)
	}
	// Every callback was answered.
	for _, c := range f.Calls("answerCallbackQuery") {
		if c.Code != 200 {
			t.Errorf("answerCallbackQuery failed: %+v", c)
		}
	}
}
