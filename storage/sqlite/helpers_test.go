package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"earshot/core"
)

// t0 is a fixed instant with a millisecond part, so precision bugs show.
var t0 = time.Date(2026, 11, 20, 10, 0, 0, 123_000_000, time.UTC)

// newDB opens a migrated database in a fresh file.
func newDB(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "earshot.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return db
}

// update runs fn in a write transaction and fails the test on error.
func update(t testing.TB, db *DB, fn func(core.Tx) error) {
	t.Helper()
	if err := db.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// view runs fn in a read transaction and fails the test on error.
func view(t testing.TB, db *DB, fn func(core.Tx) error) {
	t.Helper()
	if err := db.View(context.Background(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// addContact creates a contact with the given platform id.
func addContact(t testing.TB, db *DB, id string) core.Contact {
	t.Helper()
	c := core.Contact{Ref: core.UserRef{Platform: core.Telegram, ID: id}, Name: "Dana " + id, CreatedAt: t0}
	update(t, db, func(tx core.Tx) error { return tx.CreateContact(&c) })
	return c
}

// addRun creates a sent survey run for the contact.
func addRun(t testing.TB, db *DB, contactID int64, sent time.Time) core.SurveyRun {
	t.Helper()
	r := core.SurveyRun{ContactID: contactID, Plan: "after-delivery", State: core.RunSent, DueAt: sent, SentAt: sent, CreatedAt: sent}
	update(t, db, func(tx core.Tx) error { return tx.CreateRun(&r) })
	return r
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := core.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

func ptr[T any](v T) *T { return &v }
