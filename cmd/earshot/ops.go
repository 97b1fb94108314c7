package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"earshot/cmd/earshot/internal/config"
	"earshot/cmd/earshot/internal/httpapi"
	"earshot/core"
)

// customerPlatforms are the platforms a customer may be on: the enabled ones, and the
// console (the demo's and the tests' local adapter, which reaches nobody outside).
func customerPlatforms(cfg *config.Config) []core.Platform {
	return append(enabledPlatforms(cfg), core.Console)
}

func cmdConfig(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		return usagef("config: the only subcommand is check (earshot config check --config FILE)")
	}
	fs, path := flags("config check", e)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	cfg, err := loadConfig(ctx, *path)
	if err != nil {
		return err
	}
	if _, err := prepareServe(cfg, slog.New(slog.DiscardHandler)); err != nil {
		return err
	}
	for _, w := range cfg.Warnings() {
		fmt.Fprintln(e.stderr, "warning: "+w)
	}
	for _, n := range cfg.DisabledNotes() {
		fmt.Fprintln(e.stdout, n)
	}
	name := *path
	if name == "" {
		name = "built-in defaults"
	}
	fmt.Fprintf(e.stdout, "%s: OK\n", name)
	return nil
}

func cmdTouch(ctx context.Context, e *env, args []string) error {
	fs, path := flags("touch", e)
	customer := fs.String("customer", "", "the customer, PLATFORM:ID (telegram:123456789) or the business's own NAMESPACE:ID (shop:4711)")
	stage := fs.String("stage", "", "what happened: a stage some survey is triggered by (delivery)")
	ref := fs.String("ref", "", "a reference such as an order number")
	at := fs.String("at", "", "when it happened, RFC 3339 (default: now)")
	name := fs.String("name", "", "the customer's name, if known")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *customer == "" || *stage == "" {
		return usagef("touch: --customer and --stage are required")
	}
	if err := checkCustomer(*customer); err != nil {
		return err
	}
	var when time.Time
	var err error
	if *at != "" {
		if when, err = time.Parse(time.RFC3339, *at); err != nil {
			return fmt.Errorf("--at: %q is not an RFC 3339 time (like 2026-11-20T10:00:00Z)", *at)
		}
		if reason := httpapi.CheckOccurredAt(when, time.Now()); reason != "" {
			return fmt.Errorf("--at: %s", reason)
		}
	}
	a, err := openApp(ctx, *path, e.stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	who, err := parseCustomer(a, *customer)
	if err != nil {
		return err
	}
	res, err := a.svc.Touch(ctx, core.TouchRequest{Customer: who.Account, External: who.External, Stage: *stage,
		Ref: *ref, OccurredAt: when, Name: *name})
	if err != nil {
		return err
	}
	if !res.Created {
		fmt.Fprintln(e.stdout, "already recorded (same customer, stage and ref): nothing scheduled twice")
	}
	loc := a.set.Business.Location
	for _, s := range res.Surveys {
		if s.State == core.RunSkipped || s.State == core.RunWaiting {
			fmt.Fprintf(e.stdout, "%s: %s: %s\n", s.Plan, s.State, s.Reason)
			continue
		}
		fmt.Fprintf(e.stdout, "%s: %s, due %s\n", s.Plan, s.State, s.DueAt.In(loc).Format(time.RFC3339))
	}
	if len(res.Surveys) == 0 {
		fmt.Fprintln(e.stdout, "recorded; no survey is triggered by this stage")
	}
	return nil
}

func cmdComplaints(ctx context.Context, e *env, args []string) error {
	fs, path := flags("complaints", e)
	status := fs.String("status", "all", "open, acknowledged, resolved, closed or all")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := openReader(ctx, *path, e.stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	list, err := a.svc.Complaints(ctx, *status)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(e.stdout, "no complaints")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REF\tSTATUS\tCUSTOMER\tOPENED\tOWNER\tTEXT")
	loc := a.set.Business.Location
	for _, c := range list {
		owner := "-"
		if c.AcknowledgedBy != nil {
			owner = *c.AcknowledgedBy
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Ref, c.Status, c.Customer,
			c.OpenedAt.In(loc).Format("2006-01-02 15:04"), owner, short(c.Text, 50))
	}
	return tw.Flush()
}

func cmdDigest(ctx context.Context, e *env, args []string) error {
	fs, path := flags("digest", e)
	week := fs.String("week", "", "ISO week like 2026-W47 (default: the last full week)")
	send := fs.Bool("send", false, "also deliver it to the owners now")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(ctx, *path)
	if err != nil {
		return err
	}
	var ads []adapter
	if *send {
		if ads, err = cliAdapters(cfg, cfg.NewLogger(e.stderr)); err != nil {
			return err
		}
	}
	msgs, rec := recordSends(ads)
	// Printing a digest only reads: it never creates a database.
	a, err := openWith(ctx, cfg, wiring{db: cfg.Storage.Path, logOut: e.stderr, messengers: msgs, mustExist: !*send})
	if err != nil {
		return err
	}
	defer a.Close()
	w := a.svc.LastFullWeek()
	if *week != "" {
		if w, err = core.ParseWeek(*week); err != nil {
			return fmt.Errorf("--week: %w", err)
		}
	}
	var d core.Digest
	if *send {
		d, err = a.svc.SendDigest(ctx, w)
	} else {
		d, err = a.svc.Digest(ctx, w)
	}
	if err != nil {
		return err
	}
	m := a.svc.DigestMessage(d) // in the business's language; the JSON is language-neutral
	if *asJSON {
		if err := writeJSON(e.stdout, d); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "%s\n\n%s\n", m.Title, m.Text)
	}
	if !*send {
		return nil
	}
	rec.expect(a.svc.DigestTitles(d)...) // each owner gets it in their language
	if err := sendQueued(ctx, a, e, len(ads)); err != nil {
		return err
	}
	return reportDigest(e, a, rec.results())
}

func cmdExport(ctx context.Context, e *env, args []string) error {
	return withCustomer(ctx, e, "export", args, func(a *app, who core.CustomerRef) error {
		x, err := a.svc.ExportCustomer(ctx, who)
		if err != nil {
			return err
		}
		return writeJSON(e.stdout, x)
	})
}

// eraseWait is how long erase retries the compaction that drops old copies of the erased
// data, while readers (a backup, a long report, serve's queries) hold old snapshots.
const eraseWait = time.Minute

func cmdErase(ctx context.Context, e *env, args []string) error {
	fs, path := flags("erase", e)
	customer := fs.String("customer", "", "the customer, PLATFORM:ID or the business's own NAMESPACE:ID")
	wait := fs.Duration("wait", eraseWait, "how long to retry the compaction while readers hold old copies")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *customer == "" {
		return usagef("erase: --customer is required")
	}
	if err := checkCustomer(*customer); err != nil {
		return err
	}
	if *wait <= 0 {
		return usagef("erase: --wait must be positive")
	}
	a, err := openReader(ctx, *path, e.stderr) // erasing needs a database that exists
	if err != nil {
		return err
	}
	defer a.Close()
	who, err := a.svc.ParseCustomer(*customer)
	if err != nil {
		return fmt.Errorf("--customer: %w", err)
	}
	if err := checkWritable(ctx, a.db); err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, *wait)
	defer cancel()
	n, err := a.svc.EraseCustomer(wctx, who)
	if err != nil {
		if errors.Is(err, core.ErrNotCompacted) {
			return fmt.Errorf("after retrying for %s (--wait): %w", *wait, err)
		}
		return err
	}
	if who.External.IsZero() {
		fmt.Fprintf(e.stdout, "erased %s: identity and free text removed, scores kept anonymously\n", who)
	} else {
		fmt.Fprintf(e.stdout, "erased %s (%d linked account(s)): identity and free text removed, scores kept anonymously\n", who, n)
	}
	return nil
}

