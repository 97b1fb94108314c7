package discord

import (
	"context"
	"earshot/core/coretest"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

// TestLifecycleOverGateway walks the whole lifecycle (README: the demo's story) through the fake Discord with the real
// core and SQLite: survey by buttons and typing, low score, complaint, card, stranger refused,
// acknowledge, thread relayed both ways, resolve by modal, confirmation, digest.
func TestLifecycleOverGateway(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	if _, err := e.svc.Touch(ctx, core.TouchRequest{Customer: discordUser(customerID), Stage: "delivery", Ref: "A-17"}); err != nil {
		t.Fatal(err)
	}
	dm := e.dmChannel(customerID)

	// Question 1 by button: the question becomes question 2 in place, showing the choice.
	q1 := e.waitMessage(dm, "How courteous were we?")
	if n := len(q1.Buttons()); n != 10 || len(q1.Components) != 2 {
		t.Fatalf("question 1 has %d buttons in %d rows, want 10 in 2", n, len(q1.Components))
	}
	if cb := e.press(customerID, q1, "9"); cb.Decode().Content != "Thanks!" {
		t.Errorf("answer to the button = %+v", cb.Decode())
	}
	coretest.WaitFor(t, "question 1 turned into question 2", func() bool {
		m, _ := e.fake.Message(q1.ID)
		return strings.Contains(m.Content, "✓ 9") && strings.Contains(m.Content, "How fast were we?")
	})

	// Question 2 by typing, then the comment.
	e.waitMessage(dm, "How fast were we?")
	e.fake.PushDM(customerID, " 3/10 ")
	e.waitMessage(dm, "Anything we could do better?")
	e.fake.PushDM(customerID, "The bike came two days late. @everyone <@&123>")

	// Low score: the offer, accepted by button, opens C-1001.
	offer := e.waitMessage(dm, "Shall we pass this to our team?")
	e.press(customerID, offer, "Yes, tell the team")
	e.waitMessage(dm, "Complaint C-1001 received.")
	card := e.waitMessage(e.fake.TeamChannelID, "Complaint C-1001")
	if len(card.Embeds) == 0 || !strings.Contains(card.Embeds[0].Title, "C-1001") {
		t.Fatalf("card is not an embed: %+v", card)
	}
	for _, r := range e.fake.RequestsTo("POST", "/channels/"+e.fake.TeamChannelID+"/messages") {
		if !strings.Contains(string(r.Body), `"allowed_mentions":{"parse":[]`) {
			t.Errorf("team post without allowed_mentions parse []: %s", r.Body)
		}
	}

	// A stranger is refused ephemerally; nothing changes.
	cb := e.press(strangerID, card, "Acknowledge")
	if d := cb.Decode(); cb.Type != 4 || d.Flags != 64 || !strings.Contains(d.Content, "Only team members") {
		t.Errorf("stranger's press answered %d %+v, want an ephemeral refusal", cb.Type, d)
	}
	// A stranger's application command too.
	id := e.fake.PushCommand(strangerID, e.fake.TeamChannelID, "ack", fakediscordOption("ref", "C-1001"))
	if d := waitCallback(t, e.fake, id).Decode(); d.Flags != 64 || !strings.Contains(d.Content, "Only team members") {
		t.Errorf("stranger's /ack answered %+v, want an ephemeral refusal", d)
	}

	// Lee acknowledges; the customer is told who is looking at it; the card is edited.
	if d := e.press(leeID, card, "Acknowledge").Decode(); !strings.Contains(d.Content, "C-1001") {
		t.Errorf("ack answered %+v", d)
	}
	e.waitMessage(dm, "Lee from Acme Bikes is looking at your complaint C-1001.")
	coretest.WaitFor(t, "card edited", func() bool { m, _ := e.fake.Message(card.ID); return m.Edits > 0 })

	// Lee writes in the card's thread; it reaches the customer, and her answer the thread.
	thread, err := e.fake.CreateThread(e.fake.TeamChannelID, card.ID, "C-1001")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.fake.PushMessage(thread, leeID, "Sorry! Refunding the delivery fee."); err != nil {
		t.Fatal(err)
	}
	e.waitMessage(dm, "Sorry! Refunding the delivery fee.")
	e.fake.PushDM(customerID, "Thanks, to my card please.")
	e.waitMessage(thread, "to my card please")

	// Resolve through the modal; the customer confirms.
	card, _ = e.fake.Message(card.ID)
	modal := e.press(leeID, card, "Resolve")
	if modal.Type != 9 {
		t.Fatalf("Resolve answered type %d, want the modal", modal.Type)
	}
	id = e.fake.PushModalSubmit(leeID, card.ChannelID, card.ID, modal.Decode().CustomID, map[string]string{"note": "Fee refunded"})
	waitCallback(t, e.fake, id)
	ask := e.waitMessage(dm, "Is your problem solved?")
	e.press(customerID, ask, "Yes, solved")
	coretest.WaitFor(t, "C-1001 closed and confirmed", func() bool {
		cs, err := e.svc.Complaints(ctx, "all")
		return err == nil && len(cs) == 1 && cs[0].Status == core.StatusClosed && cs[0].Confirmed != nil && *cs[0].Confirmed
	})

	// The digest goes to the owner by DM, as an embed.
	if _, err := e.svc.SendDigest(ctx, core.WeekOf(time.Now(), time.UTC)); err != nil {
		t.Fatal(err)
	}
	digest := e.waitMessage(e.dmChannel(danaID), "courtesy")
	if len(digest.Embeds) == 0 {
		t.Errorf("digest is not an embed: %q", text(digest))
	}

	// The customer's locale reached the contact.
	x, err := e.svc.Export(ctx, discordUser(customerID))
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Answers) != 3 {
		t.Errorf("answers = %+v, want 3", x.Answers)
	}
	if len(x.Contacts) != 1 || x.Contacts[0].Locale != "de" {
		t.Errorf("contacts = %+v, want one with locale de (from her interactions)", x.Contacts)
	}
}

// Slash commands reach the real core with Inline set; their answers are ephemeral.
func TestSlashCommandsWithCore(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	e.fake.PushDM(customerID, "hello") // she opens the DM
	dm := e.dmChannel(customerID)
	id := e.fake.PushCommand(customerID, dm, "complain", fakediscordOption("text", "The saddle squeaks **loudly** @here"))
	cb := waitCallback(t, e.fake, id)
	if d := cb.Decode(); cb.Type != 4 || d.Flags != 64 || !strings.Contains(d.Content, "C-1001") {
		t.Fatalf("/complain answered %d %+v", cb.Type, d)
	}
	card := e.waitMessage(e.fake.TeamChannelID, "C-1001")
	if !strings.Contains(text(card), `\*\*loudly\*\* @here`) {
		t.Errorf("card text %q: customer markdown not escaped", text(card))
	}
	id = e.fake.PushCommand(leeID, e.fake.TeamChannelID, "complaints")
	if d := waitCallback(t, e.fake, id).Decode(); d.Flags != 64 || !strings.Contains(d.Content+text(fakeMsg(d)), "C-1001") {
		t.Errorf("/complaints answered %+v", d)
	}
}
