package core_test

import (
	"strings"
	"testing"
	"time"

	"earshot/core"
)

// officeHours counts the standards in Mon-Fri 09:00-18:00, Berlin time, with a 4 h
// acknowledgement and a 16 h resolution standard.
func officeHours(t *testing.T) func(*core.Settings) {
	return func(s *core.Settings) {
		h, err := core.ParseBusinessHours("Mon-Fri 09:00-18:00", []string{"2026-12-24"}, berlin)
		if err != nil {
			t.Fatal(err)
		}
		s.Business.Hours = h
		s.Complaints.Clock = core.ClockBusiness
		s.Complaints.AcknowledgeWithin, s.Complaints.ResolveWithin = 4*time.Hour, 16*time.Hour
	}
}

// friday is the Friday of the test week, 2026-11-20, at hh:mm in Berlin.
func friday(hh, mm int) time.Time { return time.Date(2026, 11, 20, hh, mm, 0, 0, berlin) }

func monday(hh, mm int) time.Time { return time.Date(2026, 11, 23, hh, mm, 0, 0, berlin) }

func (e *env) at(t time.Time) {
	e.t.Helper()
	e.clock.Set(t)
	e.flush()
}

// wantField fails unless the newest message to chat with the field shows it as want.
func (e *env) wantField(chat, label, want string) {
	e.t.Helper()
	ds := e.msgr.to(chat)
	for i := len(ds) - 1; i >= 0; i-- {
		for _, f := range ds[i].Message.Fields {
			if f.Label == label {
				if f.Value != want {
					e.t.Fatalf("%s on the newest card = %q, want %q", label, f.Value, want)
				}
				return
			}
		}
	}
	e.t.Fatalf("no message to %s has a field %q", chat, label)
}

func (e *env) said(chat, substr string) bool {
	return strings.Contains(strings.Join(e.msgr.texts(chat), "\n"), substr)
}

// A complaint filed on Friday at 17:00 with 4 h to acknowledge, in business hours: one hour
// counts on Friday, three on Monday. It is warned at 75 % (Monday 11:00) and escalated at
// the deadline (Monday 12:00), not over the weekend.
func TestBusinessHoursFridayComplaint(t *testing.T) {
	e := newEnv(t, officeHours(t))
	e.at(friday(17, 0))
	e.dm("maria", "/complain The bell arrived cracked")
	e.wantLast("maria", "Complaint C-1001 received. Our team replies by Monday 12:00.")
	e.wantField("team", "Acknowledge by", "Monday 12:00 (4 hours of business hours left)")
	c := e.complaint("C-1001")
	if !c.AckDue.Equal(monday(12, 0)) || !c.AckDueAt.Equal(monday(12, 0)) {
		t.Fatalf("ack due %s, want Monday 12:00", c.AckDue.In(berlin))
	}
	// 16 h: Friday 1 h, Monday 9 h, Tuesday 6 h.
	if want := time.Date(2026, 11, 24, 15, 0, 0, 0, berlin); !c.ResolveDue.Equal(want) {
		t.Fatalf("resolve due %s, want Tuesday 15:00", c.ResolveDue.In(berlin))
	}

	e.at(friday(23, 59))
	e.at(time.Date(2026, 11, 22, 12, 0, 0, 0, berlin)) // Sunday noon: calendar time is long past 4 h
	e.at(monday(10, 59))
	if e.said("team", "needs acknowledging") || e.said("sam", "Escalation") {
		t.Fatal("warned or escalated before Monday 11:00")
	}
	e.at(monday(11, 0))
	e.wantLast("team", "⏰ C-1001 needs acknowledging")
	e.wantLast("team", "1 hour left (until Monday 12:00)")
	e.at(monday(11, 59))
	if e.said("sam", "Escalation") {
		t.Fatal("escalated before Monday 12:00")
	}
	e.at(monday(12, 0))
	e.wantLast("sam", "🚨 Escalation: C-1001 was not acknowledged within 4 hours")

	// /status tells the concrete time too.
	e.dm("maria", "/status")
	e.wantLast("maria", "C-1001: received; our team replies by 12:00 today.")

	// Acknowledged at 12:30: 4.5 business hours after it was filed. The digest's median
	// counts business hours, like the standard.
	e.at(monday(12, 30))
	e.inTeam("lee", "/ack C-1001")
	d, err := e.svc.Digest(e.ctx, core.WeekOf(monday(12, 0), berlin))
	if err != nil {
		t.Fatal(err)
	}
	if d.Complaints.MedianAckSeconds == nil || *d.Complaints.MedianAckSeconds != 4.5*3600 {
		t.Errorf("median time to acknowledge = %v s, want 4.5 business hours", d.Complaints.MedianAckSeconds)
	}
	// Resolve warning at 75 % of 16 h = 12 h: Friday 1 + Monday 9 + Tuesday 2 → Tuesday 11:00.
	e.at(time.Date(2026, 11, 24, 10, 59, 0, 0, berlin))
	if e.said("lee", "needs resolving") {
		t.Fatal("resolve warning before Tuesday 11:00")
	}
	e.at(time.Date(2026, 11, 24, 11, 0, 0, 0, berlin))
	e.wantLast("lee", "⏰ C-1001 needs resolving")
}

