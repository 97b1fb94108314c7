package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"earshot/core"
)

func testComplaintsStartAt1001AndRoundTrip(t *testing.T, db core.Store) {
	c := addContact(t, db, "1")
	run := addRun(t, db, c.ID, t0)
	plain := core.Complaint{ContactID: c.ID, Status: core.StatusOpen, Text: "late", OpenedAt: t0,
		AckDue: t0.Add(12 * time.Hour), ResolveDue: t0.Add(48 * time.Hour)}
	full := core.Complaint{ContactID: c.ID, RunID: run.ID, Status: core.StatusClosed, Text: "broken",
		OpenedAt: t0, AckDue: t0.Add(time.Hour), ResolveDue: t0.Add(2 * time.Hour), AckAt: t0.Add(time.Minute),
		AckBy: "Lee", OwnerAccount: core.UserRef{Platform: core.Slack, ID: "U01"}, ResolvedAt: t0.Add(time.Hour),
		ResolvedBy: "Lee", ResolutionNote: "replaced", ClosedAt: t0.Add(3 * time.Hour), Confirmed: ptr(false),
		Reopened: 2, CardMsg: 5, WaitingAt: t0.Add(90 * time.Minute), ResolveLeft: 20 * time.Minute,
		Waited: 7 * time.Minute}
	update(t, db, func(tx core.Tx) error {
		if err := tx.CreateComplaint(&plain); err != nil {
			return err
		}
		return tx.CreateComplaint(&full)
	})
	if plain.ID != 1001 || plain.Ref() != "C-1001" || full.ID != 1002 {
		t.Fatalf("complaint ids %d, %d; want 1001, 1002", plain.ID, full.ID)
	}
	view(t, db, func(tx core.Tx) error {
		for _, want := range []core.Complaint{plain, full} {
			got, err := tx.Complaint(want.ID)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("Complaint = %+v, %v\nwant %+v", got, err, want)
			}
		}
		_, err := tx.Complaint(1)
		wantCode(t, err, core.ENOTFOUND)
		return nil
	})
	for _, confirmed := range []*bool{ptr(true), nil} {
		full.Confirmed = confirmed
		// The customer wrote: the wait ends and its time is kept (/wait).
		full.WaitingAt, full.Waited = time.Time{}, full.Waited+time.Minute
		update(t, db, func(tx core.Tx) error { return tx.UpdateComplaint(full) })
		view(t, db, func(tx core.Tx) error {
			got, err := tx.Complaint(full.ID)
			if err != nil || !reflect.DeepEqual(got, full) {
				t.Errorf("after UpdateComplaint = %+v, %v\nwant %+v", got, err, full)
			}
			return nil
		})
	}
	update(t, db, func(tx core.Tx) error {
		wantCode(t, tx.UpdateComplaint(core.Complaint{ID: 5, ContactID: c.ID, Status: core.StatusOpen}), core.ENOTFOUND)
		return nil
	})
}

