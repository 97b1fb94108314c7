package sqlite

import (
	"context"
	"testing"

	"earshot/core"
)

// An upgrade keeps the conversation where it was: a contact in a live survey is answering
// its question (even if an old offer was pending), one whose complaint was resolved is asked
// whether it is solved, and any other prompt stays.
func TestPromptsMigrationKeepsTheConversation(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir()+"/old.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	migs, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for {
		done, err := db.migrateOne(ctx, migs[:6]) // every migration before the prompts
		if err != nil {
			t.Fatal(err)
		}
		if done {
			break
		}
	}
	for _, q := range []string{
		`INSERT INTO contacts (id, platform, user_id, pending, pending_text, pending_at) VALUES
			(1, 'telegram', 'a', 'file_offer', 'hi there', 1000),
			(2, 'telegram', 'b', '', '', NULL),
			(3, 'telegram', 'c', 'forget', '', 3000)`,
		`INSERT INTO survey_runs (id, contact_id, plan, state, due_at, sent_at, question) VALUES
			(7, 1, 'p', 'in_progress', 500, 600, 1), (8, 3, 'p', 'sent', 500, 600, 0)`,
		`INSERT INTO complaints (id, contact_id, status, opened_at, resolved_at) VALUES (1001, 2, 'resolved', 100, 2000)`,
	} {
		if _, err := db.writer.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[int64]core.Contact{
		1: {Pending: core.PendingSurvey, PendingRun: 7},
		2: {Pending: core.PendingSolved, PendingComplaint: 1001},
		3: {Pending: core.PendingForget},
	}
	view(t, db, func(tx core.Tx) error {
		for id, w := range want {
			c, err := tx.Contact(id)
			if err != nil {
				return err
			}
			if c.Pending != w.Pending || c.PendingRun != w.PendingRun || c.PendingComplaint != w.PendingComplaint ||
				(w.Pending != core.PendingForget && c.PendingText != "") {
				t.Errorf("contact %d: prompt %s run %d complaint %d text %q; want %s run %d complaint %d",
					id, c.Pending, c.PendingRun, c.PendingComplaint, c.PendingText, w.Pending, w.PendingRun, w.PendingComplaint)
			}
		}
		return nil
	})
}
