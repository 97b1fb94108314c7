package main

import (
	"bufio"
	"context"
	"fmt"

	"earshot/core"
)

// cmdAnswers streams every answer of a range to standard output, as the API's
// GET /api/v1/answers does: JSON lines or spreadsheet-safe CSV, in constant memory.
func cmdAnswers(ctx context.Context, e *env, args []string) error {
	fs, path := flags("answers", e)
	from := fs.String("from", "", "first day (2026-11-01, in the business time zone) or an RFC 3339 time")
	to := fs.String("to", "", "the day after the last (exclusive); default: now")
	format := fs.String("format", "json", "json (one object a line) or csv")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != core.AnswersJSON && *format != core.AnswersCSV {
		return usagef("answers: --format %q: want json or csv", *format)
	}
	if *from == "" {
		return usagef("answers: --from is required (a date like 2026-11-01)")
	}
	a, err := openReader(ctx, *path, e.stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	f, t, err := a.svc.ParseRange(*from, *to)
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(e.stdout, 64<<10)
	n, err := a.svc.ExportAnswers(ctx, f, t, *format, out)
	if err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%d answers\n", n)
	return nil
}
