package postgres

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"earshot/core"
	"earshot/storage/sqlite"
)

// TestCopyFromSQLite copies more rows than one batch, pending outbox messages (whose chat
// heads the triggers rebuild) and scores (whose hourly sums they rebuild), and checks the
// copy through the store's own methods.
func TestCopyFromSQLite(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "old.db")
	src, err := sqlite.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	chatA, chatB := core.ChatRef{Platform: core.Telegram, ID: "1"}, core.ChatRef{Platform: core.Slack, ID: "C1"}
	var runID int64
	err = src.Update(ctx, func(tx core.Tx) error {
		for i := range copyBatch + 10 {
			if _, err := tx.MarkInbound(core.Telegram, fmt.Sprint(i), t0); err != nil {
				return err
			}
		}
		c := core.Contact{Ref: core.UserRef{Platform: core.Telegram, ID: "1"}, Name: "Dana", Language: "de", CreatedAt: t0}
		if err := tx.CreateContact(&c); err != nil {
			return err
		}
		r := core.SurveyRun{ContactID: c.ID, Plan: "p", State: core.RunSent, DueAt: t0, SentAt: t0}
		if err := tx.CreateRun(&r); err != nil {
			return err
		}
		runID = r.ID
		for i, score := range []int{2, 5, 9} {
			a := core.Answer{RunID: r.ID, ContactID: c.ID, QuestionKey: "speed", Score: &score, AnsweredAt: t0.Add(time.Duration(i) * time.Hour)}
			if err := tx.AddAnswer(&a); err != nil {
				return err
			}
		}
		if err := tx.AddAnswer(&core.Answer{RunID: r.ID, ContactID: c.ID, QuestionKey: "note", Skipped: true, AnsweredAt: t0}); err != nil {
			return err
		}
		confirmed := true
		cp := core.Complaint{ContactID: c.ID, Status: core.StatusClosed, OpenedAt: t0, Confirmed: &confirmed, Reopened: 2}
		if err := tx.CreateComplaint(&cp); err != nil {
			return err
		}
		for _, to := range []core.ChatRef{chatA, chatA, chatB} {
			if _, err := tx.Enqueue(core.Outgoing{To: to, DM: to == chatA, Message: core.Message{Text: "hi"}}, t0); err != nil {
				return err
			}
		}
		_, err := tx.AddJob(&core.Job{Kind: core.JobDigest, Key: "digest:2026-W47", DueAt: t0})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := snapshot(t, src, runID)
	src.Close()

	raw, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	db := newDB(t)
	var progress bytes.Buffer
	if err := db.CopyFromSQLite(ctx, raw, &progress); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress.String(), fmt.Sprintf("inbound: %d of %d rows", copyBatch, copyBatch+10)) ||
		!strings.Contains(progress.String(), fmt.Sprintf("inbound: %d of %d rows", copyBatch+10, copyBatch+10)) {
		t.Errorf("progress does not show the batches:\n%s", progress.String())
	}
	if got := snapshot(t, db, runID); !reflect.DeepEqual(got, want) {
		t.Errorf("after the copy:\n%+v\nwant (as on SQLite)\n%+v", got, want)
	}
	err = db.Update(ctx, func(tx core.Tx) error {
		if fresh, err := tx.MarkInbound(core.Telegram, "7", t0); fresh || err != nil {
			t.Errorf("a copied event id is fresh again: %v, %v", fresh, err)
		}
		if added, err := tx.AddJob(&core.Job{Kind: core.JobDigest, Key: "digest:2026-W47", DueAt: t0}); added || err != nil {
			t.Errorf("a copied job key was added again: %v, %v", added, err)
		}
		ms, err := tx.ClaimOutbox(t0, "i1", 0, 10)
		if err != nil || len(ms) != 2 || ms[0].To != chatA || ms[1].To != chatB || !ms[0].DM {
			t.Errorf("claim after the copy = %+v, %v; want the heads of both chats", ms, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// snapshot is what a store says about the test's data.
func snapshot(t *testing.T, s core.Store, runID int64) string {
	t.Helper()
	var b strings.Builder
	err := s.View(context.Background(), func(tx core.Tx) error {
		stats, err := tx.ScoreStats(t0.Add(-time.Hour), t0.Add(24*time.Hour))
		fmt.Fprintln(&b, stats, err)
		answers, err := tx.Answers(runID, 0)
		fmt.Fprintln(&b, len(answers), answers[3].Skipped, err)
		cs, err := tx.Complaints(core.ComplaintFilter{})
		fmt.Fprintln(&b, cs[0].ID, *cs[0].Confirmed, cs[0].Reopened, err)
		n, oldest, err := tx.OutboxStats()
		fmt.Fprintln(&b, n, oldest, err)
		next, ok, err := tx.NextOutboxAt()
		fmt.Fprintln(&b, next, ok, err)
		sent, answered, err := tx.SurveyCounts(t0, t0.Add(time.Hour))
		fmt.Fprintln(&b, sent, answered, err)
		ct, err := tx.ContactByRef(core.UserRef{Platform: core.Telegram, ID: "1"})
		fmt.Fprintln(&b, ct.Name, ct.Language, err) // the language they chose is copied
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
