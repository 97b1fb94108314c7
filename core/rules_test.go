package core_test

import (
	"strings"
	"testing"
	"time"

	"earshot/core"
)

func TestThrottleAndOptOutSkipWithReasons(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/start")
	first := e.touch("maria", "A-1")
	second := e.touch("maria", "A-2")
	if first.Surveys[0].State != core.RunScheduled {
		t.Fatalf("first = %+v", first.Surveys)
	}
	if s := second.Surveys[0]; s.State != core.RunSkipped || !strings.HasPrefix(s.Reason, "throttled") {
		t.Fatalf("second within the throttle = %+v", s)
	}
	// The same customer, stage and ref again is the same touchpoint: nothing twice.
	again := e.touch("maria", "A-1")
	if again.Created || len(again.Surveys) != 1 || again.Surveys[0].RunID != first.Surveys[0].RunID {
		t.Fatalf("repeated touchpoint = %+v", again)
	}

	e.dm("bob", "/start")
	e.dm("bob", "/stop")
	e.wantLast("bob", "no more surveys")
	if s := e.touch("bob", "B-1").Surveys[0]; s.State != core.RunSkipped || !strings.HasPrefix(s.Reason, "opted out") {
		t.Fatalf("opted-out touch = %+v", s)
	}
	e.dm("bob", "/resume")
	if s := e.touch("bob", "B-2").Surveys[0]; s.State != core.RunScheduled {
		t.Fatalf("after /resume = %+v", s)
	}

	// Stopping mid-survey ends it: later answers are not survey answers.
	e.dm("carol", "/start")
	e.touch("carol", "C-1")
	e.dm("carol", "stop")
	if got := e.export("carol").Surveys[0].State; got != core.RunExpired {
		t.Fatalf("live survey after /stop = %s", got)
	}
}

func TestNoThrottleMeansNone(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) { s.Throttle = 0 })
	e.dm("maria", "/start")
	e.touch("maria", "A-1")
	if s := e.touch("maria", "A-2").Surveys[0]; s.State != core.RunScheduled {
		t.Fatalf("throttle 0 skipped: %+v", s)
	}
}

func TestQuietHoursUseTheCustomersZone(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) {
		s.Business.Quiet = core.QuietHours{From: 20 * time.Hour, To: 9 * time.Hour}
		s.Surveys[0].Delay = 10 * time.Hour // 10:00 + 10h = 20:00 Berlin: quiet
	})
	e.send(core.Incoming{From: user("maria"), Chat: core.ChatRef(user("maria")), Direct: true, Text: "/start"})
	e.send(core.Incoming{From: user("ny"), Chat: core.ChatRef(user("ny")), Direct: true, Text: "/start",
		TimeZone: "America/New_York"})
	berlinDue := e.touch("maria", "A-1").Surveys[0].DueAt
	if want := time.Date(2026, 11, 17, 9, 0, 0, 0, berlin); !berlinDue.Equal(want) {
		t.Fatalf("Berlin customer due %v; want %v", berlinDue.In(berlin), want)
	}
	// 20:00 Berlin is 14:00 in New York: not quiet there.
	nyDue := e.touch("ny", "A-2").Surveys[0].DueAt
	if want := start.Add(10 * time.Hour); !nyDue.Equal(want) {
		t.Fatalf("New York customer due %v; want %v", nyDue, want)
	}
}

