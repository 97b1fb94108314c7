package storetest

import (
	"slices"
	"testing"
	"time"

	"earshot/core"
)

// testInactiveContacts: a contact is inactive when neither a message nor a touchpoint came
// since the cut; erased contacts are not listed.
func testInactiveContacts(t *testing.T, db core.Store) {
	old := addContact(t, db, "old")         // created at t0, never seen since
	seen := addContact(t, db, "seen")       // writes after the cut
	touched := addContact(t, db, "touched") // a touchpoint after the cut
	erased := addContact(t, db, "erased")   // old, but erased
	cut := t0.Add(24 * time.Hour)
	update(t, db, func(tx core.Tx) error {
		seen.SeenAt = cut.Add(time.Hour)
		if err := tx.UpdateContact(seen); err != nil {
			return err
		}
		if _, err := tx.CreateTouchpoint(&core.Touchpoint{ContactID: touched.ID, Stage: "delivery", CreatedAt: cut.Add(time.Minute)}); err != nil {
			return err
		}
		return tx.EraseContact(erased.ID, t0)
	})
	view(t, db, func(tx core.Tx) error {
		ids, err := tx.InactiveContacts(cut, 10)
		if err != nil || !slices.Equal(ids, []int64{old.ID}) {
			t.Errorf("InactiveContacts = %v, %v; want [%d]", ids, err, old.ID)
		}
		if ids, err := tx.InactiveContacts(cut, 0); err != nil || len(ids) != 0 {
			t.Errorf("InactiveContacts with limit 0 = %v, %v", ids, err)
		}
		return nil
	})
}

// testAnswerRows pages through a range's answers in arrival order, with each contact's
// account, empty once the contact is erased.
func testAnswerRows(t *testing.T, db core.Store) {
	a, b := addContact(t, db, "a"), addContact(t, db, "b")
	ra, rb := addRun(t, db, a.ID, t0), addRun(t, db, b.ID, t0)
	update(t, db, func(tx core.Tx) error {
		for i := range 5 {
			for _, r := range []core.SurveyRun{ra, rb} {
				if err := tx.AddAnswer(&core.Answer{RunID: r.ID, ContactID: r.ContactID, QuestionKey: "k",
					Score: ptr(i + 1), AnsweredAt: t0.Add(time.Duration(i) * time.Hour)}); err != nil {
					return err
				}
			}
		}
		return tx.EraseContact(b.ID, t0)
	})
	var got []core.AnswerRow
	after := int64(0)
	for {
		var page []core.AnswerRow
		view(t, db, func(tx core.Tx) error {
			var err error
			page, err = tx.AnswerRows(t0.Add(time.Hour), t0.Add(4*time.Hour), after, 4)
			return err
		})
		if len(page) == 0 {
			break
		}
		got = append(got, page...)
		after = page[len(page)-1].ID
	}
	if len(got) != 6 {
		t.Fatalf("AnswerRows over 3 hours of 2 answers = %d rows, want 6", len(got))
	}
	for i, r := range got {
		if i > 0 && r.ID <= got[i-1].ID {
			t.Errorf("rows out of order: %d after %d", r.ID, got[i-1].ID)
		}
		want := a.Ref.ID
		if r.ContactID == b.ID {
			want = ""
		}
		if r.Platform != core.Telegram || r.AccountID != want || r.Score == nil {
			t.Errorf("row %+v: want platform telegram, account %q and a score", r, want)
		}
	}
}
