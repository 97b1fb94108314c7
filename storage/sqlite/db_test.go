package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"earshot/core"
)

func TestMigrateFreshThenIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.wstmts.ready.Load() || db.rstmts.ready.Load() {
		t.Error("statements prepared before the schema exists")
	}
	n, err := db.Migrate(ctx)
	if !db.wstmts.ready.Load() || !db.rstmts.ready.Load() {
		t.Error("statements not prepared after Migrate")
	}
	if err != nil || n != SchemaVersion() || n < 1 {
		t.Fatalf("first Migrate = %d, %v; want %d", n, err, SchemaVersion())
	}
	n, err = db.Migrate(ctx)
	if err != nil || n != 0 {
		t.Fatalf("second Migrate = %d, %v; want 0", n, err)
	}
	var v int
	if err := db.writer.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != SchemaVersion() {
		t.Fatalf("user_version = %d, %v", v, err)
	}
	db.Close()
	// Reopening a current database prepares statements and needs no migration.
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if !db.wstmts.ready.Load() {
		t.Error("statements not prepared on reopen")
	}
	if n, err := db.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("Migrate after reopen = %d, %v", n, err)
	}
}

func TestMigrationsHaveHeaders(t *testing.T) {
	migs, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migs {
		first, _, _ := strings.Cut(m.sql, "\n")
		if !strings.HasPrefix(first, "-- why: ") || len(first) < 20 {
			t.Errorf("%s: header %q does not say why", m.name, first)
		}
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db, err := Open(ctx, path)
	if err == nil {
		db.Close()
		t.Fatal("Open accepted a newer schema")
	}
	if !strings.Contains(err.Error(), "newer than this binary knows") {
		t.Errorf("error %q does not say the schema is newer", err)
	}
}

func TestOpenRejectsURIs(t *testing.T) {
	for _, p := range []string{"", ":memory:", "file:x.db", "x.db?mode=ro"} {
		if db, err := Open(context.Background(), p); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

func TestPragmas(t *testing.T) {
	db := newDB(t)
	cases := []struct {
		pool   *sql.DB
		pragma string
		want   string
	}{
		{db.writer, "journal_mode", "wal"},
		{db.writer, "synchronous", "1"},
		{db.writer, "busy_timeout", "5000"},
		{db.writer, "foreign_keys", "1"},
		{db.writer, "secure_delete", "1"},
		{db.writer, "temp_store", "2"}, // memory
		{db.writer, "query_only", "0"},
		{db.reader, "query_only", "1"},
		{db.reader, "busy_timeout", "5000"},
	}
	for _, c := range cases {
		var got string
		if err := c.pool.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s = %s, want %s", c.pragma, got, c.want)
		}
	}
	if err := db.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	c := addContact(t, db, "42")
	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(ctx, dst); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if err := db.Backup(ctx, dst); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("second Backup to the same file = %v, want a refusal", err)
	}
	// Every reader connection is query-only again.
	conns := make([]*sql.Conn, db.reader.Stats().MaxOpenConnections)
	for i := range conns {
		var err error
		if conns[i], err = db.reader.Conn(ctx); err != nil {
			t.Fatal(err)
		}
		defer conns[i].Close()
		var q int
		if err := conns[i].QueryRowContext(ctx, "PRAGMA query_only").Scan(&q); err != nil || q != 1 {
			t.Errorf("reader %d after Backup: query_only = %d, %v", i, q, err)
		}
	}
	cp, err := Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if n, err := cp.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("copy Migrate = %d, %v; want an up-to-date schema", n, err)
	}
	view(t, cp, func(tx core.Tx) error {
		got, err := tx.ContactByRef(c.Ref)
		if err != nil || got.Name != c.Name {
			t.Errorf("copy: contact = %+v, %v", got, err)
		}
		return nil
	})
}

func TestConcurrentUpdatesAndViews(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	const writers, each = 16, 100
	var wg sync.WaitGroup
	errs := make(chan error, writers*each+8*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				err := db.Update(ctx, func(tx core.Tx) error {
					if _, err := tx.MarkInbound(core.Telegram, fmt.Sprintf("%d-%d", w, i), t0); err != nil {
						return err
					}
					return tx.SetState(fmt.Sprintf("k%d-%d", w, i), "v")
				})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	for range 8 {
		wg.Go(func() {
			for range each {
				err := db.View(ctx, func(tx core.Tx) error {
					_, _, err := tx.OutboxStats()
					if err != nil {
						return err
					}
					_, err = tx.State("k0-0")
					if core.IsNotFound(err) {
						err = nil
					}
					return err
				})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent transaction: %v", err)
	}
	var n int
	if err := db.reader.QueryRow("SELECT count(*) FROM state").Scan(&n); err != nil || n != writers*each {
		t.Fatalf("state rows = %d, %v; want %d", n, err, writers*each)
	}
}

func TestDatabaseFileIsCreated(t *testing.T) {
	db := newDB(t)
	if _, err := os.Stat(db.Path()); err != nil {
		t.Fatal(err)
	}
}