func testComplaintsFilter(t *testing.T, db core.Store) {
	a := addContact(t, db, "1")
	b := addContact(t, db, "2")
	cs := []core.Complaint{
		{ContactID: a.ID, Status: core.StatusOpen, OpenedAt: t0.Add(time.Hour)},
		{ContactID: b.ID, Status: core.StatusAcknowledged, OpenedAt: t0},
		{ContactID: a.ID, Status: core.StatusClosed, OpenedAt: t0.Add(2 * time.Hour)},
	}
	update(t, db, func(tx core.Tx) error {
		for i := range cs {
			if err := tx.CreateComplaint(&cs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	c0, c1, c2 := cs[0].ID, cs[1].ID, cs[2].ID
	cases := []struct {
		name string
		f    core.ComplaintFilter
		want []int64
	}{
		{"all oldest first", core.ComplaintFilter{}, []int64{c1, c0, c2}},
		{"contact", core.ComplaintFilter{ContactID: a.ID}, []int64{c0, c2}},
		{"statuses", core.ComplaintFilter{Statuses: []core.ComplaintStatus{core.StatusOpen, core.StatusAcknowledged}}, []int64{c1, c0}},
		{"opened range", core.ComplaintFilter{OpenedFrom: t0.Add(time.Hour), OpenedTo: t0.Add(2 * time.Hour)}, []int64{c0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			view(t, db, func(tx core.Tx) error {
				got, err := tx.Complaints(tc.f)
				var ids []int64
				for _, c := range got {
					ids = append(ids, c.ID)
				}
				if err != nil || !reflect.DeepEqual(ids, tc.want) {
					t.Errorf("Complaints = %v, %v; want %v", ids, err, tc.want)
				}
				return nil
			})
		})
	}
}

func testComplaintByCard(t *testing.T, db core.Store) {
	c := addContact(t, db, "1")
	team := core.ChatRef{Platform: core.Slack, ID: "C0123"}
	var comp core.Complaint
	var card, edit int64
	update(t, db, func(tx core.Tx) error {
		var err error
		if card, err = tx.Enqueue(core.Outgoing{To: team, Message: core.Message{Title: "C-1001"}}, t0); err != nil {
			return err
		}
		comp = core.Complaint{ContactID: c.ID, Status: core.StatusOpen, OpenedAt: t0, CardMsg: card}
		if err := tx.CreateComplaint(&comp); err != nil {
			return err
		}
		if err := tx.MarkSent(card, "C0123/1700000000.000100", t0); err != nil {
			return err
		}
		// An edit of the card is delivered with the same platform id.
		if edit, err = tx.Enqueue(core.Outgoing{To: team, EditOf: card, Message: core.Message{Title: "C-1001 acked"}}, t0); err != nil {
			return err
		}
		return tx.MarkSent(edit, "C0123/1700000000.000100", t0.Add(time.Minute))
	})
	view(t, db, func(tx core.Tx) error {
		got, err := tx.ComplaintByCard(core.Slack, "C0123/1700000000.000100")
		if err != nil || got.ID != comp.ID {
			t.Errorf("ComplaintByCard = %d, %v; want %d", got.ID, err, comp.ID)
		}
		_, err = tx.ComplaintByCard(core.Discord, "C0123/1700000000.000100")
		wantCode(t, err, core.ENOTFOUND)
		_, err = tx.ComplaintByCard(core.Slack, "")
		wantCode(t, err, core.ENOTFOUND)
		return nil
	})
}

func testThreadAndBreaches(t *testing.T, db core.Store) {
	c := addContact(t, db, "1")
	comp := core.Complaint{ContactID: c.ID, Status: core.StatusOpen, OpenedAt: t0}
	msgs := []core.ThreadMessage{
		{Author: "customer", Account: c.Ref, Text: "still broken", At: t0.Add(time.Minute)},
		{Author: "Lee", Account: core.UserRef{Platform: core.Slack, ID: "U01"}, FromTeam: true, Text: "on it", At: t0},
	}
	update(t, db, func(tx core.Tx) error {
		if err := tx.CreateComplaint(&comp); err != nil {
			return err
		}
		for i := range msgs {
			msgs[i].ComplaintID = comp.ID
			if err := tx.AddThreadMessage(&msgs[i]); err != nil {
				return err
			}
		}
		for _, b := range []core.Breach{
			{ComplaintID: comp.ID, Kind: core.BreachAcknowledge, Deadline: t0, At: t0},
			{ComplaintID: comp.ID, Kind: core.BreachResolve, Deadline: t0, At: t0.Add(time.Hour)},
			{ComplaintID: comp.ID, Kind: core.BreachResolve, At: t0.Add(2 * time.Hour)},
			{ComplaintID: comp.ID, Kind: core.BreachResolve, At: t0.Add(24 * time.Hour)},
		} {
			if err := tx.AddBreach(&b); err != nil || b.ID == 0 {
				t.Fatalf("AddBreach: %v, id %d", err, b.ID)
			}
		}
		return nil
	})
	view(t, db, func(tx core.Tx) error {
		got, err := tx.Thread(comp.ID)
		if err != nil || !reflect.DeepEqual(got, []core.ThreadMessage{msgs[1], msgs[0]}) {
			t.Errorf("Thread = %+v, %v", got, err)
		}
		br, err := tx.Breaches(t0, t0.Add(3*time.Hour))
		want := map[core.BreachKind]int{core.BreachAcknowledge: 1, core.BreachResolve: 2}
		if err != nil || !reflect.DeepEqual(br, want) {
			t.Errorf("Breaches = %v, %v; want %v", br, err, want)
		}
		return nil
	})
}

func testComplaintByCardFindsMessagesThreadedUnderIt(t *testing.T, db core.Store) {
	ctx := context.Background()
	c := addContact(t, db, "9")
	var comp core.Complaint
	err := db.Update(ctx, func(tx core.Tx) error {
		to := core.ChatRef{Platform: core.Telegram, ID: "-100"}
		card, err := tx.Enqueue(core.Outgoing{To: to, Message: core.Message{Text: "card"}}, t0)
		if err != nil {
			return err
		}
		relayed, err := tx.Enqueue(core.Outgoing{To: to, ThreadOf: card, Message: core.Message{Text: "customer wrote"}}, t0)
		if err != nil {
			return err
		}
		edit, err := tx.Enqueue(core.Outgoing{To: to, EditOf: card, Message: core.Message{Text: "card, edited"}}, t0)
		if err != nil {
			return err
		}
		for id, sent := range map[int64]string{card: "-100/1", relayed: "-100/2", edit: "-100/1"} {
			if err := tx.MarkSent(id, sent, t0); err != nil {
				return err
			}
		}
		comp = core.Complaint{ContactID: c.ID, Status: core.StatusOpen, Text: "x", OpenedAt: t0, CardMsg: card}
		if err := tx.CreateComplaint(&comp); err != nil {
			return err
		}
		other := core.Complaint{ContactID: c.ID, Status: core.StatusOpen, Text: "y", OpenedAt: t0}
		return tx.CreateComplaint(&other)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(tx core.Tx) error {
		for _, sent := range []string{"-100/1", "-100/2"} {
			got, err := tx.ComplaintByCard(core.Telegram, sent)
			if err != nil || got.ID != comp.ID {
				t.Errorf("ComplaintByCard(%s) = %d, %v; want %d", sent, got.ID, err, comp.ID)
			}
		}
		if _, err := tx.ComplaintByCard(core.Telegram, "-100/3"); !core.IsNotFound(err) {
			t.Errorf("unknown message: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testComplaintsActiveFrom(t *testing.T, db core.Store) {
	ctx := context.Background()
	c := addContact(t, db, "8")
	week := t0.Add(7 * 24 * time.Hour)
	err := db.Update(ctx, func(tx core.Tx) error {
		for _, cp := range []core.Complaint{
			{Text: "closed long ago", ClosedAt: t0.Add(time.Hour)},
			{Text: "closed in the week", ClosedAt: week.Add(time.Hour)},
			{Text: "still open"},
		} {
			cp.ContactID, cp.Status, cp.OpenedAt = c.ID, core.StatusOpen, t0
			if !cp.ClosedAt.IsZero() {
				cp.Status = core.StatusClosed
			}
			if err := tx.CreateComplaint(&cp); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.View(ctx, func(tx core.Tx) error {
		list, err := tx.Complaints(core.ComplaintFilter{ActiveFrom: week, OpenedTo: week.Add(7 * 24 * time.Hour)})
		if err != nil || len(list) != 2 || list[0].Text != "closed in the week" || list[1].Text != "still open" {
			t.Errorf("active from the week = %+v, %v", list, err)
		}
		return nil
	})
}
