package core_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
	"earshot/storage/sqlite"
)

// fakeMessenger records deliveries the way a platform would show them: each message has an
// id, edits replace it, and buttons can be pressed.
type fakeMessenger struct {
	platform core.Platform
	mu       sync.Mutex
	msgs     []delivered
	fail     func(d core.Delivery) error
}

type delivered struct {
	id     string
	d      core.Delivery
	edited bool // replaced by a later edit
}

func (f *fakeMessenger) Platform() core.Platform { return f.platform }

func (f *fakeMessenger) Deliver(_ context.Context, d core.Delivery) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		if err := f.fail(d); err != nil {
			return "", err
		}
	}
	if d.EditID != "" {
		for i := range f.msgs {
			if f.msgs[i].id == d.EditID {
				f.msgs[i].edited = true
			}
		}
	}
	id := fmt.Sprintf("m%d", len(f.msgs)+1)
	f.msgs = append(f.msgs, delivered{id: id, d: d})
	return id, nil
}

// to returns the deliveries to a chat, oldest first.
func (f *fakeMessenger) to(chat string) []core.Delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []core.Delivery
	for _, m := range f.msgs {
		if m.d.To.ID == chat {
			out = append(out, m.d)
		}
	}
	return out
}

// texts returns the titles and texts delivered to a chat, one string each.
func (f *fakeMessenger) texts(chat string) []string {
	var out []string
	for _, d := range f.to(chat) {
		out = append(out, strings.TrimSpace(d.Message.Title+"\n"+d.Message.Text))
	}
	return out
}

// button returns the payload of the button labelled label on the newest unedited message
// to chat carrying it.
func (f *fakeMessenger) button(t *testing.T, chat, label string) string {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.msgs) - 1; i >= 0; i-- {
		m := f.msgs[i]
		if m.d.To.ID != chat || m.edited {
			continue
		}
		for _, c := range m.d.Message.Choices {
			if c.Label == label {
				return c.Payload
			}
		}
	}
	t.Fatalf("no button %q in chat %s", label, chat)
	return ""
}

// env is a service on a real SQLite database with a manual clock.
type env struct {
	t     *testing.T
	ctx   context.Context
	path  string
	db    *sqlite.DB
	svc   *core.Service
	clock *core.ManualClock
	msgr  *fakeMessenger
	hooks *fakeMessenger // the business's webhooks (core.Webhook)
	set   core.Settings
	event int
	langs []core.Lang // offered, the business's first; none: English (takes effect on open)
}

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

// start is a Monday morning in Berlin, 2026-W47.
var start = time.Date(2026, 11, 16, 10, 0, 0, 0, berlin)

func settings() core.Settings {
	return core.Settings{
		Business: core.Business{Name: "Acme Bikes", Location: berlin, Language: "en"},
		Team: core.Team{
			Channel: core.ChatRef{Platform: core.Console, ID: "team"},
			Members: []core.Member{
				{Name: "Sam", Role: core.RoleOwner, Accounts: []core.UserRef{{Platform: core.Console, ID: "sam"}}},
				{Name: "Lee", Role: core.RoleMember, Accounts: []core.UserRef{{Platform: core.Console, ID: "lee"}}},
			},
		},
		Surveys: []core.SurveyPlan{{
			Name: "after-delivery", Trigger: "delivery", ReminderAfter: 24 * time.Hour, ExpireAfter: 72 * time.Hour,
			LowScoreThreshold: 4,
			Questions: []core.Question{
				{Key: "courtesy", Text: "How courteous were we?", Type: core.Scale, Min: 1, Max: 10},
				{Key: "speed", Text: "How fast were we?", Type: core.Scale, Min: 1, Max: 10},
				{Key: "comment", Text: "Anything we could do better?", Type: core.Text, Optional: true},
			},
		}},
		Throttle:   720 * time.Hour,
		Complaints: core.Standards{AcknowledgeWithin: 12 * time.Hour, ResolveWithin: 48 * time.Hour, AutoCloseAfter: 72 * time.Hour},
		Platforms:  map[core.Platform]core.PlatformInfo{},
	}
}

func newEnv(t *testing.T, mod func(*core.Settings)) *env {
	t.Helper()
	set := settings()
	if mod != nil {
		mod(&set)
	}
	e := &env{t: t, ctx: context.Background(), path: filepath.Join(t.TempDir(), "earshot.db"),
		clock: core.NewManualClock(start), msgr: &fakeMessenger{platform: core.Console},
		hooks: &fakeMessenger{platform: core.Webhook}, set: set}
	e.open()
	t.Cleanup(func() { e.db.Close() }) // the database open at the end, after any restarts
	return e
}

