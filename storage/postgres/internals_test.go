package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"earshot/core"
)

// qHeadsNaive derives each chat's head from the outbox itself, as the triggers should.
const qHeadsNaive = `SELECT platform, chat_id, id, greatest(due_at, coalesce(lease_until, 0)), class FROM outbox o
	WHERE state = 'pending' AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.state = 'pending'
		AND p.platform = o.platform AND p.chat_id = o.chat_id AND p.id < o.id)
	ORDER BY platform, chat_id`

const qHeadsKept = `SELECT platform, chat_id, head_id, ready_at, class FROM outbox_heads ORDER BY platform, chat_id`

// TestOutboxHeadsMatchOutbox runs random outbox operations and checks after each that the
// trigger-kept outbox_heads equals the heads derived from the outbox.
func TestOutboxHeadsMatchOutbox(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	chats := []core.ChatRef{
		{Platform: core.Telegram, ID: "1"}, {Platform: core.Telegram, ID: "2"},
		{Platform: core.Slack, ID: "1"}, {Platform: core.Discord, ID: "9"},
	}
	heads := func(q string) []string {
		rows, err := db.pool.Query(ctx, q)
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
	for step := range 300 {
		op := rng.IntN(6)
		var nextClaimed []int64
		mustUpdate(t, db, func(tx core.Tx) error {
			nextClaimed = nil
			switch {
			case op <= 1:
				due := now.Add(time.Duration(rng.IntN(5)-2) * time.Second)
				_, err := tx.Enqueue(core.Outgoing{To: chats[rng.IntN(len(chats))], Class: core.Class(rng.IntN(5))}, due)
				return err
			case op == 2:
				ms, err := tx.ClaimOutbox(now, "i1", 0, 1+rng.IntN(3))
				for _, m := range ms {
					nextClaimed = append(nextClaimed, m.ID)
				}
				return err
			case op == 3 && len(claimed) > 0:
				id := claimed[0]
				claimed = claimed[1:]
				var err error
				switch rng.IntN(3) {
				case 0:
					err = tx.MarkSent(id, "x", now)
				case 1:
					err = tx.RetryOutbox(id, now.Add(time.Duration(rng.IntN(4))*time.Second), "503")
				default:
					err = tx.MarkDead(id, "gone", now)
				}
				if core.IsNotFound(err) {
					return nil // claimed twice, finished and pruned meanwhile
				}
				return err
			case op == 4 && rng.IntN(8) == 0:
				return tx.RetargetOutbox(chats[rng.IntN(len(chats))], chats[rng.IntN(len(chats))])
			case op == 4 && rng.IntN(8) == 0: // another instance takes over i1's claims (i1 has no lease)
				_, err := tx.ReclaimOutbox("i2")
				claimed = nil
				return err
			case op == 5 && rng.IntN(10) == 0:
				_, err := tx.PruneOutbox(now.Add(time.Hour), now.Add(time.Hour), 5)
				return err
			default:
				now = now.Add(time.Duration(rng.IntN(1500)) * time.Millisecond)
			}
			return nil
		})
		claimed = append(claimed, nextClaimed...)
		if got, want := heads(qHeadsKept), heads(qHeadsNaive); !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d (op %d): outbox_heads\n%v\nwant\n%v", step, op, got, want)
		}
	}
	var n int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE state <> 'pending'`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("the random run finished %d messages (%v); it should exercise sends", n, err)
	}
}

// TestAnswersAreOnlyInserted: what score_hours relies on is enforced, as on SQLite.
func TestAnswersAreOnlyInserted(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	c := core.Contact{Ref: core.UserRef{Platform: core.Telegram, ID: "1"}}
	mustUpdate(t, db, func(tx core.Tx) error {
		if err := tx.CreateContact(&c); err != nil {
			return err
		}
		r := core.SurveyRun{ContactID: c.ID, Plan: "p", State: core.RunSent, DueAt: t0}
		if err := tx.CreateRun(&r); err != nil {
			return err
		}
		score := 4
		return tx.AddAnswer(&core.Answer{RunID: r.ID, ContactID: c.ID, QuestionKey: "k", Score: &score, Text: "fine", AnsweredAt: t0})
	})
	for _, q := range []string{
		`UPDATE answers SET score = score + 1`,
		`UPDATE answers SET answered_at = answered_at + 3600000`,
		`UPDATE answers SET question_key = 'other'`,
		`DELETE FROM answers`,
		`UPDATE contacts SET platform = 'slack'`, // score_slices sums by it
	} {
		if _, err := db.pool.Exec(ctx, q); err == nil {
			t.Errorf("%s: allowed", q)
		}
	}
	if _, err := db.pool.Exec(ctx, `UPDATE answers SET text = '', score = score`); err != nil {
		t.Errorf("emptying the text: %v", err)
	}
	var sum, count int
	if err := db.pool.QueryRow(ctx, `SELECT sum, count FROM score_hours`).Scan(&sum, &count); err != nil || sum != 4 || count != 1 {
		t.Errorf("score_hours = %d/%d, %v; want 4/1", sum, count, err)
	}
}

// TestUpdateRetriesAConflictSwallowedByFn: a statement that lost a conflict aborts the
// transaction, whatever fn does with its error; the whole fn runs again.
func TestUpdateRetriesAConflictSwallowedByFn(t *testing.T) {
	dbs := replicas(t, 2)
	ctx := context.Background()
	mustUpdate(t, dbs[0], func(tx core.Tx) error { return tx.SetState("k", "0") })
	runs := 0
	err := dbs[0].Update(ctx, func(tx core.Tx) error {
		runs++
		if _, err := tx.State("k"); err != nil {
			return err
		}
		if runs == 1 { // another replica changes k after this one read it
			mustUpdate(t, dbs[1], func(tx core.Tx) error { return tx.SetState("k", "other") })
		}
		_ = tx.SetState("k", "mine") // its error is dropped on purpose
		return nil
	})
	if err != nil || runs != 2 {
		t.Fatalf("Update = %v after %d runs; want nil after 2", err, runs)
	}
	err = dbs[1].View(ctx, func(tx core.Tx) error {
		if v, err := tx.State("k"); v != "mine" || err != nil {
			t.Errorf("k = %q, %v; want the retried write", v, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
