package storetest

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"earshot/core"
)

// model is the outbox as the contract describes it, for comparing claims with.
type model struct {
	msgs map[int64]*modelMsg
}

type modelMsg struct {
	chat       core.ChatRef
	due, lease time.Time
	pending    bool
}

// heads returns each chat's oldest pending message.
func (m *model) heads() map[core.ChatRef]int64 {
	heads := map[core.ChatRef]int64{}
	for id, msg := range m.msgs {
		if h, ok := heads[msg.chat]; msg.pending && (!ok || id < h) {
			heads[msg.chat] = id
		}
	}
	return heads
}

func (m *model) ready(id int64) time.Time {
	msg := m.msgs[id]
	if msg.lease.After(msg.due) {
		return msg.lease
	}
	return msg.due
}

// claim returns what ClaimOutbox(now, lease, limit) must claim, and records the leases.
func (m *model) claim(now, lease time.Time, limit int) []int64 {
	var ids []int64
	for _, id := range m.heads() {
		if !m.ready(id).After(now) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	if len(ids) > limit {
		ids = ids[:limit]
	}
	for _, id := range ids {
		m.msgs[id].lease = lease
	}
	return ids
}

// next returns what NextOutboxAt must return.
func (m *model) next() (time.Time, bool) {
	var at time.Time
	ok := false
	for _, id := range m.heads() {
		if r := m.ready(id); !ok || r.Before(at) {
			at, ok = r, true
		}
	}
	return at, ok
}

// testClaimOutboxRandomKeepsChatOrder runs random outbox operations and checks every claim
// and NextOutboxAt against the model: one head per chat, in id order, due and not leased.
func testClaimOutboxRandomKeepsChatOrder(t *testing.T, db core.Store) {
	rng := rand.New(rand.NewPCG(1, 2))
	chats := []core.ChatRef{
		{Platform: core.Telegram, ID: "1"}, {Platform: core.Telegram, ID: "2"},
		{Platform: core.Slack, ID: "1"}, {Platform: core.Discord, ID: "9"},
	}
	m := &model{msgs: map[int64]*modelMsg{}}
	now := t0
	var claimed []int64
	finished := 0
	for step := range 400 {
		op := rng.IntN(6)
		switch {
		case op <= 1:
			due := now.Add(time.Duration(rng.IntN(5)-2) * time.Second)
			chat := chats[rng.IntN(len(chats))]
			var id int64
			update(t, db, func(tx core.Tx) error {
				var err error
				id, err = tx.Enqueue(core.Outgoing{To: chat}, due)
				return err
			})
			m.msgs[id] = &modelMsg{chat: chat, due: due, pending: true}
		case op == 2:
			lease := now.Add(time.Duration(1+rng.IntN(3)) * time.Second)
			limit := 1 + rng.IntN(3)
			want := m.claim(now, lease, limit)
			var got []int64
			update(t, db, func(tx core.Tx) error {
				ms, err := tx.ClaimOutbox(now, lease, limit)
				got = got[:0]
				for _, msg := range ms {
					got = append(got, msg.ID)
				}
				return err
			})
			if !slices.Equal(got, want) {
				t.Fatalf("step %d: ClaimOutbox = %v, want %v", step, got, want)
			}
			claimed = append(claimed, got...)
		case op == 3 && len(claimed) > 0:
			i := rng.IntN(len(claimed))
			id := claimed[i]
			claimed = slices.Delete(claimed, i, i+1)
			msg := m.msgs[id]
			if !msg.pending {
				continue
			}
			kind := rng.IntN(3)
			due := now.Add(time.Duration(rng.IntN(4)) * time.Second)
			update(t, db, func(tx core.Tx) error {
				switch kind {
				case 0:
					return tx.MarkSent(id, "x", now)
				case 1:
					return tx.RetryOutbox(id, due, "503")
				default:
					return tx.MarkDead(id, "gone", now)
				}
			})
			if kind == 1 {
				msg.due, msg.lease = due, time.Time{}
			} else {
				msg.pending = false
				finished++
			}
		case op == 4 && rng.IntN(8) == 0:
			from, to := chats[rng.IntN(len(chats))], chats[rng.IntN(len(chats))]
			update(t, db, func(tx core.Tx) error { return tx.RetargetOutbox(from, to) })
			for _, msg := range m.msgs {
				if msg.pending && msg.chat == from {
					msg.chat = to
				}
			}
		default:
			now = now.Add(time.Duration(rng.IntN(1500)) * time.Millisecond)
		}
		view(t, db, func(tx core.Tx) error {
			at, ok, err := tx.NextOutboxAt()
			wantAt, wantOK := m.next()
			if err != nil || ok != wantOK || !at.Equal(wantAt) {
				t.Fatalf("step %d: NextOutboxAt = %v, %v, %v; want %v, %v", step, at, ok, err, wantAt, wantOK)
			}
			return nil
		})
	}
	if finished == 0 {
		t.Fatal("the random run finished no message; it should exercise sends")
	}
}
