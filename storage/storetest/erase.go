package storetest

import (
	"strings"
	"testing"
	"time"

	"earshot/core"
)

func testEraseContact(t *testing.T, d Driver, db core.Store) {
	// Secrets are long and unique so their bytes cannot appear by chance.
	const (
		name    = "Zebediah-Quuxington"
		comment = "comment-mango-tangerine-42"
		compTxt = "complaint-papaya-kiwi-17"
		note    = "note-lychee-durian-99"
		thread  = "thread-guava-quince-55"
		pending = "pending-fig-medlar-31"
		userID  = "987654321987"
	)
	c := core.Contact{Ref: core.UserRef{Platform: core.Telegram, ID: userID}, Name: name, Locale: "de",
		Language: "de", TimeZone: "Europe/Berlin", CreatedAt: t0, Pending: core.PendingFileOffer, PendingText: pending, PendingAt: t0}
	other := addContact(t, db, "5")
	update(t, db, func(tx core.Tx) error { return tx.CreateContact(&c) })
	run := addRun(t, db, c.ID, t0)
	var comp core.Complaint
	var msgID, otherMsg int64
	update(t, db, func(tx core.Tx) error {
		for _, a := range []core.Answer{
			{RunID: run.ID, ContactID: c.ID, QuestionKey: "speed", Score: ptr(3), AnsweredAt: t0},
			{RunID: run.ID, ContactID: c.ID, QuestionKey: "comment", Text: comment, AnsweredAt: t0},
		} {
			if err := tx.AddAnswer(&a); err != nil {
				return err
			}
		}
		comp = core.Complaint{ContactID: c.ID, RunID: run.ID, Status: core.StatusResolved, Text: compTxt,
			OpenedAt: t0, ResolvedAt: t0.Add(time.Hour), ResolutionNote: note, AckBy: "Lee"}
		if err := tx.CreateComplaint(&comp); err != nil {
			return err
		}
		for _, m := range []core.ThreadMessage{
			{ComplaintID: comp.ID, Author: "customer", Account: c.Ref, Text: thread, At: t0},
			{ComplaintID: comp.ID, Author: "Lee", Account: core.UserRef{Platform: core.Slack, ID: "U01"}, FromTeam: true, Text: "on it " + name, At: t0},
		} {
			if err := tx.AddThreadMessage(&m); err != nil {
				return err
			}
		}
		var err error
		msgID, err = tx.Enqueue(core.Outgoing{To: core.ChatRef(c.Ref), DM: true, ContactID: c.ID,
			Message: core.Message{Text: "Hi " + name + ", about " + compTxt}}, t0)
		if err != nil {
			return err
		}
		otherMsg, err = tx.Enqueue(core.Outgoing{To: core.ChatRef(other.Ref), ContactID: other.ID,
			Message: core.Message{Text: "kept"}}, t0)
		if err != nil {
			return err
		}
		// A reply written before replies carried a contact id: found by its address.
		if _, err := tx.Enqueue(core.Outgoing{To: core.ChatRef(c.Ref), DM: true,
			Message: core.Message{Text: "Hi " + name + "!"}}, t0); err != nil {
			return err
		}
		// A delivered DM: its sent id names the chat.
		sent, err := tx.Enqueue(core.Outgoing{To: core.ChatRef(c.Ref), DM: true, ContactID: c.ID,
			Message: core.Message{Text: "Your complaint " + compTxt}}, t0)
		if err != nil {
			return err
		}
		if err := tx.MarkSent(sent, userID+"/6", t0); err != nil {
			return err
		}
		// A member's DM (about no one customer: a /complaints list) quoting the complaint.
		if _, err := tx.Enqueue(core.Outgoing{To: core.ChatRef(other.Ref), DM: true,
			Message: core.Message{Text: "Open: C-1001 " + compTxt}}, t0); err != nil {
			return err
		}
		// Event ids: one names the account (Slack's actions do), one only looks alike.
		for _, ev := range []string{"action:" + userID + ":1.5", "1" + userID} {
			if _, err := tx.MarkInbound(core.Telegram, ev, t0); err != nil {
				return err
			}
		}
		tp := core.Touchpoint{ContactID: c.ID, Stage: "delivery", Ref: "order-" + userID, Key: "touch-" + userID}
		if _, err := tx.CreateTouchpoint(&tp); err != nil {
			return err
		}
		return tx.CreateInvite(core.Invite{Token: "tok", Name: name, UsedBy: c.ID, UsedAt: t0})
	})
	// Give the old pages some company in the log and the file before erasing.
	if d.Raw != nil {
		d.Raw(t, db)
	}
	update(t, db, func(tx core.Tx) error { return tx.EraseContact(c.ID, t0.Add(time.Hour)) })

	view(t, db, func(tx core.Tx) error {
		_, err := tx.ContactByRef(c.Ref)
		wantCode(t, err, core.ENOTFOUND)
		got, err := tx.Contact(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "" || got.Locale != "" || got.Language != "" || got.TimeZone != "" || got.PendingText != "" || got.Pending != "" ||
			!got.ErasedAt.Equal(t0.Add(time.Hour)) || got.Ref.ID == userID || !strings.HasPrefix(got.Ref.ID, "erased-") ||
			!got.CreatedAt.Equal(t0) {
			t.Errorf("erased contact = %+v", got)
		}
		ans, _ := tx.Answers(run.ID, 0)
		if len(ans) != 2 || ans[0].Score == nil || *ans[0].Score != 3 || ans[1].Text != "" {
			t.Errorf("answers after erase = %+v (scores stay, texts go)", ans)
		}
		cp, _ := tx.Complaint(comp.ID)
		if cp.Text != "[erased]" || cp.ResolutionNote != "[erased]" || cp.Status != core.StatusResolved ||
			!cp.ResolvedAt.Equal(comp.ResolvedAt) || cp.AckBy != "Lee" {
			t.Errorf("complaint after erase = %+v", cp)
		}
		th, _ := tx.Thread(comp.ID)
		for _, m := range th {
			if m.Text != "[erased]" {
				t.Errorf("thread message kept text %q", m.Text)
			}
			if !m.FromTeam && !m.Account.IsZero() {
				t.Errorf("customer thread message kept account %v", m.Account)
			}
		}
		m, _ := tx.OutboxMessage(msgID)
		if !reflectZeroMessage(m.Message) || m.State != core.OutboxDead || m.LastError != "erased" || m.To.ID == userID {
			t.Errorf("pending outbox message after erase = %+v; want dropped, empty and unaddressed", m)
		}
		if n, err := tx.DeadLetters(t0, t0.Add(time.Hour*24)); n != 0 || err != nil {
			t.Errorf("DeadLetters = %d, %v; dropped messages of an erased contact are not dead letters", n, err)
		}
		if m, _ := tx.OutboxMessage(otherMsg); m.Message.Text != "kept" {
			t.Errorf("another contact's message changed: %+v", m.Message)
		}
		tps, _ := tx.Touchpoints(c.ID)
		if len(tps) != 1 || tps[0].Ref != "" || tps[0].Key != "" {
			t.Errorf("touchpoints after erase = %+v", tps)
		}
		if inv, _ := tx.Invite("tok"); inv.Name != "" {
			t.Errorf("invite name kept: %q", inv.Name)
		}
		return nil
	})

	// A copy read before the erase cannot bring the identity back.
	update(t, db, func(tx core.Tx) error {
		if fresh, err := tx.MarkInbound(core.Telegram, "1"+userID, t0); fresh || err != nil {
			t.Errorf("an event id that only looks like the account was forgotten (fresh %v, %v)", fresh, err)
		}
		wantCode(t, tx.UpdateContact(c), core.ECONFLICT)
		fresh, err := tx.Contact(c.ID)
		if err != nil {
			return err
		}
		fresh.Unreachable = "blocked"
		return tx.UpdateContact(fresh) // a fresh copy may still be saved
	})

	if d.Raw != nil {
		raw := d.Raw(t, db)
		for _, secret := range []string{name, comment, compTxt, note, thread, pending, userID} {
			if secret == userID {
				raw = strings.ReplaceAll(raw, "1"+userID, "") // the look-alike event id stays
			}
			if strings.Contains(raw, secret) {
				t.Errorf("database files still hold %q after erase and Compact", secret)
			}
		}
	}

	// The person can come back as a new contact.
	again := core.Contact{Ref: c.Ref}
	update(t, db, func(tx core.Tx) error { return tx.CreateContact(&again) })
}

func reflectZeroMessage(m core.Message) bool {
	return m.Title == "" && m.Text == "" && m.Footer == "" && len(m.Fields) == 0 && len(m.Choices) == 0
}

// The confirmation of a /forget goes to the erased person and then, sent or dead, loses
// their address and sent id.
func testMessageToAnErasedContactLosesItsAddressWhenDone(t *testing.T, d Driver, _ core.Store) {
	for _, dies := range []bool{false, true} {
		db := d.Open(t)
		const userID = "4242002888"
		c := addContact(t, db, userID)
		var id, kept int64
		update(t, db, func(tx core.Tx) error {
			if err := tx.EraseContact(c.ID, t0); err != nil {
				return err
			}
			var err error
			id, err = tx.Enqueue(core.Outgoing{To: core.ChatRef(c.Ref), DM: true, ContactID: c.ID,
				Message: core.Message{Text: "Done: we erased your data."}}, t0)
			if err != nil {
				return err
			}
			// A DM to someone not erased keeps its address when done.
			other := core.ChatRef{Platform: core.Telegram, ID: "4242002999"}
			kept, err = tx.Enqueue(core.Outgoing{To: other, DM: true, Message: core.Message{Text: "hi"}}, t0)
			return err
		})
		update(t, db, func(tx core.Tx) error {
			got, err := tx.ClaimOutbox(t0, "i1", 0, 10)
			if err != nil || len(got) != 2 || got[0].To.ID != userID {
				t.Fatalf("claimed %+v, %v; the confirmation must still reach them", got, err)
			}
			if err := tx.MarkSent(kept, "4242002999/1", t0); err != nil {
				return err
			}
			if dies {
				return tx.MarkDead(id, "blocked", t0)
			}
			return tx.MarkSent(id, userID+"/7", t0)
		})
		view(t, db, func(tx core.Tx) error {
			m, err := tx.OutboxMessage(id)
			if err != nil || m.To.ID == userID || !strings.HasPrefix(m.To.ID, "erased-") || m.SentID != "" {
				t.Errorf("dies %v: the confirmation after delivery = %+v, %v; want its address gone", dies, m, err)
			}
			if m, err := tx.OutboxMessage(kept); err != nil || m.To.ID != "4242002999" || m.SentID != "4242002999/1" {
				t.Errorf("dies %v: another DM after delivery = %+v, %v; want it as sent", dies, m, err)
			}
			return nil
		})
		if d.Raw != nil {
			if raw := d.Raw(t, db); strings.Contains(raw, userID) {
				t.Errorf("dies %v: database files still hold the id", dies)
			}
		}
	}
}
