package main

import (
	"log/slog"

	"earshot/cmd/earshot/internal/config"
	"earshot/core"
)

// served is what serve builds from its configuration before it opens the database: the
// adapters with their webhook routes and the HTTP server.
type served struct {
	late     *lateHandler
	adapters []adapter
	hooks    []core.WebhookRoute
	web      *httpServer
}

// prepareServe makes every check serve makes before it starts, and builds what it needs,
// without a network call or the database. `config check` runs it too, so whatever serve
// would refuse, config check refuses first (TestConfigCheckAgreesWithServe).
func prepareServe(cfg *config.Config, log *slog.Logger) (served, error) {
	if _, err := cfg.Settings(); err != nil {
		return served{}, err
	}
	s := served{late: &lateHandler{}}
	var err error
	if s.adapters, s.hooks, err = buildAdapters(cfg, s.late, log); err != nil {
		return served{}, err
	}
	if s.web, err = newHTTP(cfg); err != nil {
		return served{}, err
	}
	return s, nil
}
