package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"earshot/core"
)

var (
	chatA = core.ChatRef{Platform: core.Telegram, ID: "100"}
	chatB = core.ChatRef{Platform: core.Telegram, ID: "200"}
	chatC = core.ChatRef{Platform: core.Slack, ID: "100"} // same id, other platform: another chat
)

func enqueue(t *testing.T, db core.Store, to core.ChatRef, text string, due time.Time) int64 {
	t.Helper()
	var id int64
	update(t, db, func(tx core.Tx) error {
		var err error
		id, err = tx.Enqueue(core.Outgoing{To: to, Message: core.Message{Text: text}}, due)
		return err
	})
	return id
}

// claim claims for the instance "i1".
func claim(t *testing.T, db core.Store, now time.Time, limit int) []int64 {
	t.Helper()
	return claimFor(t, db, "i1", now, limit)
}

func claimFor(t *testing.T, db core.Store, owner string, now time.Time, limit int) []int64 {
	t.Helper()
	var ids []int64
	update(t, db, func(tx core.Tx) error {
		ms, err := tx.ClaimOutbox(now, owner, 0, limit)
		for _, m := range ms {
			ids = append(ids, m.ID)
			if m.ClaimedBy != owner || m.LeaseUntil.IsZero() {
				t.Errorf("claimed %d: ClaimedBy %q, LeaseUntil %v; want %q and set", m.ID, m.ClaimedBy, m.LeaseUntil, owner)
			}
		}
		return err
	})
	return ids
}

func testOutboxRoundTrip(t *testing.T, db core.Store) {
	c := addContact(t, db, "1")
	o := core.Outgoing{To: chatA, DM: true, EditOf: 3, ThreadOf: 4, ContactID: c.ID, Class: core.ClassCosmetic, Message: core.Message{
		Title: "Complaint C-1001", Text: "late <b>", Pre: true, Footer: "f",
		Fields:  []core.Field{{Label: "Customer", Value: "telegram:1", Short: true}},
		Choices: []core.Choice{{Label: "Ack", Payload: "ack:1001", Style: core.StylePrimary, NeedsNote: true, NoteLabel: "Note"}},
	}}
	var id int64
	update(t, db, func(tx core.Tx) error {
		var err error
		id, err = tx.Enqueue(o, t0)
		return err
	})
	view(t, db, func(tx core.Tx) error {
		got, err := tx.OutboxMessage(id)
		want := core.OutboxMessage{ID: id, Outgoing: o, State: core.OutboxPending, CreatedAt: t0, DueAt: t0}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("OutboxMessage = %+v, %v\nwant %+v", got, err, want)
		}
		_, err = tx.OutboxMessage(id + 1)
		wantCode(t, err, core.ENOTFOUND)
		return nil
	})
	update(t, db, func(tx core.Tx) error {
		wantCode(t, tx.MarkSent(999, "x", t0), core.ENOTFOUND)
		wantCode(t, tx.RetryOutbox(999, t0, "x"), core.ENOTFOUND)
		wantCode(t, tx.MarkDead(999, "x", t0), core.ENOTFOUND)
		return nil
	})
}

