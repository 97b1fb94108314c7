package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"earshot/cmd/earshot/internal/config"
	"earshot/core"
	"earshot/storage"
)

// app is the wired service a command works with.
type app struct {
	cfg *config.Config
	set core.Settings
	db  *storage.DB
	svc *core.Service
	log *slog.Logger
	// adapters are the platform adapters this process has, for invite links.
	adapters []adapter
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
// container image), else the built-in defaults.
func loadConfig(path string) (*config.Config, error) {
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
	return config.Load(path)
}

// openApp loads the configuration, opens and migrates the database and builds the service.
// The caller closes it.
func openApp(ctx context.Context, path string, logOut io.Writer, messengers ...core.Messenger) (*app, error) {
	cfg, err := loadConfig(path)
	if err != nil {
		return nil, err
	}
	return openWith(ctx, cfg, wiring{db: cfg.Storage.Path, logOut: logOut, messengers: messengers})
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
	db, err := storage.Open(ctx, w.db)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	svc, err := core.NewService(core.Options{Settings: set, Store: db, Clock: w.clock, Messengers: w.messengers,
		Logger: log, Workers: w.workers, Observer: w.observer, Lease: cfg.Delivery.Lease.Std()})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &app{cfg: cfg, set: set, db: db, svc: svc, log: log}, nil
}

func (a *app) Close() error { return a.db.Close() }
