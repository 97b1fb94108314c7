package sqlite

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"earshot/core"
)

// qHeadsNaive derives each chat's head from the outbox itself, as the triggers should.
const qHeadsNaive = `SELECT platform, chat_id, id, max(due_at, coalesce(lease_until, 0)), class FROM outbox o
	WHERE state = 'pending' AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.state = 'pending'
		AND p.platform = o.platform AND p.chat_id = o.chat_id AND p.id < o.id)
	ORDER BY platform, chat_id`

const qHeadsKept = `SELECT platform, chat_id, head_id, ready_at, class FROM outbox_heads ORDER BY platform, chat_id`

// TestOutboxHeadsMatchOutbox runs random outbox operations and checks after each that the
// trigger-kept outbox_heads equals the heads derived from the outbox.
func TestOutboxHeadsMatchOutbox(t *testing.T) {
	db := newDB(t)
	if err := db.Lock(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	chats := []core.ChatRef{
		{Platform: core.Telegram, ID: "1"}, {Platform: core.Telegram, ID: "2"},
		{Platform: core.Slack, ID: "1"}, {Platform: core.Discord, ID: "9"},
	}
	heads := func(q string) []string {
		rows, err := db.reader.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var p, c string
			var id, ready, class int64
			if err := rows.Scan(&p, &c, &id, &ready, &class); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s:%s head %d ready %d class %d", p, c, id, ready, class))
		}
		return out
	}
	now := t0
	var claimed []int64
	for step := range 600 {
		op := rng.IntN(6)
		update(t, db, func(tx core.Tx) error {
			switch {
			case op <= 1:
				due := now.Add(time.Duration(rng.IntN(5)-2) * time.Second)
				_, err := tx.Enqueue(core.Outgoing{To: chats[rng.IntN(len(chats))], Class: core.Class(rng.IntN(5))}, due)
				return err
			case op == 2:
				ms, err := tx.ClaimOutbox(now, "i1", 0, 1+rng.IntN(3))
				for _, m := range ms {
					claimed = append(claimed, m.ID)
				}
				return err
			case op == 3 && len(claimed) > 0:
				i := rng.IntN(len(claimed))
				id := claimed[i]
				claimed = append(claimed[:i], claimed[i+1:]...)
				switch rng.IntN(3) {
				case 0:
					return tx.MarkSent(id, "x", now)
				case 1:
					return tx.RetryOutbox(id, now.Add(time.Duration(rng.IntN(4))*time.Second), "503")
				default:
					return tx.MarkDead(id, "gone", now)
				}
			case op == 4 && rng.IntN(8) == 0:
				return tx.RetargetOutbox(chats[rng.IntN(len(chats))], chats[rng.IntN(len(chats))])
			case op == 4 && rng.IntN(8) == 0: // a restart: a new instance takes over i1's claims
				n, err := tx.ReclaimOutbox("i2")
				if n != len(claimed) {
					t.Errorf("reclaimed %d; %d were claimed", n, len(claimed))
				}
				claimed = nil
				return err
			default:
				now = now.Add(time.Duration(rng.IntN(1500)) * time.Millisecond)
			}
			return nil
		})
		if got, want := heads(qHeadsKept), heads(qHeadsNaive); !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d (op %d): outbox_heads\n%v\nwant\n%v", step, op, got, want)
		}
	}
	var n int
	if err := db.reader.QueryRow(`SELECT count(*) FROM outbox WHERE state <> 'pending'`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("the random run finished %d messages (%v); it should exercise sends", n, err)
	}
}
