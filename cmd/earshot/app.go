package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"

	"earshot/bots/webhook"
	"earshot/cmd/earshot/internal/chart"
	"earshot/cmd/earshot/internal/config"
	"earshot/core"
	"earshot/storage/sqlite"
)

// app is the wired service a command works with.
type app struct {
	cfg *config.Config
	set core.Settings
	db  store
	svc *core.Service
	log *slog.Logger
	// adapters are the platform adapters this process has, for invite links.
	adapters []adapter
	// leases are serve's singleton adapters' leases (core.Singleton), for /healthz.
	leases []*singleton
}

// flags returns a flag set for a command with the --config flag every command takes.
func flags(name string, e *env) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("earshot "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	path := fs.String("config", "", "configuration `FILE` (default: built-in defaults)")
	return fs, path
}

// parse parses args and refuses stray positional arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// configEnv names the configuration file when --config is not given, for commands run
// inside the container (the image sets it), so its HEALTHCHECK can be just "earshot health".
const configEnv = "EARSHOT_CONFIG"

// loadConfig reads the file; without one, the file named by $EARSHOT_CONFIG (set in the
// container image), else the built-in defaults. Loading is bounded by the config package;
// ctx (cancelled by SIGINT/SIGTERM) is honoured while it runs, so a signal stops a command
// still reading its configuration.
func loadConfig(ctx context.Context, path string) (*config.Config, error) {
	if path == "" {
		path = os.Getenv(configEnv)
	}
	if path == "" {
		c := config.Default()
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("built-in configuration: %w", err)
		}
		return c, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("config: read %s: stopped: %w", path, err)
	}
	type loaded struct {
		cfg *config.Config
		err error
	}
	done := make(chan loaded, 1)
	go func() {
		c, err := config.Load(path)
		done <- loaded{c, err}
	}()
	select {
	case l := <-done:
		return l.cfg, l.err
	case <-ctx.Done():
		return nil, fmt.Errorf("config: read %s: stopped: %w", path, ctx.Err())
	}
}

// openApp loads the configuration, opens and migrates the database and builds the service.
// The caller closes it.
func openApp(ctx context.Context, path string, logOut io.Writer, messengers ...core.Messenger) (*app, error) {
	cfg, err := loadConfig(ctx, path)
	if err != nil {
		return nil, err
	}
	return openWith(ctx, cfg, wiring{db: cfg.Storage.Path, logOut: logOut, messengers: messengers})
}

// openReader is openApp for commands that only read: a missing database is an error that
// names the path, never a new empty database.
func openReader(ctx context.Context, path string, logOut io.Writer) (*app, error) {
	cfg, err := loadConfig(ctx, path)
	if err != nil {
		return nil, err
	}
	return openWith(ctx, cfg, wiring{db: cfg.Storage.Path, logOut: logOut, mustExist: true, readOnly: true})
}

// wiring is how openWith builds the app.
type wiring struct {
	db         string
	logOut     io.Writer
	log        *slog.Logger // overrides logOut
	clock      core.Clock
	messengers []core.Messenger
	workers    int
	observer   core.Observer
	// mustExist refuses to create the database: for commands that only read.
	mustExist bool
	// readOnly skips the writability check: a database the command cannot write is no
	// reason to refuse when it only reads.
	readOnly bool
}

// openWith is openApp with a configuration in hand.
func openWith(ctx context.Context, cfg *config.Config, w wiring) (*app, error) {
	set, err := cfg.Settings()
	if err != nil {
		return nil, err
	}
	log := w.log
	if log == nil {
		log = cfg.NewLogger(w.logOut)
	}
	if !w.readOnly && !cfg.Storage.Postgres() {
		if err := sqlite.Writable(w.db); err != nil {
			return nil, err
		}
	}
	if len(cfg.Webhooks) > 0 {
		hooks, err := webhook.New(webhook.Options{Endpoints: cfg.WebhookEndpoints(), Logger: log})
		if err != nil {
			return nil, err
		}
		w.messengers = append(slices.Clone(w.messengers), hooks)
	}
	db, err := openStore(ctx, cfg.Storage, w.db, w.mustExist)
	if err != nil {
		return nil, err
	}
	if !w.readOnly {
		if err := checkWritable(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
	}
	texts, err := cfg.Texts()
	if err != nil {
		db.Close()
		return nil, err
	}
	svc, err := core.NewService(core.Options{Texts: texts, Settings: set, Store: db, Clock: w.clock, Messengers: w.messengers,
		Logger: log, Workers: w.workers, Observer: w.observer,
		Charts: chart.Renderer{Labels: chart.LabelsFor(texts, texts.Default())}})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &app{cfg: cfg, set: set, db: db, svc: svc, log: log}, nil
}

func (a *app) Close() error { return a.db.Close() }

// openDB opens the database; with mustExist a missing file is an error saying where it was
// looked for and how the path is found.
func openDB(ctx context.Context, path string, mustExist bool) (*sqlite.DB, error) {
	if !mustExist {
		return sqlite.Open(ctx, path)
	}
	db, err := sqlite.OpenExisting(ctx, path)
	if errors.Is(err, sqlite.ErrNoDatabase) {
		return nil, fmt.Errorf("no database at %s: check storage.path (a relative path is taken from the "+
			"configuration file's directory) or --config; this command only reads and creates none", path)
	}
	return db, err
}