// open opens the database and a fresh service on it, as a restarted process would.
func (e *env) open() {
	e.t.Helper()
	db, err := sqlite.Open(e.ctx, e.path)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := db.Migrate(e.ctx); err != nil {
		e.t.Fatal(err)
	}
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(e.t, e.langs...), Settings: e.set, Store: db, Clock: e.clock,
		Messengers: []core.Messenger{e.msgr, e.hooks}, Workers: 1, Random: func(n int64) int64 { return n / 2 }})
	if err != nil {
		e.t.Fatal(err)
	}
	e.db, e.svc = db, svc
}

// restart closes the database and opens it again with a new service.
func (e *env) restart() {
	e.t.Helper()
	if err := e.db.Close(); err != nil {
		e.t.Fatal(err)
	}
	e.open()
}

// flush runs due work and delivers the outbox until both are idle.
func (e *env) flush() {
	e.t.Helper()
	for range 100 {
		jobs, err := e.svc.RunDue(e.ctx)
		if err != nil {
			e.t.Fatal(err)
		}
		sent, err := e.svc.DeliverDue(e.ctx)
		if err != nil {
			e.t.Fatal(err)
		}
		if jobs == 0 && sent == 0 {
			return
		}
	}
	e.t.Fatal("flush did not settle")
}

func (e *env) advance(d time.Duration) {
	e.t.Helper()
	e.clock.Advance(d)
	e.flush()
}

func user(id string) core.UserRef { return core.UserRef{Platform: core.Console, ID: id} }

// send delivers an inbound event and flushes; it returns the response.
func (e *env) send(in core.Incoming) core.Response {
	e.t.Helper()
	e.event++
	in.Platform = core.Console
	if in.EventID == "" {
		in.EventID = fmt.Sprintf("ev-%d", e.event)
	}
	resp, err := e.svc.Handle(e.ctx, in)
	if err != nil {
		e.t.Fatalf("Handle(%+v): %v", in, err)
	}
	e.flush()
	return resp
}

// dm is a customer or member writing to the bot in private.
func (e *env) dm(who, text string) core.Response {
	return e.send(core.Incoming{From: user(who), Chat: core.ChatRef(user(who)), Direct: true, Text: text})
}

// press presses the newest button labelled label in who's DM.
func (e *env) press(who, label string) core.Response {
	e.t.Helper()
	p := e.msgr.button(e.t, who, label)
	return e.send(core.Incoming{From: user(who), Chat: core.ChatRef(user(who)), Direct: true, Action: p})
}

// inTeam is someone writing in the team channel.
func (e *env) inTeam(who, text string) core.Response {
	return e.send(core.Incoming{From: user(who), Chat: e.set.Team.Channel, Text: text})
}

// pressInTeam presses a card button in the team channel.
func (e *env) pressInTeam(who, label string) core.Response {
	e.t.Helper()
	p := e.msgr.button(e.t, "team", label)
	return e.send(core.Incoming{From: user(who), Chat: e.set.Team.Channel, Action: p})
}

func (e *env) touch(who, ref string) core.TouchResult {
	e.t.Helper()
	res, err := e.svc.Touch(e.ctx, core.TouchRequest{Customer: user(who), Stage: "delivery", Ref: ref})
	if err != nil {
		e.t.Fatal(err)
	}
	e.flush()
	return res
}

func (e *env) complaint(ref string) core.ComplaintView {
	e.t.Helper()
	list, err := e.svc.Complaints(e.ctx, "all")
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range list {
		if string(c.Ref) == ref {
			return c
		}
	}
	e.t.Fatalf("no complaint %s in %+v", ref, list)
	return core.ComplaintView{}
}

func (e *env) export(who string) core.Export {
	e.t.Helper()
	x, err := e.svc.Export(e.ctx, user(who))
	if err != nil {
		e.t.Fatal(err)
	}
	return x
}

// last returns the text of the newest message delivered to chat, as the chat shows it at
// the bottom: edits of earlier messages (an answered question's tick) stay where they were.
func (e *env) last(chat string) string {
	e.t.Helper()
	ds := e.msgr.to(chat)
	for i := len(ds) - 1; i >= 0; i-- {
		if ds[i].EditID == "" {
			return strings.TrimSpace(ds[i].Message.Title + "\n" + ds[i].Message.Text)
		}
	}
	e.t.Fatalf("nothing delivered to %s", chat)
	return ""
}

func (e *env) wantLast(chat, substr string) {
	e.t.Helper()
	if got := e.last(chat); !strings.Contains(got, substr) {
		e.t.Fatalf("last message to %s = %q; want it to contain %q", chat, got, substr)
	}
}

func (e *env) wantAny(chat, substr string) {
	e.t.Helper()
	if !slices.ContainsFunc(e.msgr.texts(chat), func(s string) bool { return strings.Contains(s, substr) }) {
		e.t.Fatalf("no message to %s contains %q; got %q", chat, substr, e.msgr.texts(chat))
	}
}