func testClaimOutboxHeadOfLine(t *testing.T, db core.Store) {
	now := t0
	a1 := enqueue(t, db, chatA, "a1", now)
	b1 := enqueue(t, db, chatB, "b1", now.Add(time.Hour)) // not due: holds back b2
	a2 := enqueue(t, db, chatA, "a2", now)
	b2 := enqueue(t, db, chatB, "b2", now)
	c1 := enqueue(t, db, chatC, "c1", now.Add(-time.Hour))

	if got, want := claim(t, db, now, 10), []int64{a1, c1}; !reflect.DeepEqual(got, want) {
		t.Fatalf("first claim = %v, want %v (one head per chat, due only, by id)", got, want)
	}
	// Claimed heads hold their chats, however long: nothing else is claimable (b1 is not due).
	if got := claimFor(t, db, "i2", now.Add(59*time.Minute), 10); len(got) != 0 {
		t.Fatalf("claim while claimed = %v, want none", got)
	}
	// The limit counts chats.
	update(t, db, func(tx core.Tx) error { return tx.MarkSent(a1, "m1", now) })
	update(t, db, func(tx core.Tx) error { return tx.MarkSent(c1, "m2", now) })
	enqueue(t, db, chatC, "c2", now)
	if got, want := claim(t, db, now, 1), []int64{a2}; !reflect.DeepEqual(got, want) {
		t.Fatalf("claim limit 1 = %v, want %v", got, want)
	}
	// Giving a claim back makes the head claimable again.
	update(t, db, func(tx core.Tx) error { return tx.RetryOutbox(a2, now, "") })
	got := claim(t, db, now, 10)
	if len(got) != 2 || got[0] != a2 {
		t.Fatalf("claim after give-back = %v, want a2 and c2", got)
	}
	update(t, db, func(tx core.Tx) error { return tx.MarkSent(got[0], "m3", now) })
	update(t, db, func(tx core.Tx) error { return tx.MarkSent(got[1], "m4", now) })
	// b2 waits for b1 even though b2 is due.
	if got := claim(t, db, now.Add(59*time.Minute), 10); len(got) != 0 {
		t.Fatalf("claim = %v, want none (b1 not due holds b2)", got)
	}
	if got, want := claim(t, db, now.Add(time.Hour), 10), []int64{b1}; !reflect.DeepEqual(got, want) {
		t.Fatalf("claim = %v, want %v", got, want)
	}
	// A retried head stays the head: b2 waits until b1 is due again.
	update(t, db, func(tx core.Tx) error { return tx.RetryOutbox(b1, now.Add(3*time.Hour), "503") })
	if got := claim(t, db, now.Add(2*time.Hour+time.Second), 10); len(got) != 0 {
		t.Fatalf("claim = %v, want none while retried b1 waits", got)
	}
	view(t, db, func(tx core.Tx) error {
		m, err := tx.OutboxMessage(b1)
		if err != nil || m.Attempts != 1 || m.LastError != "503" || !m.LeaseUntil.IsZero() || m.ClaimedBy != "" || !m.DueAt.Equal(now.Add(3*time.Hour)) {
			t.Errorf("after RetryOutbox: %+v, %v", m, err)
		}
		return nil
	})
	// A dead head releases the chat.
	update(t, db, func(tx core.Tx) error { return tx.MarkDead(b1, "chat not found", now.Add(2*time.Hour)) })
	if got, want := claim(t, db, now.Add(2*time.Hour), 10), []int64{b2}; !reflect.DeepEqual(got, want) {
		t.Fatalf("claim after dead head = %v, want %v", got, want)
	}
	view(t, db, func(tx core.Tx) error {
		m, err := tx.OutboxMessage(b1)
		if err != nil || m.State != core.OutboxDead || m.LastError != "chat not found" {
			t.Errorf("dead message: %+v, %v", m, err)
		}
		n, err := tx.DeadLetters(now, now.Add(3*time.Hour))
		if err != nil || n != 1 {
			t.Errorf("DeadLetters = %d, %v", n, err)
		}
		n, err = tx.DeadLetters(now, now.Add(2*time.Hour))
		if err != nil || n != 0 {
			t.Errorf("DeadLetters before = %d, %v", n, err)
		}
		return nil
	})
}

func testMarkSent(t *testing.T, db core.Store) {
	id := enqueue(t, db, chatA, "x", t0)
	claim(t, db, t0, 1)
	update(t, db, func(tx core.Tx) error { return tx.MarkSent(id, "42", t0.Add(time.Second)) })
	view(t, db, func(tx core.Tx) error {
		m, err := tx.OutboxMessage(id)
		if err != nil || m.State != core.OutboxSent || m.SentID != "42" || !m.SentAt.Equal(t0.Add(time.Second)) || !m.LeaseUntil.IsZero() || m.ClaimedBy != "" {
			t.Errorf("sent message: %+v, %v", m, err)
		}
		return nil
	})
}

