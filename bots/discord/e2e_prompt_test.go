package discord

import (
	"fmt"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
)

// The reproduction on the fake Discord: the customer greets the bot and ignores the
// offer to file it; a day later a survey starts; their "8" is the first question's answer.
func TestStaleOfferDoesNotSwallowASurveyAnswer(t *testing.T) {
	t.Parallel()
	clock := &coretest.SkewClock{}
	e := newE2E(t, func(o *core.Options) { o.Clock = clock })
	e.fake.PushDM(customerID, "hi, quick question about my order")
	dm := e.dmChannel(customerID)
	offer := e.waitMessage(dm, "Shall I pass it to our team as a complaint?")

	clock.Advance(24 * time.Hour)
	if _, err := e.svc.Touch(t.Context(), core.TouchRequest{Customer: discordUser(customerID), Stage: "delivery", Ref: "A-17"}); err != nil {
		t.Fatal(err)
	}
	e.waitMessage(dm, "How courteous were we?")
	e.fake.PushDM(customerID, "8")
	e.waitMessage(dm, "How fast were we?")
	x, err := e.svc.Export(t.Context(), discordUser(customerID))
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Answers) != 1 || fmt.Sprint(x.Answers[0].Value) != "8" || len(x.Complaints) != 0 {
		t.Fatalf("answers %+v, complaints %+v; want the 8 stored and nothing filed", x.Answers, x.Complaints)
	}
	// The ignored offer's buttons belong to a closed question; nothing is filed.
	if d := e.press(customerID, offer, "Yes, file a complaint").Decode(); d.Content == "" {
		t.Errorf("old offer button answered %+v", d)
	}
	if x, _ := e.svc.Export(t.Context(), discordUser(customerID)); len(x.Complaints) != 0 {
		t.Fatalf("an old offer button filed %+v", x.Complaints)
	}
}

// With a complaint open, an earlier offer never takes the customer's messages: the team
// sees them in the card's thread, a masked link with its label.
func TestStaleOfferDoesNotSwallowComplaintMessages(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	e.fake.PushDM(customerID, "hello?")
	dm := e.dmChannel(customerID)
	e.waitMessage(dm, "Shall I pass it to our team as a complaint?")
	e.fake.PushDM(customerID, "complain The saddle is torn")
	e.waitMessage(dm, "Complaint C-1001 received")
	card := e.waitMessage(e.fake.TeamChannelID, "Complaint C-1001")
	thread, err := e.fake.CreateThread(e.fake.TeamChannelID, card.ID, "C-1001")
	if err != nil {
		t.Fatal(err)
	}
	e.fake.PushDM(customerID, "Photos: [my photos](https://example.com/p/1)")
	e.waitMessage(thread, "my photos (https://example.com/p/1)")
}