func TestReminderAndExpiry(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/start")
	e.touch("maria", "A-1")
	e.advance(23 * time.Hour)
	if n := strings.Count(strings.Join(e.msgr.texts("maria"), "\n"), "gentle reminder"); n != 0 {
		t.Fatal("reminded too early")
	}
	e.advance(time.Hour)
	e.wantLast("maria", "A gentle reminder")
	// The first question's old buttons went when the reminder brought fresh ones.
	ds := e.msgr.to("maria")
	if ds[len(ds)-1].EditID == "" || len(ds[len(ds)-1].Message.Choices) != 0 {
		t.Fatalf("old question not stripped of buttons: %+v", ds[len(ds)-1])
	}
	e.advance(24 * time.Hour)
	if n := strings.Count(strings.Join(e.msgr.texts("maria"), "\n"), "gentle reminder"); n != 1 {
		t.Fatalf("%d reminders; want exactly one", n)
	}
	p := e.msgr.button(t, "maria", "5")
	e.advance(24 * time.Hour) // 72h after it fell due: expired
	if got := e.export("maria").Surveys[0].State; got != core.RunExpired {
		t.Fatalf("state after expiry = %s", got)
	}
	r := e.send(core.Incoming{From: user("maria"), Chat: core.ChatRef(user("maria")), Direct: true, Action: p})
	if r.Notice != "This survey is closed. Thank you!" || len(e.export("maria").Answers) != 0 {
		t.Fatalf("button after expiry: %q, answers %+v", r.Notice, e.export("maria").Answers)
	}
}

func TestOneSurveyConversationAtATime(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) {
		s.Throttle = 0
		s.Surveys = append(s.Surveys, core.SurveyPlan{Name: "after-visit", Trigger: "visit",
			Questions: []core.Question{{Key: "welcome", Text: "How welcome did you feel?", Type: core.Scale, Min: 1, Max: 5}}})
	})
	e.dm("maria", "/start")
	e.touch("maria", "A-1")
	if _, err := e.svc.Touch(e.ctx, core.TouchRequest{Customer: user("maria"), Stage: "visit"}); err != nil {
		t.Fatal(err)
	}
	e.flush()
	if strings.Contains(strings.Join(e.msgr.texts("maria"), "\n"), "How welcome") {
		t.Fatal("a second survey started while one was live")
	}
	e.dm("maria", "8")
	e.dm("maria", "8")
	e.dm("maria", "skip")
	e.wantLast("maria", "1/1 · How welcome did you feel?")
	e.dm("maria", "5")
	x := e.export("maria")
	if len(x.Answers) != 4 || x.Answers[3].Question != "welcome" {
		t.Fatalf("answers = %+v", x.Answers)
	}
}

func TestNotSolvedReopensAndTellsTheOwner(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/complain The brakes squeak")
	e.wantLast("maria", "Complaint C-1001 received")
	e.inTeam("lee", "/ack C-1001")
	e.inTeam("lee", "/resolve C-1001 Adjusted the brakes")
	e.press("maria", "No, not yet")
	c := e.complaint("C-1001")
	if c.Status != core.StatusOpen || c.Reopened != 1 || c.Confirmed != nil || *c.AcknowledgedBy != "Lee" {
		t.Fatalf("after 'not solved' = %+v", c)
	}
	e.wantAny("team", "C-1001 was reopened")
	e.wantLast("maria", "We reopened C-1001 and told Lee")
	e.inTeam("lee", "/ack C-1001")
	e.inTeam("lee", "/resolve C-1001 Replaced the pads")
	e.dm("maria", "yes")
	if c := e.complaint("C-1001"); c.Status != core.StatusClosed || c.Confirmed == nil || !*c.Confirmed {
		t.Fatalf("after typed yes = %+v", c)
	}
}

func TestUnansweredResolutionAutoClosesUnconfirmed(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/complain Wrong colour")
	e.inTeam("lee", "/resolve C-1001 Exchanged")
	e.advance(71 * time.Hour)
	if c := e.complaint("C-1001"); c.Status != core.StatusResolved {
		t.Fatalf("closed too early: %+v", c)
	}
	e.advance(time.Hour)
	c := e.complaint("C-1001")
	if c.Status != core.StatusClosed || c.Confirmed == nil || *c.Confirmed {
		t.Fatalf("auto-close = %+v; want closed with confirmed=false", c)
	}
	e.wantLast("maria", "we closed complaint C-1001")
}

