package core_test

import (
	"strings"
	"testing"
	"time"

	"earshot/core"
)

// TestLifecycle walks the lifecycle (README: the demo's story) from touchpoint to confirmed resolution.
func TestLifecycle(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/start") // she has talked to the bot before
	res := e.touch("maria", "A-17")
	if len(res.Surveys) != 1 || res.Surveys[0].State != core.RunScheduled || !res.Surveys[0].DueAt.Equal(start) {
		t.Fatalf("touch scheduled %+v; want one run due at once", res.Surveys)
	}
	e.wantLast("maria", "1/3 · How courteous were we?")
	if q := e.msgr.to("maria"); len(q[len(q)-1].Message.Choices) != 10 {
		t.Fatalf("a scale question has 10 buttons, got %+v", q[len(q)-1].Message.Choices)
	}

	// A button answer: the question she is looking at becomes the next one, showing her
	// choice on its first lines — one platform call.
	if r := e.press("maria", "9"); r.Notice != "Thanks!" {
		t.Fatalf("button notice = %q", r.Notice)
	}
	ds := e.msgr.to("maria")
	edit := ds[len(ds)-1]
	if edit.EditID == "" || !strings.Contains(edit.Message.Text, "1/3 · How courteous were we?\n✓ 9\n2/3 · How fast were we?") ||
		len(edit.Message.Choices) != 10 || edit.Message.Choices[0].Payload != "s:1:1:1" {
		t.Fatalf("answered question not turned into the next one: %+v", edit)
	}

	// A typed answer that is not a score gets one polite re-prompt with the range.
	e.dm("maria", "pretty slow")
	e.wantLast("maria", "whole number from 1 to 10")
	e.dm("maria", " 3/10 ")
	e.wantLast("maria", "3/3 · Anything we could do better?")
	e.dm("maria", "The bike came two days late.")

	// The low score (3 <= 4) offers a complaint; the button opens it linked to the run.
	e.wantLast("maria", "Shall we pass this to our team?")
	e.press("maria", "Yes, tell the team")
	e.wantLast("maria", "Complaint C-1001 received. Our team replies within 12 hours.")
	e.wantLast("team", "Complaint C-1001 · open")
	c := e.complaint("C-1001")
	if c.Status != core.StatusOpen || c.SurveyRun == 0 || !strings.Contains(c.Text, "speed 3/10 (low)") {
		t.Fatalf("complaint = %+v", c)
	}

	// A stranger is refused and changes nothing.
	e.inTeam("eve", "/ack C-1001")
	e.wantLast("team", "Only team members can use /ack.")
	if r := e.pressInTeam("eve", "Acknowledge"); r.Notice != "Only team members can do that." {
		t.Fatalf("stranger's button notice = %q", r.Notice)
	}
	if c := e.complaint("C-1001"); c.Status != core.StatusOpen || c.AcknowledgedBy != nil {
		t.Fatalf("a stranger changed the complaint: %+v", c)
	}

	// The first member to acknowledge owns it; the customer is told who.
	if r := e.pressInTeam("lee", "Acknowledge"); r.Notice != "You own C-1001 now." {
		t.Fatalf("ack notice = %q", r.Notice)
	}
	e.wantLast("maria", "Lee from Acme Bikes is looking at your complaint C-1001.")
	e.inTeam("sam", "/ack C-1001")
	e.wantLast("team", "C-1001 is already acknowledged by Lee.")

	// The thread: a reply reaches the customer; her answer reaches the card's thread.
	e.inTeam("lee", "/reply C-1001 Sorry! Refunding the delivery fee.")
	e.wantLast("maria", "Sorry! Refunding the delivery fee.")
	e.dm("maria", "Thanks, to my card please.")
	last := e.msgr.to("team")[len(e.msgr.to("team"))-1]
	if last.ThreadID == "" || !strings.Contains(last.Message.Text, "to my card please") {
		t.Fatalf("customer's message not in the card's thread: %+v", last)
	}

	// Resolve asks the customer; "yes" closes it as confirmed.
	e.inTeam("lee", "/resolve C-1001 Fee refunded")
	e.wantLast("maria", "Is your problem solved?")
	e.press("maria", "Yes, solved")
	c = e.complaint("C-1001")
	if c.Status != core.StatusClosed || c.Confirmed == nil || !*c.Confirmed {
		t.Fatalf("complaint after confirmation = %+v", c)
	}
	// An old button does nothing harmful.
	if r := e.press("maria", "No, not yet"); !strings.Contains(r.Notice, "already have your answer") {
		t.Fatalf("old confirm button notice = %q", r.Notice)
	}
	x := e.export("maria")
	if len(x.Answers) != 3 || x.Answers[0].Value != 9 || x.Answers[1].Value != 3 || x.Answers[2].Value != "The bike came two days late." {
		t.Fatalf("answers = %+v", x.Answers)
	}
	if th := x.Complaints[0].Thread; len(th) != 5 {
		t.Fatalf("thread has %d messages, want 5 (complaint, reply, customer, resolution, …): %+v", len(th), th)
	}
}

