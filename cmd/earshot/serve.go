package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs, path := flags("serve", e)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(ctx, *path)
	if err != nil {
		return err
	}
	prep, err := prepareServe(cfg, cfg.NewLogger(e.stderr))
	if err != nil {
		return err
	}
	late, adapters, hooks, web := prep.late, prep.adapters, prep.hooks, prep.web
	a, err := openWith(ctx, cfg, wiring{db: cfg.Storage.Path, logOut: e.stderr, messengers: messengers(adapters),
		observer: web.Observer()})
	if err != nil {
		return err
	}
	defer a.Close()
	// One serve per SQLite database: the lock tells it that claims of any other process are
	// orphans, which it sends at once (storage/sqlite/lock.go). Replicas on PostgreSQL share theirs.
	if err := lockDelivery(a.db); err != nil {
		return err
	}
	late.svc, late.db = a.svc, a.db
	a.adapters = adapters
	// A singleton adapter (Telegram polling, the Discord gateway) runs only on the replica
	// holding its lease; the others stand by, deliver its messages and serve webhooks.
	holder := leaseHolder()
	runs := make([]func(context.Context) error, len(adapters))
	for i, ad := range adapters {
		var lease *singleton
		runs[i], lease = runnerFor(ad, a.db, holder, a.log.With("platform", string(ad.Platform())), web.metrics.Lease)
		if lease != nil {
			a.leases = append(a.leases, lease)
		}
	}
	if err := web.Start(a, hooks); err != nil {
		return err
	}
	for _, n := range cfg.DisabledNotes() {
		a.log.Info(n)
	}
	for _, w := range cfg.Warnings() {
		a.log.Warn(w)
	}
	a.log.Info("earshot serving", "business", a.set.Business.Name, "database", storeName(cfg.Storage),
		"platforms", len(adapters))

	// The digest schedule: cron fires it in the business time zone; the digest itself is a
	// row of due work, so one missed while the service was down is queued at start.
	sched := digestSchedule(cfg)
	if _, err := a.svc.CatchUpDigests(ctx, sched); err != nil {
		return err
	}
	clog := cronLogger{a.log}
	c := cron.New(cron.WithLocation(a.set.Business.Location),
		cron.WithChain(cron.Recover(clog), cron.SkipIfStillRunning(clog)))
	c.Schedule(sched, cron.FuncJob(func() {
		if week, err := a.svc.CatchUpDigests(ctx, sched); err != nil {
			a.log.Error("digest schedule", "err", err)
		} else if week != "" {
			a.log.Info("digest queued", "week", week)
		}
	}))
	c.Start()

	// Shut down in order: stop taking events (adapters), finish in-flight work (the core's
	// loops finish the job or delivery at hand), then close the database (deferred).
	adCtx, stopAdapters := context.WithCancel(context.WithoutCancel(ctx))
	coreCtx, stopCore := context.WithCancel(context.WithoutCancel(ctx))
	var adWG, coreWG sync.WaitGroup
	for i, ad := range adapters {
		run := runs[i]
		adWG.Add(1)
		go func() {
			defer adWG.Done()
			if err := run(adCtx); err != nil && !errors.Is(err, context.Canceled) {
				a.log.Error("adapter stopped", "platform", ad.Platform(), "err", err)
			}
		}()
	}
	coreWG.Add(1)
	go func() {
		defer coreWG.Done()
		_ = a.svc.Run(coreCtx)
	}()
	coreWG.Go(func() { wakeOnChanges(coreCtx, a.db, a.svc) })
	// Compactions owed by an erase or a prune that could not finish (storage/sqlite/compact.go).
	coreWG.Go(func() {
		keepCompacted(coreCtx, a.db, func(err error) {
			a.log.Warn("compaction owed after an erase or prune; retrying", "err", err)
		})
	})

	<-ctx.Done()
	a.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := web.Shutdown(shutdownCtx); err != nil {
		a.log.Warn("http shutdown", "err", err)
	}
	stopAdapters()
	adWG.Wait()
	<-c.Stop().Done()
	stopCore()
	coreWG.Wait()
	a.log.Info("stopped")
	return nil
}

// compactPoll is how often serve looks for a compaction owed.
const compactPoll = 5 * time.Second

// cronLogger adapts slog to cron's logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
