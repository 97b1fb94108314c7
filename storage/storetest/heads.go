package storetest

import (
	"cmp"
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
	chat    core.ChatRef
	due     time.Time
	claimed bool
	class   core.Class
	pending bool
}

// enqueue adds a message as Enqueue must: a zero class is team, and when the message just
// ahead of it in its chat is less urgent, the messages ahead that are take its class.
func (m *model) enqueue(id int64, chat core.ChatRef, due time.Time, class core.Class) {
	if class == 0 {
		class = core.ClassTeam
	}
	var prev int64
	for pid, msg := range m.msgs {
		if msg.pending && msg.chat == chat && pid > prev {
			prev = pid
		}
	}
	if prev != 0 && m.msgs[prev].class > class {
		for _, msg := range m.msgs {
			if msg.pending && msg.chat == chat && msg.class > class {
				msg.class = class
			}
		}
	}
	m.msgs[id] = &modelMsg{chat: chat, due: due, class: class, pending: true}
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

// never is when a claimed message is ready again: claims do not expire.
var never = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

func (m *model) ready(id int64) time.Time {
	if msg := m.msgs[id]; !msg.claimed {
		return msg.due
	}
	return never
}

// claim returns what ClaimOutbox(now, owner, least, limit) must claim — the ready heads of
// class least or less urgent, most urgent then oldest first, in id order — and records the
// claims.
func (m *model) claim(now time.Time, least core.Class, limit int) []int64 {
	var ids []int64
	for _, id := range m.heads() {
		if !m.ready(id).After(now) && m.msgs[id].class >= least {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b int64) int {
		if c := cmp.Compare(m.msgs[a].class, m.msgs[b].class); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	if len(ids) > limit {
		ids = ids[:limit]
	}
	slices.Sort(ids)
	for _, id := range ids {
		m.msgs[id].claimed = true
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
// and NextOutboxAt against the model: one head per chat, in id order, due and not claimed,
// most urgent class first, classes lifted by the messages behind.
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
			class := core.Class(rng.IntN(5)) // 0: none, stored as team
			var id int64
			update(t, db, func(tx core.Tx) error {
				var err error
				id, err = tx.Enqueue(core.Outgoing{To: chat, Class: class}, due)
				return err
			})
			m.enqueue(id, chat, due, class)
		case op == 2:
			least := core.ClassReply
			if rng.IntN(3) == 0 {
				least = core.ClassBulk
			}
			limit := 1 + rng.IntN(3)
			want := m.claim(now, least, limit)
			var got []int64
			update(t, db, func(tx core.Tx) error {
				ms, err := tx.ClaimOutbox(now, "i1", least, limit)
				got = got[:0]
				for _, msg := range ms {
					got = append(got, msg.ID)
					if want := m.msgs[msg.ID].class; msg.Class != want {
						t.Errorf("step %d: claimed %d of class %v, want %v", step, msg.ID, msg.Class, want)
					}
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
				msg.due, msg.claimed = due, false
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
