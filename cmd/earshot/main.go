// Command earshot runs the earshot service and its operator commands. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // the static image has no zoneinfo; business time zones must still load
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "earshot: "+cliMessage(err))
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a command line that cannot be run; it exits with status 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// errHelp is returned by a command whose flags asked for help (-h, --help): the usage was
// printed and the command succeeds without doing anything.
var errHelp = errors.New("help shown")

// command is one subcommand.
type command struct {
	name, args, help string
	run              func(ctx context.Context, e *env, args []string) error
}

// env is what a command runs with.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

func commandList() []command {
	return []command{
		{"serve", "", "run everything: enabled adapters, scheduler, outbox, HTTP API", cmdServe},
		{"demo", "[--db FILE] [--lang en|de]", "the whole lifecycle on the console adapter, printed as a transcript", cmdDemo},
		{"migrate", "[--from-sqlite FILE]", "bring the database schema up to date; --from-sqlite copies a SQLite database into an empty PostgreSQL one", cmdMigrate},
		{"config", "check", "validate the configuration", cmdConfig},
		{"touch", "--customer REF --stage STAGE [--ref R] [--at RFC3339]", "record a touchpoint; print the surveys it schedules", cmdTouch},
		{"invite", "--stage STAGE [--ref R] [--name N] [--customer NS:ID] [--uses many] [--expires T] [--qr FILE.png|.svg]", "print an invite token and each enabled platform's link (and write its QR code)", cmdInvite},
		{"complaints", "[--status open|acknowledged|resolved|closed|all] [--json]", "list complaints", cmdComplaints},
		{"digest", "[--week 2026-W47] [--send] [--json]", "print a week's digest; --send delivers it to the owners", cmdDigest},
		{"export", "--customer REF", "print all data held on a customer as JSON", cmdExport},
		{"erase", "--customer REF [--wait 1m]", "erase a customer's identity and free text; scores stay anonymous", cmdErase},
		{"answers", "--from DATE [--to DATE] [--format json|csv]", "stream every answer of a range (JSON lines or CSV)", cmdAnswers},
		{"backup", "FILE", "write a consistent copy of the database, also while serve runs", cmdBackup},
		{"health", "[--url URL]", "ask a running serve whether it is healthy (the container's HEALTHCHECK)", cmdHealth},
		{"version", "", "print the version, the commit it was built from and the Go version", cmdVersion},
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return usagef("no command given")
		}
		return nil
	}
	if args[0] == "--version" || args[0] == "-version" {
		return cmdVersion(ctx, e, nil)
	}
	for _, c := range commandList() {
		if c.name == args[0] {
			if err := c.run(ctx, e, args[1:]); !errors.Is(err, errHelp) {
				return err
			}
			return nil
		}
	}
	return usagef("unknown command %q (run earshot help)", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "earshot keeps every customer within earshot.\n\nUsage: earshot COMMAND [--config FILE] [flags]\n\nCommands:")
	for _, c := range commandList() {
		fmt.Fprintf(w, "  %-10s %s\n             %s\n", c.name, c.args, c.help)
	}
	fmt.Fprintln(w, "\nWithout --config the built-in defaults are used (SQLite earshot.db, no platforms).")
}

// oneLine joins a possibly multi-line error into one line for standard error.
func oneLine(err error) string {
	msg := err.Error()
	out := make([]rune, 0, len(msg))
	for _, r := range msg {
		if r == '\n' {
			out = append(out, ';', ' ')
			continue
		}
		out = append(out, r)
	}
	return string(out)
}
