package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5"
)

// copyTable is one table copied from SQLite, its columns in both databases' names.
type copyTable struct {
	name string
	cols []string
	// bools are the columns SQLite keeps as 0/1 and PostgreSQL as BOOLEAN.
	bools []string
	// identity is set for tables whose id continues from the copied rows.
	identity bool
}

// copyTables are the tables copied, parents before children. outbox_heads, score_hours and
// score_slices are not among them: the triggers rebuild them as the outbox and the answers
// arrive, in id order, so each chat's first pending message becomes its head.
var copyTables = []copyTable{
	{name: "contacts", identity: true, cols: []string{"id", "platform", "user_id", "name", "locale", "timezone",
		"seen_at", "created_at", "opted_out_at", "unreachable", "erased_at", "pending", "pending_text",
		"pending_run", "pending_at", "pending_complaint", "language"}},
	{name: "invites", cols: []string{"token", "stage", "ref", "name", "created_at", "used_at", "used_by",
		"customer_ns", "customer_id", "uses", "expires_at", "opens"}},
	{name: "customer_links", cols: []string{"namespace", "external_id", "contact_id", "linked_at"}},
	{name: "touchpoints", identity: true, cols: []string{"id", "contact_id", "stage", "ref", "occurred_at",
		"created_at", "key"}},
	{name: "waiting_touches", identity: true, cols: []string{"id", "namespace", "external_id", "stage", "ref",
		"occurred_at", "created_at", "key", "wait_until", "state", "reason", "touchpoint_id"}},
	{name: "survey_runs", identity: true, cols: []string{"id", "contact_id", "touchpoint_id", "plan", "state",
		"skip_reason", "due_at", "expires_at", "sent_at", "reminded_at", "finished_at", "question",
		"question_msg", "created_at", "questions"}},
	{name: "answers", identity: true, bools: []string{"skipped"}, cols: []string{"id", "run_id", "contact_id",
		"plan", "question_key", "score", "text", "skipped", "answered_at"}},
	{name: "complaints", identity: true, bools: []string{"confirmed"}, cols: []string{"id", "contact_id",
		"run_id", "status", "text", "opened_at", "ack_due", "resolve_due", "ack_at", "ack_by",
		"owner_platform", "owner_id", "resolved_at", "resolved_by", "resolution_note", "closed_at",
		"confirmed", "reopened", "card_msg"}},
	{name: "thread_messages", identity: true, bools: []string{"from_team"}, cols: []string{"id",
		"complaint_id", "author", "account_platform", "account_id", "from_team", "text", "at"}},
	{name: "breaches", identity: true, cols: []string{"id", "complaint_id", "kind", "deadline", "at"}},
	{name: "outbox", identity: true, bools: []string{"dm"}, cols: []string{"id", "platform", "chat_id", "dm",
		"payload", "edit_of", "thread_of", "contact_id", "state", "created_at", "due_at", "lease_until",
		"attempts", "last_error", "sent_at", "sent_id", "dead_at", "class", "claimed_by"}},
	{name: "jobs", identity: true, cols: []string{"id", "kind", "subject", "key", "due_at"}},
	{name: "job_keys", cols: []string{"key"}},
	{name: "inbound", cols: []string{"platform", "event_id", "at"}},
	{name: "state", cols: []string{"key", "value"}},
	{name: "dashboard_tokens", cols: []string{"hash", "kind", "member", "platform", "account_id",
		"created_at", "expires_at", "used_at"}},
}

// copyBatch is how many rows go to PostgreSQL in one COPY.
const copyBatch = 5000

// CopyFromSQLite copies every row of an earshot SQLite database, at this binary's schema
// version, into this database, which must have the current schema and no rows. It runs in
// one transaction, so a failure leaves the database empty; it reads src in one pass per
// table and writes batches of rows with COPY, saying how far it got on progress.
func (db *DB) CopyFromSQLite(ctx context.Context, src *sql.DB, progress io.Writer) error {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
	if err != nil {
		return fmt.Errorf("postgres: copy: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	for _, t := range copyTables {
		var any bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+t.name+`)`).Scan(&any); err != nil {
			return fmt.Errorf("postgres: copy: %w", err)
		}
		if any {
			return fmt.Errorf("postgres: copy: the target database is not empty (%s has rows): copy into a new database", t.name)
		}
	}
	for _, t := range copyTables {
		if err := copyOne(ctx, tx, src, t, progress); err != nil {
			return err
		}
	}
	if err := continueIdentities(ctx, tx, src); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: copy: commit: %w", err)
	}
	return nil
}

// copyOne copies one table in batches.
func copyOne(ctx context.Context, tx pgx.Tx, src *sql.DB, t copyTable, progress io.Writer) error {
	var total int
	if err := src.QueryRowContext(ctx, `SELECT count(*) FROM `+t.name).Scan(&total); err != nil {
		return fmt.Errorf("postgres: copy %s: count: %w", t.name, err)
	}
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(t.cols, ", ")+` FROM `+t.name+` ORDER BY 1`)
	if err != nil {
		return fmt.Errorf("postgres: copy %s: read: %w", t.name, err)
	}
	defer rows.Close()
	isBool := make([]bool, len(t.cols))
	for i, c := range t.cols {
		for _, b := range t.bools {
			isBool[i] = isBool[i] || b == c
		}
	}
	done := 0
	batch := make([][]any, 0, copyBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(batch)); err != nil {
			return fmt.Errorf("postgres: copy %s: write: %w", t.name, err)
		}
		done += len(batch)
		batch = batch[:0]
		fmt.Fprintf(progress, "%s: %d of %d rows\n", t.name, done, total)
		return nil
	}
	for rows.Next() {
		vals := make([]any, len(t.cols))
		ptrs := make([]any, len(t.cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("postgres: copy %s: read: %w", t.name, err)
		}
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				vals[i] = string(x)
			case int64:
				if isBool[i] {
					vals[i] = x != 0
				}
			}
		}
		batch = append(batch, vals)
		if len(batch) == copyBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: copy %s: read: %w", t.name, err)
	}
	if err := flush(); err != nil {
		return err
	}
	if total == 0 {
		fmt.Fprintf(progress, "%s: no rows\n", t.name)
	}
	return nil
}

// continueIdentities makes each table's next id follow the copied ones, and complaint
// numbers follow SQLite's sequence (which never hands a number out twice).
func continueIdentities(ctx context.Context, tx pgx.Tx, src *sql.DB) error {
	var complaintSeq int64
	err := src.QueryRowContext(ctx, `SELECT coalesce(max(seq), 1000) FROM sqlite_sequence WHERE name = 'complaints'`).Scan(&complaintSeq)
	if err != nil {
		return fmt.Errorf("postgres: copy: complaint numbers: %w", err)
	}
	for _, t := range copyTables {
		if !t.identity {
			continue
		}
		last := int64(0)
		if t.name == "complaints" {
			last = complaintSeq
		}
		var maxID int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM `+t.name).Scan(&maxID); err != nil {
			return fmt.Errorf("postgres: copy %s: continue ids: %w", t.name, err)
		}
		last = max(last, maxID)
		if last == 0 {
			continue // nothing copied: the identity starts where it always does
		}
		// The next id is last+1.
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), $2)`, t.name, last); err != nil {
			return fmt.Errorf("postgres: copy %s: continue ids: %w", t.name, err)
		}
	}
	return nil
}