// Filed on a holiday at 23:59, the clock starts at the next opening.
func TestBusinessHoursComplaintOnAHoliday(t *testing.T) {
	e := newEnv(t, officeHours(t))
	e.at(time.Date(2026, 12, 24, 23, 59, 0, 0, berlin)) // a Thursday, a holiday
	e.dm("maria", "/complain Nobody is there")
	e.wantLast("maria", "Our team replies by tomorrow 13:00.")
	if c := e.complaint("C-1001"); !c.AckDue.Equal(time.Date(2026, 12, 25, 13, 0, 0, 0, berlin)) {
		t.Fatalf("ack due %s, want Friday 13:00", c.AckDue.In(berlin))
	}
}

// Switching to business hours while a complaint runs: the hour already used stays used, the
// three hours left are counted in business hours from now, and the warning and escalation
// move with them.
func TestChangingHoursMovesTheTimeLeft(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) {
		s.Complaints.AcknowledgeWithin, s.Complaints.ResolveWithin = 4*time.Hour, 16*time.Hour
	})
	e.at(friday(17, 0))
	e.dm("maria", "/complain The bell arrived cracked")
	if n, err := e.svc.ApplyStandardClock(e.ctx); n != 0 || err != nil {
		t.Fatalf("ApplyStandardClock on an unchanged clock moved %d, %v", n, err)
	}
	if c := e.complaint("C-1001"); !c.AckDue.Equal(friday(21, 0)) {
		t.Fatalf("calendar ack due %s, want Friday 21:00", c.AckDue.In(berlin))
	}
	e.at(friday(18, 0)) // one hour used

	officeHours(t)(&e.set)
	e.restart()
	if n, err := e.svc.ApplyStandardClock(e.ctx); n != 1 || err != nil {
		t.Fatalf("ApplyStandardClock after the change moved %d, %v; want 1", n, err)
	}
	c := e.complaint("C-1001")
	if !c.AckDue.Equal(monday(12, 0)) {
		t.Fatalf("ack due after the change %s, want Monday 12:00 (3 h left from Friday 18:00)", c.AckDue.In(berlin))
	}
	// 15 h of resolution left: Monday 9 h, Tuesday 6 h.
	if want := time.Date(2026, 11, 24, 15, 0, 0, 0, berlin); !c.ResolveDue.Equal(want) {
		t.Fatalf("resolve due after the change %s, want Tuesday 15:00", c.ResolveDue.In(berlin))
	}
	e.at(friday(21, 0))
	e.at(monday(10, 59))
	if e.said("team", "needs acknowledging") || e.said("sam", "Escalation") {
		t.Fatal("the old deadline's warning or escalation fired")
	}
	e.at(monday(11, 0))
	e.wantLast("team", "⏰ C-1001 needs acknowledging")
	e.at(monday(12, 0))
	e.wantLast("sam", "🚨 Escalation: C-1001 was not acknowledged within 4 hours")
	if n, err := e.svc.ApplyStandardClock(e.ctx); n != 0 || err != nil {
		t.Fatalf("ApplyStandardClock again moved %d, %v", n, err)
	}
}

func day(d, hh, mm int) time.Time { return time.Date(2026, 11, d, hh, mm, 0, 0, berlin) }

