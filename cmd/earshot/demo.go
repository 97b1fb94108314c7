package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"earshot/bots/console"
	"earshot/cmd/earshot/internal/config"
	"earshot/core"
)

//go:embed demo.yaml
var demoConfig []byte

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs, _ := flags("demo", e)
	dbPath := fs.String("db", "", "keep the demo's database in `FILE` (default: a temporary file)")
	lang := fs.String("lang", "en", "the business's and the customer's language: `LANG`, "+strings.Join(demoLangs(), " or "))
	if err := parse(fs, args); err != nil {
		return err
	}
	if _, err := scriptFor(*lang); err != nil {
		return err
	}
	if *dbPath == "" {
		dir, err := os.MkdirTemp("", "earshot-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*dbPath = filepath.Join(dir, "demo.db")
	} else if _, err := os.Stat(*dbPath); err == nil {
		return fmt.Errorf("demo: %s exists; the demo starts from an empty database", *dbPath)
	}
	return runDemoIn(ctx, e.stdout, *dbPath, *lang)
}

// runDemo plays the demo in English.
func runDemo(ctx context.Context, out io.Writer, dbPath string) error {
	return runDemoIn(ctx, out, dbPath, "en")
}

// runDemoIn plays the whole lifecycle on the console adapter with the real core, the real
// SQLite storage and the real due-work and outbox code, on a clock it moves by hand. The
// business's language is lang, and the customer writes in it from a platform set to it.
func runDemoIn(ctx context.Context, out io.Writer, dbPath, lang string) error {
	script, err := scriptFor(lang)
	if err != nil {
		return err
	}
	cfg, err := config.Parse(demoConfig, func(string) (string, bool) { return "", false })
	if err != nil {
		return fmt.Errorf("demo configuration: %w", err)
	}
	cfg.Business.Language = lang
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("demo configuration in %s: %w", lang, err)
	}
	loc := cfg.Location()
	clock := core.NewManualClock(time.Date(2026, 11, 16, 9, 30, 0, 0, loc))
	bot := console.New(out, clock, loc)
	a, err := openWith(ctx, cfg, wiring{db: dbPath, clock: clock, messengers: []core.Messenger{bot}, workers: 1,
		log: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	defer a.Close()
	d := &demo{ctx: ctx, out: out, a: a, bot: bot, clock: clock, loc: loc, sched: digestSchedule(cfg), script: script}
	for id, name := range map[string]string{"maria": "Maria (customer, DM)", "team": "team channel",
		"sam": "Sam (owner, DM)", "lee": "Lee (DM)"} {
		bot.Name(id, name)
	}
	if _, err := a.svc.CatchUpDigests(ctx, d.sched); err != nil { // starts the schedule
		return err
	}
	fmt.Fprintf(out, "earshot demo — %s, %s. The clock is simulated; everything else is real:\n"+
		"the core, SQLite storage, due work and the outbox, delivered by the console adapter.\n",
		a.set.Business.Name, loc)
	return d.play()
}

type demo struct {
	ctx    context.Context
	out    io.Writer
	a      *app
	bot    *console.Bot
	clock  *core.ManualClock
	loc    *time.Location
	sched  core.Schedule
	script demoScript
	event  int
	err    error
}

var (
	maria = core.UserRef{Platform: core.Console, ID: "maria"}
	lee   = core.UserRef{Platform: core.Console, ID: "lee"}
	eve   = core.UserRef{Platform: core.Console, ID: "eve"}
	team  = core.ChatRef{Platform: core.Console, ID: "team"}
)

func (d *demo) play() error {
	d.step("The shop records a delivery (earshot touch / POST /api/v1/touchpoints)")
	res, err := d.a.svc.Touch(d.ctx, core.TouchRequest{Customer: maria, Stage: "delivery", Ref: "A-17", Name: d.script.customer})
	if err != nil {
		return err
	}
	for _, s := range res.Surveys {
		fmt.Fprintf(d.out, "  survey %q %s, due %s\n", s.Plan, s.State, s.DueAt.In(d.loc).Format("Mon 15:04"))
	}

	d.advance("Two hours later the survey falls due", 2*time.Hour)
	d.press("Maria", maria, "9")
	d.say("Maria", maria, "3/10")
	d.say("Maria", maria, d.script.notScore)
	d.say("Maria", maria, "8")
	d.say("Maria", maria, d.script.comment)

	d.step("The low score turns into a complaint")
	d.tap("Maria", maria, core.ChatRef(maria), 0) // yes, tell the team
	d.team("Eve (not on the team)", eve, "/ack C-1001")

	d.advance("Nine hours on, 75 % of the 12-hour standard has passed", 9*time.Hour)
	d.tap("Lee", lee, team, 0) // acknowledge
	d.team("Lee", lee, "/reply C-1001 "+d.script.reply)
	d.say("Maria", maria, d.script.question)
	d.team("Lee", lee, "/reply C-1001 "+d.script.answer)

	d.advance("Next morning", 13*time.Hour)
	d.team("Lee", lee, "/resolve C-1001 "+d.script.note)
	d.tap("Maria", maria, core.ChatRef(maria), 0) // yes, solved

	d.advance("Monday 09:00: the weekly digest goes to the owners", d.untilDigest())
	if d.err != nil {
		return d.err
	}
	d.step("Where things stand (earshot complaints)")
	list, err := d.a.svc.Complaints(d.ctx, "all")
	if err != nil {
		return err
	}
	for _, c := range list {
		confirmed := "unanswered"
		if c.Confirmed != nil && *c.Confirmed {
			confirmed = "confirmed solved"
		}
		fmt.Fprintf(d.out, "  %s  %s  %s  owner %s  %s\n", c.Ref, c.Status, c.Customer, deref(c.AcknowledgedBy), confirmed)
	}
	return d.err
}

func deref(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

func (d *demo) step(title string) {
	fmt.Fprintf(d.out, "\n── %s · %s\n", d.clock.Now().In(d.loc).Format("Mon 2 Jan 15:04"), title)
}

// advance moves the clock, fires the schedules that came due and runs what is due.
func (d *demo) advance(title string, by time.Duration) {
	d.clock.Advance(by)
	d.step(title)
	if d.err != nil {
		return
	}
	if _, err := d.a.svc.CatchUpDigests(d.ctx, d.sched); err != nil {
		d.err = err
		return
	}
	d.flush()
}

func (d *demo) untilDigest() time.Duration {
	now := d.clock.Now()
	return d.sched.Next(now).Sub(now)
}

// flush runs due work and delivers the outbox until both are idle.
func (d *demo) flush() {
	for d.err == nil {
		jobs, err := d.a.svc.RunDue(d.ctx)
		if err != nil {
			d.err = err
			return
		}
		sent, err := d.a.svc.DeliverDue(d.ctx)
		if err != nil {
			d.err = err
			return
		}
		if jobs == 0 && sent == 0 {
			return
		}
	}
}

func (d *demo) handle(who string, in core.Incoming, shown string) {
	if d.err != nil {
		return
	}
	d.clock.Advance(time.Minute)
	d.event++
	in.Platform, in.EventID = core.Console, "demo-"+strconv.Itoa(d.event)
	fmt.Fprintf(d.out, "%s  %s %s\n", d.clock.Now().In(d.loc).Format("Mon 15:04"), who, shown)
	resp, err := d.a.svc.Handle(d.ctx, in)
	if err != nil {
		d.err = err
		return
	}
	if resp.Notice != "" {
		fmt.Fprintf(d.out, "      (the button answers: %q)\n", resp.Notice)
	}
	d.flush()
}

func (d *demo) say(who string, from core.UserRef, text string) {
	d.handle(who, core.Incoming{From: from, Chat: core.ChatRef(from), Direct: true, Text: text, Name: d.script.customer,
		Locale: d.script.locale},
		"writes: "+text)
}

func (d *demo) team(who string, from core.UserRef, text string) {
	d.handle(who, core.Incoming{From: from, Chat: team, Text: text}, "writes in the team channel: "+text)
}

// press taps the button labelled label on the newest message that has it, in the DM of
// from or else in the team channel.
func (d *demo) press(who string, from core.UserRef, label string) {
	chat := core.ChatRef(from)
	if _, ok := d.bot.Button(chat, label); !ok {
		chat = team
	}
	d.pressIn(who, from, chat, label)
}

// pressIn taps the button labelled label on the newest message in chat that has it.
func (d *demo) pressIn(who string, from core.UserRef, chat core.ChatRef, label string) {
	direct := chat == core.ChatRef(from)
	payload, ok := d.bot.Button(chat, label)
	if !ok {
		if d.err == nil {
			d.err = errors.New("demo: no button " + strconv.Quote(label) + " for " + who)
		}
		return
	}
	d.handle(who, core.Incoming{From: from, Chat: chat, Direct: direct, Action: payload}, "taps ["+label+"]")
}