func TestStandardsWarnThenEscalate(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/complain Nobody answers the phone")
	e.advance(9*time.Hour - time.Minute)
	if strings.Contains(strings.Join(e.msgr.texts("team"), "\n"), "needs acknowledging") {
		t.Fatal("warned before 75 %")
	}
	e.advance(time.Minute)
	e.wantLast("team", "⏰ C-1001 needs acknowledging")
	e.advance(3 * time.Hour)
	e.wantLast("sam", "🚨 Escalation: C-1001 was not acknowledged within 12 hours")
	if n := len(e.msgr.to("lee")); n != 0 {
		t.Fatalf("escalations go to owners only; Lee got %d", n)
	}
	// The resolve standard: Lee owns it now, so the warning goes to Lee.
	e.inTeam("lee", "/ack C-1001")
	e.advance(24 * time.Hour) // 36h after opening = 75 % of 48h
	e.wantLast("lee", "⏰ C-1001 needs resolving")
	e.advance(12 * time.Hour)
	e.wantLast("sam", "was not resolved within 2 days")
	d, err := e.svc.Digest(e.ctx, core.WeekOf(start, berlin))
	if err != nil {
		t.Fatal(err)
	}
	if d.Complaints.Breaches["acknowledge"] != 1 || d.Complaints.Breaches["resolve"] != 1 || d.Complaints.AckWithinStandard != 0 {
		t.Fatalf("digest complaints = %+v", d.Complaints)
	}
}

func TestPlainMessageOffersAComplaint(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "My order is missing a pedal")
	e.wantLast("maria", "Shall I pass it to our team as a complaint?")
	e.dm("maria", "and the bell")
	e.press("maria", "Yes, file a complaint")
	c := e.complaint("C-1001")
	if !strings.Contains(c.Text, "missing a pedal") || !strings.Contains(c.Text, "and the bell") {
		t.Fatalf("complaint text = %q", c.Text)
	}
	// While it is open, her messages join its thread (no second complaint).
	e.dm("maria", "Any news?")
	e.dm("maria", "/complain still waiting")
	if list, _ := e.svc.Complaints(e.ctx, "all"); len(list) != 1 {
		t.Fatalf("%d complaints; want one thread, one owner", len(list))
	}
	e.wantAny("team", "still waiting")

	e.dm("bob", "hello?")
	e.press("bob", "No, thanks")
	if list, _ := e.svc.Complaints(e.ctx, "all"); len(list) != 1 {
		t.Fatal("declining filed a complaint")
	}
}

func TestForgetErasesIdentityKeepsScores(t *testing.T) {
	e := newEnv(t, nil)
	e.send(core.Incoming{From: user("maria"), Chat: core.ChatRef(user("maria")), Direct: true, Text: "/start", Name: "Maria Lopez"})
	e.touch("maria", "A-1")
	e.dm("maria", "2")
	e.dm("maria", "2")
	e.dm("maria", "Rude and slow")
	e.press("maria", "Yes, tell the team")
	e.dm("maria", "/forget")
	e.press("maria", "Yes, erase my data")
	e.wantLast("maria", "we erased your data")
	if _, err := e.svc.Export(e.ctx, user("maria")); !core.IsNotFound(err) {
		t.Fatalf("export after forget: %v; want not found", err)
	}
	d, err := e.svc.Digest(e.ctx, core.WeekOf(start, berlin))
	if err != nil {
		t.Fatal(err)
	}
	if d.Dimensions[0].Responses != 1 || *d.Dimensions[0].Average != 2 {
		t.Fatalf("scores not kept: %+v", d.Dimensions[0])
	}
	for _, c := range d.Comments {
		if strings.Contains(c.Text, "Rude") {
			t.Fatal("the comment survived the erase")
		}
	}
	list, _ := e.svc.Complaints(e.ctx, "all")
	if len(list) != 1 || strings.Contains(list[0].Text, "Rude") || list[0].Status != core.StatusClosed {
		t.Fatalf("complaint after erase = %+v", list)
	}
}

