package core_test

import (
	"strings"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
)

// The reproduction: a greeting ignored, a survey a day later, "8" typed to its first
// question. The stale offer used to take the "8" as more words for the complaint.
func TestStaleOfferDoesNotSwallowASurveyAnswer(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "hi, quick question about my order")
	e.wantLast("maria", "Shall I pass it to our team as a complaint?")
	e.advance(24 * time.Hour)
	e.touch("maria", "A-17")
	e.wantLast("maria", "1/3 · How courteous were we?")
	e.dm("maria", "8")
	e.wantLast("maria", "2/3 · How fast were we?")
	x := e.export("maria")
	if len(x.Answers) != 1 || x.Answers[0].Value != 8 {
		t.Fatalf("answers = %+v; want the 8", x.Answers)
	}
	if list, _ := e.svc.Complaints(e.ctx, "all"); len(list) != 0 {
		t.Fatalf("complaints = %+v; want none", list)
	}
	// The offer's buttons belong to a closed question now.
	if r := e.press("maria", "Yes, file a complaint"); !strings.Contains(r.Notice, "closed") {
		t.Fatalf("old offer button notice = %q", r.Notice)
	}
	if list, _ := e.svc.Complaints(e.ctx, "all"); len(list) != 0 {
		t.Fatal("an old offer button filed a complaint")
	}
	e.dm("maria", "9")
	e.dm("maria", "skip")
	e.wantLast("maria", "Thank you! Your answers help us get better.")
}

func TestStaleOfferDoesNotSwallowThreadMessages(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "hello?")
	e.dm("maria", "/complain The saddle is torn")
	e.dm("maria", "It was like that in the box")
	e.wantAny("team", "It was like that in the box")
	e.inTeam("lee", "/reply C-1001 Sorry! A new one is on its way.")
	e.dm("maria", "Thanks")
	e.wantAny("team", "Thanks")
	if th := e.export("maria").Complaints[0].Thread; len(th) != 4 {
		t.Fatalf("thread = %+v; want complaint, her note, the reply, her thanks", th)
	}
}

func TestASurveyWaitsForAFreshPromptThenClosesIt(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) { s.Surveys[0].Delay = time.Minute })
	e.dm("maria", "/start")
	e.dm("maria", "/complain")
	e.touch("maria", "A-1")
	e.advance(2 * time.Minute)
	e.wantLast("maria", "tell me what happened")
	// Her complaint goes where she meant it, not into the survey.
	e.dm("maria", "The bell is missing")
	if c := e.complaint("C-1001"); c.Text != "The bell is missing" {
		t.Fatalf("complaint = %+v", c)
	}
	// The survey waits for the complaint; once it is closed, it comes.
	e.inTeam("lee", "/resolve C-1001 Bell sent")
	e.press("maria", "Yes, solved")
	e.wantLast("maria", "1/3 · How courteous were we?")
}

func TestAPausedSurveyResumesAfterTheComplaint(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/start")
	e.touch("maria", "A-1")
	e.dm("maria", "7")
	old := e.msgr.button(t, "maria", "5")
	e.dm("maria", "/complain The courier was rude")
	// The survey's buttons belong to a closed question; typing joins the complaint.
	r := e.send(core.Incoming{From: user("maria"), Chat: core.ChatRef(user("maria")), Direct: true, Action: old})
	if !strings.Contains(r.Notice, "closed") {
		t.Fatalf("paused survey's button notice = %q", r.Notice)
	}
	e.dm("maria", "5")
	e.wantAny("team", "5")
	if n := len(e.export("maria").Answers); n != 1 {
		t.Fatalf("%d answers; want the first only", n)
	}
	e.inTeam("lee", "/resolve C-1001 We spoke to him")
	e.dm("maria", "yes")
	e.wantLast("maria", "Let's finish the survey:\n2/3 · How fast were we?")
	e.dm("maria", "6")
	e.dm("maria", "skip")
	x := e.export("maria")
	if len(x.Answers) != 3 || x.Answers[1].Value != 6 || x.Surveys[0].State != core.RunCompleted {
		t.Fatalf("after resuming: answers %+v, survey %+v", x.Answers, x.Surveys[0])
	}
}

func TestThePromptSurvivesARestart(t *testing.T) {
	e := newEnv(t, nil)
	e.dm("maria", "/complain The brakes squeak")
	e.inTeam("lee", "/resolve C-1001 Adjusted")
	e.dm("maria", "/forget")
	e.restart()
	e.dm("maria", "no")
	e.wantAny("maria", "nothing was erased")
	// With /forget answered, the question it closed is asked again.
	e.wantLast("maria", "Is your problem C-1001 solved?")
	e.restart()
	if r := e.press("maria", "Yes, solved"); r.Notice != "Thank you!" {
		t.Fatalf("notice = %q", r.Notice)
	}
	if c := e.complaint("C-1001"); c.Status != core.StatusClosed {
		t.Fatalf("complaint = %+v", c)
	}
}

func TestIntroNamesTheOccasion(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) {
		s.Throttle = 0
		s.Surveys = append(s.Surveys, core.SurveyPlan{Name: "after-visit", Trigger: "visit",
			Intro:     "Thanks for dropping by our {ref} shop.",
			Questions: []core.Question{{Key: "welcome", Text: "How welcome did you feel?", Type: core.Scale, Min: 1, Max: 5}}})
	})
	e.dm("maria", "/start")
	e.touch("maria", "A-17")
	e.wantLast("maria", "We hope your delivery (A-17) arrived well.")
	e.dm("maria", "8")
	e.dm("maria", "8")
	e.dm("maria", "skip")
	if _, err := e.svc.Touch(e.ctx, core.TouchRequest{Customer: user("maria"), Stage: "visit", Ref: "Kreuzberg"}); err != nil {
		t.Fatal(err)
	}
	e.flush()
	e.wantLast("maria", "Thanks for dropping by our Kreuzberg shop.")
	for _, tc := range []struct{ stage, ref, want string }{
		{"purchase", "A-1", "Thank you for your order (A-1)."},
		{"support", "T-9", "Thanks for contacting our support (T-9)."},
		{"visit", "", ""},
		{"renewal", "R-2", "This is about R-2."},
	} {
		if got := core.Occasion(coretest.Texts(t), "en", core.SurveyPlan{}, tc.stage, tc.ref); got != tc.want {
			t.Errorf("Occasion(%q, %q) = %q; want %q", tc.stage, tc.ref, got, tc.want)
		}
	}
}
