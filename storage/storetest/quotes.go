package storetest

import (
	"strings"
	"testing"

	"earshot/core"
)

func testEraseScrubsQuotesInDigest(t *testing.T, d Driver, db core.Store) {
	maria := addContact(t, db, "1")
	other := addContact(t, db, "2")
	const mine = "The bike came two days late and nobody told me."
	const theirs = "Lovely service, but the bell squeaks."
	for _, a := range []struct {
		c    core.Contact
		text string
	}{{maria, mine}, {other, theirs}} {
		run := addRun(t, db, a.c.ID, t0)
		update(t, db, func(tx core.Tx) error {
			return tx.AddAnswer(&core.Answer{RunID: run.ID, ContactID: a.c.ID, QuestionKey: "comment", Text: a.text, AnsweredAt: t0})
		})
	}
	digest := core.Message{Title: "Week 2026-W47", Text: "Lowest-scored comments\n  “The bike came two days late and nob…” (lowest score 2)\n  “" + theirs + "”",
		Fields: []core.Field{{Label: "quote", Value: mine}}}
	owner := core.ChatRef{Platform: core.Slack, ID: "U01"}
	var id int64
	update(t, db, func(tx core.Tx) error {
		var err error
		id, err = tx.Enqueue(core.Outgoing{To: owner, DM: true, Message: digest}, t0)
		return err
	})
	update(t, db, func(tx core.Tx) error { return tx.EraseContact(maria.ID, t0) })
	view(t, db, func(tx core.Tx) error {
		m, err := tx.OutboxMessage(id)
		if err != nil {
			t.Fatal(err)
		}
		want := "Lowest-scored comments\n  “[erased]” (lowest score 2)\n  “" + theirs + "”"
		if m.Message.Text != want || m.Message.Title != digest.Title || m.Message.Fields[0].Value != "[erased]" {
			t.Errorf("digest after erase = %+v\nwant text %q", m.Message, want)
		}
		if m.State != core.OutboxPending {
			t.Errorf("digest state %s, want still pending", m.State)
		}
		return nil
	})
	if d.Raw == nil {
		return
	}
	raw := d.Raw(t, db)
	if strings.Contains(raw, "two days late") {
		t.Error("the database file still holds the erased comment")
	}
	if !strings.Contains(raw, "bell squeaks") {
		t.Error("another customer's comment is gone")
	}
}
