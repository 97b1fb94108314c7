package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"earshot/core"
	"earshot/storage/pgtest"
	"earshot/storage/postgres"
)

// TestMain gives the tests that ask for one a real PostgreSQL (pgtest starts it on first use).
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestMigrateFromSQLite copies the demo's database into PostgreSQL and compares what the
// operator commands print on both; then a second copy is refused, and the copy goes on
// numbering complaints after SQLite's.
func TestMigrateFromSQLite(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "demo.db")
	if err := runDemo(ctx, io.Discard, file); err != nil {
		t.Fatal(err)
	}
	url := pgtest.Database(t)
	sqliteCfg := writeConfig(t, string(demoConfig)+"storage: {path: "+file+"}\n")
	pgCfg := writeConfig(t, string(demoConfig)+"storage: {driver: postgres, url: '"+url+"'}\n")

	out, progress, err := runCLI(t, "migrate", "--config", pgCfg, "--from-sqlite", file)
	if err != nil {
		t.Fatalf("migrate --from-sqlite: %v\n%s", err, progress)
	}
	for _, want := range []string{"complaints: 1 of 1 rows", "answers: ", "outbox: ", "job_keys: "} {
		if !strings.Contains(progress, want) {
			t.Errorf("progress lacks %q:\n%s", want, progress)
		}
	}
	if strings.Contains(progress+out, url) {
		t.Errorf("the whole URL (and any password in it) is printed:\n%s%s", progress, out)
	}
	t.Logf("progress:\n%s", progress)
	for _, args := range [][]string{
		{"complaints", "--status", "all", "--json"},
		{"digest", "--week", "2026-W47", "--json"},
		{"export", "--customer", "console:maria"},
	} {
		onSQLite, _, err1 := runCLI(t, append(args, "--config", sqliteCfg)...)
		onPostgres, _, err2 := runCLI(t, append(args, "--config", pgCfg)...)
		if err1 != nil || err2 != nil {
			t.Fatalf("%v: %v / %v", args, err1, err2)
		}
		if len(onSQLite) < 50 || args[0] == "complaints" && !strings.Contains(onSQLite, "C-1001") {
			t.Fatalf("%v on SQLite printed too little:\n%s", args, onSQLite)
		}
		if onSQLite != onPostgres {
			t.Errorf("%v differs\non SQLite:\n%s\non PostgreSQL:\n%s", args, onSQLite, onPostgres)
		}
	}

	if _, _, err := runCLI(t, "migrate", "--config", pgCfg, "--from-sqlite", file); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("a second copy into the same database: %v, want a refusal", err)
	}
	if _, _, err := runCLI(t, "migrate", "--config", sqliteCfg, "--from-sqlite", file); err == nil || !strings.Contains(err.Error(), "must be postgres") {
		t.Fatalf("a copy with a SQLite target: %v, want a refusal", err)
	}

	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(ctx, func(tx core.Tx) error {
		c, err := tx.ContactByRef(core.UserRef{Platform: "console", ID: "maria"})
		if err != nil {
			return err
		}
		cp := core.Complaint{ContactID: c.ID, Status: core.StatusOpen, OpenedAt: c.CreatedAt}
		if err := tx.CreateComplaint(&cp); err != nil {
			return err
		}
		if cp.Ref() != "C-1002" {
			t.Errorf("the next complaint after the copy is %s, want C-1002", cp.Ref())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestServeOpensPostgres(t *testing.T) {
	url := pgtest.Database(t)
	cfg := writeConfig(t, "storage: {driver: postgres, url: '"+url+"'}\n")
	out, _, err := runCLI(t, "migrate", "--config", cfg)
	if err != nil || !strings.Contains(out, "schema version") || strings.Contains(out, url) {
		t.Fatalf("migrate on PostgreSQL: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, "complaints", "--config", cfg, "--json")
	if err != nil || strings.TrimSpace(out) != "[]" {
		t.Fatalf("complaints on an empty PostgreSQL: %v %q", err, out)
	}
	if _, _, err := runCLI(t, "backup", filepath.Join(t.TempDir(), "b.db"), "--config", cfg); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("backup of PostgreSQL: %v, want a pointer to pg_dump", err)
	}
}