func TestStaffWhoNeverOpenedTheBotGetDigestsInTheChannel(t *testing.T) {
	tg := &fakeMessenger{platform: core.Telegram}
	e := newEnv(t, func(s *core.Settings) {
		s.Platforms[core.Telegram] = core.PlatformInfo{DMNeedsContact: true}
		s.Team.Channel = core.ChatRef{Platform: core.Telegram, ID: "-100"}
		s.Team.Members[0].Accounts = []core.UserRef{{Platform: core.Telegram, ID: "42"}}
	})
	e.msgr = tg
	e.restart()
	if _, err := e.svc.SendDigest(e.ctx, core.WeekOf(start, berlin)); err != nil {
		t.Fatal(err)
	}
	e.flush()
	if got := tg.to("42"); len(got) != 0 {
		t.Fatalf("DM to an owner who never opened the bot: %+v", got)
	}
	ch := tg.to("-100")
	if len(ch) != 1 || !strings.Contains(ch[0].Message.Footer, "Sam: please open a private chat with the bot") {
		t.Fatalf("team channel got %+v", ch)
	}
	e.send(core.Incoming{From: core.UserRef{Platform: core.Telegram, ID: "42"},
		Chat: core.ChatRef{Platform: core.Telegram, ID: "42"}, Direct: true, Text: "/start"})
	if _, err := e.svc.SendDigest(e.ctx, core.WeekOf(start, berlin)); err != nil {
		t.Fatal(err)
	}
	e.flush()
	if got := tg.to("42"); len(got) != 2 || !strings.Contains(got[1].Message.Title, "weekly digest") {
		t.Fatalf("owner's DMs after /start = %+v", got)
	}
}

func TestLowScoreNextMessageOpensLinkedComplaint(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/start")
	e.touch("maria", "A-1")
	e.dm("maria", "1")
	e.dm("maria", "9")
	e.dm("maria", "skip")
	e.wantLast("maria", "Shall we pass this to our team?")
	e.dm("maria", "The courier threw the box over the fence")
	c := e.complaint("C-1001")
	if c.SurveyRun == 0 || c.Text != "The courier threw the box over the fence" {
		t.Fatalf("complaint = %+v; want the message, linked to the run", c)
	}
	// A typed "no" after a low score declines.
	e.dm("bob", "/start")
	e.touch("bob", "B-1")
	e.dm("bob", "2")
	e.dm("bob", "2")
	e.dm("bob", "skip")
	e.dm("bob", "no thanks")
	if list, _ := e.svc.Complaints(e.ctx, "all"); len(list) != 1 {
		t.Fatalf("%d complaints; bob declined", len(list))
	}
}

func TestIdempotencyKeyReusedForAnotherTouchpointConflicts(t *testing.T) {
	e := newEnv(t, nil)
	if _, err := e.svc.Touch(e.ctx, core.TouchRequest{Customer: user("maria"), Stage: "delivery", Key: "k-1"}); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.Touch(e.ctx, core.TouchRequest{Customer: user("bob"), Stage: "delivery", Key: "k-1"})
	if core.ErrorCode(err) != core.ECONFLICT {
		t.Fatalf("a key reused for another customer: %v; want a conflict", err)
	}
	// The refused touch changed nothing: bob was not even recorded.
	if _, err := e.svc.Export(e.ctx, user("bob")); !core.IsNotFound(err) {
		t.Fatalf("export of bob after the refused touch: %v; want not found", err)
	}
	if x := e.export("maria"); len(x.Surveys) != 1 {
		t.Fatalf("maria's surveys = %+v; want the one", x.Surveys)
	}
}

func TestTeamMemberWritingToTheBotIsPointedToTheCommands(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("lee", "hello bot, anything new?")
	e.wantLast("lee", "To answer a customer, send /reply C-12")
	// A member can still complain like anyone, explicitly.
	e.dm("lee", "/complain My own bike squeaks")
	if c := e.complaint("C-1001"); c.Customer != "console:lee" {
		t.Fatalf("complaint = %+v", c)
	}
}
