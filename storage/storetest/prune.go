package storetest

import (
	"testing"
	"time"

	"earshot/core"
)

func testPruneOutboxKeepsWhatIsStillReferred(t *testing.T, db core.Store) {
	c := addContact(t, db, "1")
	run := addRun(t, db, c.ID, t0)
	old, recent, cutoff := t0, t0.Add(100*24*time.Hour), t0.Add(90*24*time.Hour)
	chat := core.ChatRef{Platform: core.Telegram, ID: "-100"}
	ids := map[string]int64{}
	update(t, db, func(tx core.Tx) error {
		send := func(name string, o core.Outgoing, at time.Time) {
			id, err := tx.Enqueue(o, at)
			if err != nil {
				t.Fatal(err)
			}
			if err := tx.MarkSent(id, name, at); err != nil {
				t.Fatal(err)
			}
			ids[name] = id
		}
		send("plain", core.Outgoing{To: chat}, old)
		send("open card", core.Outgoing{To: chat}, old)
		send("in open thread", core.Outgoing{To: chat, ThreadOf: ids["open card"]}, old)
		send("closed card", core.Outgoing{To: chat}, old)
		send("live question", core.Outgoing{To: chat}, old)
		send("edit target", core.Outgoing{To: chat}, old)
		send("recent", core.Outgoing{To: chat}, recent)
		pending, err := tx.Enqueue(core.Outgoing{To: chat, EditOf: ids["edit target"]}, recent)
		ids["pending edit"] = pending
		if err != nil {
			return err
		}
		dead, err := tx.Enqueue(core.Outgoing{To: chat}, old)
		ids["dead"] = dead
		if err != nil {
			return err
		}
		if err := tx.MarkDead(dead, "400 Bad Request", old); err != nil {
			return err
		}
		for name, status := range map[string]core.ComplaintStatus{"open card": core.StatusOpen, "closed card": core.StatusClosed} {
			cp := core.Complaint{ContactID: c.ID, Status: status, Text: name, OpenedAt: old, CardMsg: ids[name]}
			if err := tx.CreateComplaint(&cp); err != nil {
				return err
			}
		}
		run.QuestionMsg = ids["live question"]
		return tx.UpdateRun(run)
	})
	var n int
	update(t, db, func(tx core.Tx) error {
		var err error
		n, err = tx.PruneOutbox(cutoff, cutoff, 100)
		return err
	})
	gone := map[string]bool{"plain": true, "closed card": true, "dead": true}
	if n != len(gone) {
		t.Errorf("pruned %d; want %d", n, len(gone))
	}
	view(t, db, func(tx core.Tx) error {
		for name, id := range ids {
			_, err := tx.OutboxMessage(id)
			if gone[name] != core.IsNotFound(err) {
				t.Errorf("%s: gone = %v; want %v (err %v)", name, core.IsNotFound(err), gone[name], err)
			}
		}
		return nil
	})
}

func testPruneInbound(t *testing.T, db core.Store) {
	update(t, db, func(tx core.Tx) error {
		for i, at := range []time.Time{t0, t0.Add(time.Hour), t0.Add(10 * 24 * time.Hour)} {
			if _, err := tx.MarkInbound(core.Telegram, string(rune('a'+i)), at); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, db, func(tx core.Tx) error {
		n, err := tx.PruneInbound(t0.Add(7*24*time.Hour), 1)
		if n != 1 || err != nil {
			t.Errorf("first batch pruned %d, %v; want 1 (the limit)", n, err)
		}
		n, err = tx.PruneInbound(t0.Add(7*24*time.Hour), 100)
		if n != 1 || err != nil {
			t.Errorf("second batch pruned %d, %v; want 1", n, err)
		}
		fresh, err := tx.MarkInbound(core.Telegram, "c", t0)
		if fresh || err != nil {
			t.Errorf("a recent event was forgotten: fresh %v, %v", fresh, err)
		}
		fresh, err = tx.MarkInbound(core.Telegram, "a", t0)
		if !fresh || err != nil {
			t.Errorf("an old event was kept: fresh %v, %v", fresh, err)
		}
		return nil
	})
}