func testRetargetOutbox(t *testing.T, db core.Store) {
	old := core.ChatRef{Platform: core.Telegram, ID: "-100"}
	super := core.ChatRef{Platform: core.Telegram, ID: "-1001234"}
	sent := enqueue(t, db, old, "sent", t0)
	update(t, db, func(tx core.Tx) error { return tx.MarkSent(sent, "1", t0) })
	o1 := enqueue(t, db, old, "o1", t0)
	s1 := enqueue(t, db, super, "s1", t0)
	o2 := enqueue(t, db, old, "o2", t0)
	update(t, db, func(tx core.Tx) error { return tx.RetargetOutbox(old, super) })
	view(t, db, func(tx core.Tx) error {
		for _, id := range []int64{o1, o2} {
			m, _ := tx.OutboxMessage(id)
			if m.To != super {
				t.Errorf("pending %d To = %v, want %v", id, m.To, super)
			}
		}
		if m, _ := tx.OutboxMessage(sent); m.To != old {
			t.Errorf("sent message moved to %v", m.To)
		}
		return nil
	})
	// One chat now, in id order: o1, then s1, then o2.
	for _, want := range []int64{o1, s1, o2} {
		got := claim(t, db, t0, 10)
		if !reflect.DeepEqual(got, []int64{want}) {
			t.Fatalf("claim = %v, want [%d]", got, want)
		}
		update(t, db, func(tx core.Tx) error { return tx.MarkSent(want, "x", t0) })
	}
}

func testNextOutboxAtAndStats(t *testing.T, db core.Store) {
	view(t, db, func(tx core.Tx) error {
		if _, ok, err := tx.NextOutboxAt(); ok || err != nil {
			t.Errorf("NextOutboxAt on empty = %v, %v", ok, err)
		}
		if n, oldest, err := tx.OutboxStats(); n != 0 || !oldest.IsZero() || err != nil {
			t.Errorf("OutboxStats on empty = %d, %v, %v", n, oldest, err)
		}
		return nil
	})
	a1 := enqueue(t, db, chatA, "a1", t0.Add(time.Hour))
	enqueue(t, db, chatA, "a2", t0) // due earlier, but behind a1
	enqueue(t, db, chatB, "b1", t0.Add(2*time.Hour))
	next := func() time.Time {
		var at time.Time
		view(t, db, func(tx core.Tx) error {
			var ok bool
			var err error
			at, ok, err = tx.NextOutboxAt()
			if !ok || err != nil {
				t.Fatalf("NextOutboxAt = %v, %v", ok, err)
			}
			return nil
		})
		return at
	}
	if got := next(); !got.Equal(t0.Add(time.Hour)) {
		t.Errorf("NextOutboxAt = %v, want a1's due time", got)
	}
	claim(t, db, t0.Add(time.Hour), 10)
	if got := next(); !got.Equal(t0.Add(2 * time.Hour)) {
		t.Errorf("NextOutboxAt with a1 claimed = %v, want b1's due time", got)
	}
	update(t, db, func(tx core.Tx) error { return tx.MarkSent(a1, "1", t0) })
	if got := next(); !got.Equal(t0) {
		t.Errorf("NextOutboxAt after a1 sent = %v, want a2's due time", got)
	}
	view(t, db, func(tx core.Tx) error {
		n, oldest, err := tx.OutboxStats()
		if n != 2 || !oldest.Equal(t0) || err != nil {
			t.Errorf("OutboxStats = %d, %v, %v; want 2, %v", n, oldest, err, t0)
		}
		return nil
	})
}

func enqueueClass(t *testing.T, db core.Store, to core.ChatRef, class core.Class) int64 {
	t.Helper()
	var id int64
	update(t, db, func(tx core.Tx) error {
		var err error
		id, err = tx.Enqueue(core.Outgoing{To: to, Class: class, Message: core.Message{Text: "x"}}, t0)
		return err
	})
	return id
}

