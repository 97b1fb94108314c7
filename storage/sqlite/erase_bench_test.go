package sqlite

import (
	"context"
	"fmt"
	"testing"

	"earshot/core"
)

// BenchmarkEraseLargeOutbox erases one customer (a complaint, a few DMs) from a database
// whose outbox holds 200,000 delivered DMs to 5,000 other customers: the erase must find
// their rows through indexes (by contact id and by address), not by scanning the outbox
// while it holds the writer. Run with -benchtime=20x: each call sets up a customer untimed.
func BenchmarkEraseLargeOutbox(b *testing.B) {
	db := newDB(b)
	const rows, perTx, people = 200_000, 5000, 5000
	update(b, db, func(tx core.Tx) error {
		for n := range people {
			c := core.Contact{Ref: core.UserRef{Platform: core.Telegram, ID: fmt.Sprint(100000 + n)}, CreatedAt: t0}
			if err := tx.CreateContact(&c); err != nil {
				return err
			}
		}
		return nil
	})
	for i := 0; i < rows; i += perTx {
		update(b, db, func(tx core.Tx) error {
			for j := range perTx {
				n := i + j
				id, err := tx.Enqueue(core.Outgoing{To: core.ChatRef{Platform: core.Telegram, ID: fmt.Sprint(100000 + n%people)},
					DM: true, ContactID: int64(1 + n%people),
					Message: core.Message{Text: fmt.Sprintf("1/3 · How courteous were we? (survey %d)", n)}}, t0)
				if err != nil {
					return err
				}
				if err := tx.MarkSent(id, fmt.Sprintf("%d/%d", 100000+n%people, n), t0); err != nil {
					return err
				}
			}
			return nil
		})
	}
	ctx := context.Background()
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		c := addContact(b, db, fmt.Sprint(900000+i))
		update(b, db, func(tx core.Tx) error {
			cp := core.Complaint{ContactID: c.ID, Status: core.StatusOpen, Text: fmt.Sprintf("the bell %d arrived cracked and late", i), OpenedAt: t0}
			if err := tx.CreateComplaint(&cp); err != nil {
				return err
			}
			for range 5 {
				if _, err := tx.Enqueue(core.Outgoing{To: core.ChatRef(c.Ref), DM: true, ContactID: c.ID,
					Message: core.Message{Text: "Hi " + c.Name}}, t0); err != nil {
					return err
				}
			}
			return nil
		})
		b.StartTimer()
		if err := db.Update(ctx, func(tx core.Tx) error { return tx.EraseContact(c.ID, t0) }); err != nil {
			b.Fatal(err)
		}
	}
}
