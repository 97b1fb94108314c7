package slack

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"earshot/bots/slack/fakeslack"
	"earshot/core"
	"earshot/core/coretest"
)

// wireDM is a DM from the customer in Slack's wire format, as the client sends a message
// whose link has a label (fakeslack's DM escapes what it is given, as typed text).
func wireDM(e *e2e, im, text string, n int) fakeslack.Inbound {
	ts := fmt.Sprintf("1800000000.%06d", n)
	return e.fs.Event(map[string]any{"type": "message", "channel": im, "user": customer, "text": text,
		"ts": ts, "event_ts": ts, "channel_type": "im", "client_msg_id": "link-" + ts})
}

// The reproduction on the fake Slack: the customer greets the bot and ignores the
// offer to file it; a day later a survey starts; their "8" is the first question's answer.
func TestStaleOfferDoesNotSwallowASurveyAnswer(t *testing.T) {
	clock := &coretest.SkewClock{}
	e := newE2E(t, true, func(o *core.Options) { o.Clock = clock })
	im := e.fs.IMChannel(customer)
	e.push(e.fs.DM(customer, "hi, quick question about my order"))
	offer := e.await("the offer", im, shows("Shall I pass it to our team as a complaint?"))

	clock.Advance(24 * time.Hour)
	who := core.UserRef{Platform: core.Slack, ID: customer}
	if _, err := e.svc.Touch(t.Context(), core.TouchRequest{Customer: who, Stage: "delivery", Ref: "A-17"}); err != nil {
		t.Fatal(err)
	}
	e.await("question 1", im, shows("How courteous were we?"))
	e.push(e.fs.DM(customer, "8"))
	e.await("question 2", im, shows("Anything we could do better?"))
	// The comment keeps the label the customer gave their link.
	e.push(wireDM(e, im, "see <https://example.com/o/17|my order page>", 1))
	e.await("the thanks", im, shows("Thank you! Your answers help us get better."))
	x, err := e.svc.Export(t.Context(), who)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Answers) != 2 || fmt.Sprint(x.Answers[0].Value) != "8" ||
		x.Answers[1].Value != "see my order page (https://example.com/o/17)" || len(x.Complaints) != 0 {
		t.Fatalf("answers %+v, complaints %+v; want the 8 and the comment, nothing filed", x.Answers, x.Complaints)
	}
	// The ignored offer's buttons belong to a closed question; nothing is filed.
	e.click(customer, offer, "Yes, file a complaint")
	if x, _ := e.svc.Export(t.Context(), who); len(x.Complaints) != 0 {
		t.Fatalf("an old offer button filed %+v", x.Complaints)
	}
}

// With a complaint open, an earlier offer never takes the customer's messages: the team
// sees them, links with their labels.
func TestStaleOfferDoesNotSwallowComplaintMessages(t *testing.T) {
	e := newE2E(t, true)
	im := e.fs.IMChannel(customer)
	e.push(e.fs.DM(customer, "hello?"))
	e.await("the offer", im, shows("Shall I pass it to our team as a complaint?"))
	e.push(e.fs.DM(customer, "complain The saddle is torn"))
	e.await("the receipt", im, shows("Complaint C-1001 received"))
	e.push(wireDM(e, im, "Photos: <https://example.com/p/1|my photos>", 2))
	m := e.await("the message in the card's thread", team, shows("my photos (https://example.com/p/1)"))
	if m.ThreadTS == "" || strings.Contains(m.Shown(), "Shall I") {
		t.Fatalf("message to the team = %+v", m)
	}
}