func TestButtonsFromElsewhereStoreNothing(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/start")
	e.dm("bob", "/start")
	e.touch("maria", "A-1")
	p := e.msgr.button(t, "maria", "7")
	// Bob replays Maria's button payload: refused, nothing stored.
	r := e.send(core.Incoming{From: user("bob"), Chat: core.ChatRef(user("bob")), Direct: true, Action: p})
	if r.Notice != "This button isn't for you." {
		t.Fatalf("notice = %q", r.Notice)
	}
	// Maria presses twice: the second press of the old question stores nothing.
	e.press("maria", "7")
	r = e.send(core.Incoming{From: user("maria"), Chat: core.ChatRef(user("maria")), Direct: true, Action: p})
	if r.Notice != "You already answered that question." {
		t.Fatalf("second press notice = %q", r.Notice)
	}
	// A forged payload is not a crash.
	r = e.send(core.Incoming{From: user("maria"), Chat: core.ChatRef(user("maria")), Direct: true, Action: "s:1:0:99"})
	if r.Notice == "" || len(e.export("maria").Answers) != 1 {
		t.Fatalf("forged payload: notice %q, answers %+v", r.Notice, e.export("maria").Answers)
	}
	if len(e.export("bob").Answers) != 0 {
		t.Fatal("bob got an answer stored")
	}
}

func TestDuplicateEventStoredOnce(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/start")
	e.touch("maria", "A-1")
	in := core.Incoming{EventID: "update-77", From: user("maria"), Chat: core.ChatRef(user("maria")), Direct: true, Text: "8"}
	first := e.send(in)
	again := e.send(in)
	if first.Duplicate || !again.Duplicate {
		t.Fatalf("duplicate flags: first %v, again %v", first.Duplicate, again.Duplicate)
	}
	if got := len(e.export("maria").Answers); got != 1 {
		t.Fatalf("answers stored = %d; want 1", got)
	}
}

func TestRestartMidSurveyLosesNothing(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/start")
	e.touch("maria", "A-1")
	e.dm("maria", "8")
	e.restart()
	e.dm("maria", "9")
	e.wantLast("maria", "3/3")
	e.restart()
	e.press("maria", "Skip")
	x := e.export("maria")
	if len(x.Answers) != 3 || x.Answers[0].Value != 8 || x.Answers[1].Value != 9 || !x.Answers[2].Skipped {
		t.Fatalf("answers after restarts = %+v", x.Answers)
	}
	if x.Surveys[0].State != core.RunCompleted {
		t.Fatalf("run state = %s", x.Surveys[0].State)
	}
	e.wantLast("maria", "Thank you! Your answers help us get better.")
}

func TestDueSurveyGoesOutAfterDowntime(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) { s.Surveys[0].Delay = time.Hour })
	e.dm("maria", "/start")
	e.touch("maria", "A-1")
	if n := len(e.msgr.to("maria")); n != 1 { // only the /start greeting
		t.Fatalf("survey sent before its delay: %d messages", n)
	}
	e.db.Close()
	e.clock.Advance(26 * time.Hour) // down for a day
	e.open()
	e.flush()
	e.wantLast("maria", "1/3 · How courteous were we?")
}

func TestUnknownCommandAndHelp(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/frobnicate")
	e.wantLast("maria", "I don't know the command /frobnicate")
	e.dm("maria", "help")
	e.wantLast("maria", "/complain")
	if strings.Contains(e.last("maria"), "/ack") {
		t.Fatal("a customer's help lists team commands")
	}
	e.dm("sam", "/help")
	e.wantLast("sam", "/digest")
	e.dm("maria", "/digest")
	e.wantLast("maria", "Only owners can use /digest.")
}
