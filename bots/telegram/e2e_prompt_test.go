package telegram

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
	"earshot/core/coretest"
)

// The reproduction on the fake Bot API: Dana greets the bot and ignores the offer
// to file her message; a day later a survey starts; her "8" is the first question's answer.
func TestStaleOfferDoesNotSwallowASurveyAnswer(t *testing.T) {
	clock := &coretest.SkewClock{}
	e := newE2E(t, false, func(o *core.Options) { o.Clock = clock })
	e.say(faketelegram.Post{From: dana, Text: "hi, quick question about my order"})
	e.await(42, "Shall I pass it to our team as a complaint?")

	clock.Advance(24 * time.Hour)
	if _, err := e.svc.Touch(t.Context(), core.TouchRequest{Customer: core.UserRef{Platform: core.Telegram, ID: "42"},
		Stage: "delivery", Ref: "A-17"}); err != nil {
		t.Fatal(err)
	}
	e.await(42, "How courteous were we?")
	e.say(faketelegram.Post{From: dana, Text: "8"})
	e.await(42, "How fast were we?")
	x, err := e.svc.Export(t.Context(), core.UserRef{Platform: core.Telegram, ID: "42"})
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Answers) != 1 || fmt.Sprint(x.Answers[0].Value) != "8" || len(x.Complaints) != 0 {
		t.Fatalf("answers %+v, complaints %+v; want the 8 stored and nothing filed", x.Answers, x.Complaints)
	}
	// The ignored offer's buttons belong to a closed question.
	if got := e.press(dana, 42, "Yes, file a complaint"); !strings.Contains(got, "closed") {
		t.Errorf("old offer button answered %q", got)
	}
}

// With a complaint open, an earlier offer never takes her messages: the team sees them.
func TestStaleOfferDoesNotSwallowComplaintMessages(t *testing.T) {
	e := newE2E(t, false)
	e.say(faketelegram.Post{From: dana, Text: "hello?"})
	e.await(42, "Shall I pass it to our team as a complaint?")
	e.say(faketelegram.Post{From: dana, Text: "/complain The saddle is torn"})
	e.await(42, "Complaint C-1001 received")
	e.say(faketelegram.Post{From: dana, Text: "It was like that in the box"})
	e.await(team, "It was like that in the box")
}