// /wait pauses the resolve clock until the customer writes again; the time used before
// stays used, the waiting time is left out of the digest's resolve figure.
func TestWaitPausesTheResolveClock(t *testing.T) {
	e := newEnv(t, officeHours(t))
	e.at(friday(17, 0))
	e.dm("maria", "/complain The bell arrived cracked")
	e.at(monday(10, 0))
	e.inTeam("lee", "/ack C-1001")
	e.at(monday(11, 0))
	e.inTeam("lee", "/wait C-1001 Which colour was the bell?")
	e.wantLast("maria", "Which colour was the bell?")
	e.wantLast("team", "C-1001 is waiting for the customer: its resolve clock is paused with 13 hours left.")
	e.wantField("team", "Waiting for the customer", "since Monday 11:00; the resolve clock is paused with 13 hours left")
	e.restart() // the pause is stored
	if c := e.complaint("C-1001"); c.WaitingSince == nil || !c.WaitingSince.Equal(monday(11, 0)) {
		t.Fatalf("complaints --json waiting_since = %v", c.WaitingSince)
	}
	d, err := e.svc.Digest(e.ctx, core.WeekOf(monday(11, 0), berlin))
	if err != nil || d.Complaints.WaitingOnCustomer != 1 {
		t.Fatalf("digest waiting on the customer = %d, %v; want 1", d.Complaints.WaitingOnCustomer, err)
	}
	if !strings.Contains(e.svc.DigestMessage(d).Text, "waiting on the customer: 1") {
		t.Errorf("the digest's text does not show the wait:\n%s", e.svc.DigestMessage(d).Text)
	}

	// The old deadline (Tuesday 15:00) passes unnoticed while waiting.
	e.at(day(25, 9, 59))
	if e.said("lee", "needs resolving") || e.said("sam", "Escalation") {
		t.Fatal("warned or escalated while waiting for the customer")
	}
	e.inTeam("lee", "/complaints")
	e.wantLast("team", "waiting for the customer")
	if strings.Contains(e.last("team"), "OVERDUE") {
		t.Errorf("a complaint waiting for the customer is listed as overdue: %q", e.last("team"))
	}
	// She answers on Wednesday at 10:00: 13 h left from then is Thursday 14:00; the
	// warning comes with 4 h left, Thursday 10:00.
	e.at(day(25, 10, 0))
	e.dm("maria", "It was red")
	e.wantLast("team", "It was red")
	c := e.complaint("C-1001")
	if c.WaitingSince != nil || !c.ResolveDue.Equal(day(26, 14, 0)) {
		t.Fatalf("after her answer: waiting %v, resolve due %s; want running again, due Thursday 14:00",
			c.WaitingSince, c.ResolveDue.In(berlin))
	}
	e.wantField("team", "Resolve by", "Thursday 14:00 (13 hours of business hours left)")
	e.at(day(26, 9, 59))
	if e.said("lee", "needs resolving") {
		t.Fatal("resolve warning before Thursday 10:00")
	}
	e.at(day(26, 10, 0))
	e.wantLast("lee", "⏰ C-1001 needs resolving")

	// Resolved Thursday 13:00: 32 business hours after filing, 17 of them waiting.
	e.at(day(26, 13, 0))
	e.inTeam("lee", "/resolve C-1001 A new bell is on its way")
	d, err = e.svc.Digest(e.ctx, core.WeekOf(day(26, 13, 0), berlin))
	if err != nil {
		t.Fatal(err)
	}
	if d.Complaints.MedianResolveSecond == nil || *d.Complaints.MedianResolveSecond != 15*3600 {
		t.Errorf("median time to resolve = %v s, want 15 business hours (the wait left out)", d.Complaints.MedianResolveSecond)
	}
	e.at(day(26, 14, 0))
	if e.said("sam", "was not resolved") {
		t.Error("escalated a resolved complaint")
	}
}

func TestWaitRefusals(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/complain Nobody answers the phone")
	e.inTeam("eve", "/wait C-1001 hello?")
	e.wantLast("team", "Only team members can use /wait.")
	e.inTeam("lee", "/wait")
	e.wantLast("team", "Which complaint? Use /wait C-12 [question].")
	e.inTeam("lee", "/wait C-1001")
	e.wantLast("team", "C-1001 is waiting for the customer")
	e.inTeam("lee", "/wait C-1001")
	e.wantLast("team", "C-1001 is already waiting for the customer.")
	e.inTeam("lee", "/resolve C-1001 done")
	e.inTeam("lee", "/wait C-1001 still there?")
	e.wantLast("team", "C-1001 is resolved: there is nothing to wait for.")
}