// testClaimOutboxByClass: when more chats are ready than the claim takes, the most urgent
// class goes first; a chat's order is kept, and the messages ahead of a reply go as soon
// as it would.
func testClaimOutboxByClass(t *testing.T, db core.Store) {
	chatD := core.ChatRef{Platform: core.Telegram, ID: "400"}
	bulkA := enqueueClass(t, db, chatA, core.ClassBulk)
	bulkB := enqueueClass(t, db, chatB, core.ClassBulk)
	cosmeticC := enqueueClass(t, db, chatC, core.ClassCosmetic)
	bulkD := enqueueClass(t, db, chatD, core.ClassBulk)
	bulkD2 := enqueueClass(t, db, chatD, core.ClassBulk)
	team := enqueueClass(t, db, chatD, 0) // stored as team; lifts chat D's queue to team
	replyB := enqueueClass(t, db, chatB, core.ClassReply)
	view(t, db, func(tx core.Tx) error {
		for id, want := range map[int64]core.Class{bulkA: core.ClassBulk, bulkB: core.ClassReply,
			cosmeticC: core.ClassCosmetic, bulkD: core.ClassTeam, bulkD2: core.ClassTeam, team: core.ClassTeam, replyB: core.ClassReply} {
			if m, err := tx.OutboxMessage(id); err != nil || m.Class != want {
				t.Errorf("message %d: class %v, %v; want %v", id, m.Class, err, want)
			}
		}
		return nil
	})
	// Asked for bulk or less urgent: the bulk, not the lifted heads.
	var bulkOnly []int64
	update(t, db, func(tx core.Tx) error {
		ms, err := tx.ClaimOutbox(t0, "i1", core.ClassBulk, 1)
		for _, m := range ms {
			bulkOnly = append(bulkOnly, m.ID)
		}
		return err
	})
	if !reflect.DeepEqual(bulkOnly, []int64{bulkA}) {
		t.Fatalf("claim of bulk = %v, want [%d]", bulkOnly, bulkA)
	}
	update(t, db, func(tx core.Tx) error { return tx.RetryOutbox(bulkA, t0, "") })
	// chat B's head (lifted by the reply behind it), then chat D's (team), then bulk A.
	for _, want := range [][]int64{{bulkB}, {bulkD}, {bulkA}, {cosmeticC}} {
		if got := claim(t, db, t0, 1); !reflect.DeepEqual(got, want) {
			t.Fatalf("claim = %v, want %v", got, want)
		}
	}
	update(t, db, func(tx core.Tx) error { return tx.MarkSent(bulkB, "1", t0) })
	if got := claim(t, db, t0, 10); !reflect.DeepEqual(got, []int64{replyB}) {
		t.Fatalf("claim = %v, want the reply after the message before it", got)
	}
}

// testReclaimOutbox: claims never expire; an instance takes over the claims of an instance
// that is gone, never those of one alive. Driver.Gone tells the store that an instance is
// gone (on SQLite: this process takes the database's lock, so every other is).
func testReclaimOutbox(t *testing.T, d Driver, db core.Store) {
	if d.Gone == nil {
		t.Skip("the driver cannot make an instance gone")
	}
	reclaim := func(owner string) (int, error) {
		var n int
		err := db.Update(context.Background(), func(tx core.Tx) error {
			var err error
			n, err = tx.ReclaimOutbox(owner)
			return err
		})
		return n, err
	}
	a := enqueue(t, db, chatA, "a", t0)
	b := enqueue(t, db, chatB, "b", t0)
	// Each instance says it is alive before it claims, as the engine does; a store that
	// cannot tell who is alive refuses and changes nothing.
	for _, owner := range []string{"dead", "alive"} {
		if _, err := reclaim(owner); err != nil && core.ErrorCode(err) != core.ECONFLICT {
			t.Fatal(err)
		}
	}
	claimFor(t, db, "dead", t0, 1)
	claimFor(t, db, "alive", t0, 1)
	if n, err := reclaim("alive"); n != 0 || (err != nil && core.ErrorCode(err) != core.ECONFLICT) {
		t.Fatalf("ReclaimOutbox with both alive = %d, %v; want nothing taken", n, err)
	}
	d.Gone(t, db, "dead")
	if n, err := reclaim("alive"); n != 1 || err != nil {
		t.Fatalf("ReclaimOutbox = %d, %v; want 1 (the dead instance's)", n, err)
	}
	if got := claimFor(t, db, "alive", t0, 10); !reflect.DeepEqual(got, []int64{a}) {
		t.Fatalf("claim after takeover = %v, want [%d] (b stays claimed by its live holder)", got, a)
	}
	view(t, db, func(tx core.Tx) error {
		m, err := tx.OutboxMessage(b)
		if err != nil || m.ClaimedBy != "alive" {
			t.Errorf("b after the takeover: %+v, %v; want still claimed by alive", m, err)
		}
		return nil
	})
}