// withCustomer runs a command whose one flag is --customer REF on the opened app.
func withCustomer(ctx context.Context, e *env, name string, args []string, do func(*app, core.CustomerRef) error) error {
	fs, path := flags(name, e)
	customer := fs.String("customer", "", "the customer, PLATFORM:ID or the business's own NAMESPACE:ID")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *customer == "" {
		return usagef("%s: --customer is required", name)
	}
	if err := checkCustomer(*customer); err != nil {
		return err
	}
	a, err := openReader(ctx, *path, e.stderr) // export and erase need a database that exists
	if err != nil {
		return err
	}
	defer a.Close()
	who, err := a.svc.ParseCustomer(*customer)
	if err != nil {
		return fmt.Errorf("--customer: %w", err)
	}
	return do(a, who)
}

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs, path := flags("backup", e)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usageError{err.Error()}
	}
	if fs.NArg() == 0 {
		return usagef("backup: give the FILE to write")
	}
	file := fs.Arg(0)
	if file == "-h" || file == "--help" || file == "-help" {
		fs.Usage()
		return errHelp
	}
	if err := parse(fs, fs.Args()[1:]); err != nil { // flags may follow the file
		return err
	}
	cfg, err := loadConfig(ctx, *path)
	if err != nil {
		return err
	}
	if cfg.Storage.Postgres() {
		return fmt.Errorf("backup: the database is PostgreSQL: back it up with pg_dump")
	}
	db, err := openDB(ctx, cfg.Storage.Path, true)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, file); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s\n", file)
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func short(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
