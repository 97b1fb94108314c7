package postgres

import (
	"fmt"
	"time"

	"earshot/core"
)

const dashboardTokenCols = `hash, kind, member, platform, account_id, created_at, expires_at, used_at`

func scanDashboardToken(s scanner) (core.DashboardToken, error) {
	var tok core.DashboardToken
	err := s.Scan(&tok.Hash, &tok.Kind, &tok.Member, &tok.Account.Platform, &tok.Account.ID,
		timeOf(&tok.CreatedAt), timeOf(&tok.ExpiresAt), timeOf(&tok.UsedAt))
	return tok, err
}

const (
	qPruneDashboardTokens = `DELETE FROM dashboard_tokens WHERE expires_at < $1`
	qCreateDashboardToken = `INSERT INTO dashboard_tokens (` + dashboardTokenCols + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (hash) DO NOTHING`
)

// CreateDashboardToken inserts tok (ECONFLICT when its hash exists) and forgets every token
// that expired before tok.CreatedAt.
func (t *tx) CreateDashboardToken(tok core.DashboardToken) error {
	if _, err := t.exec(qPruneDashboardTokens, msDue(tok.CreatedAt)); err != nil {
		return fmt.Errorf("postgres: prune dashboard tokens: %w", err)
	}
	n, err := t.exec(qCreateDashboardToken, tok.Hash, string(tok.Kind), tok.Member, string(tok.Account.Platform),
		tok.Account.ID, msDue(tok.CreatedAt), msDue(tok.ExpiresAt), ms(tok.UsedAt))
	if err != nil {
		return fmt.Errorf("postgres: create dashboard token: %w", err)
	}
	if n == 0 {
		return core.Errorf(core.ECONFLICT, "dashboard token exists")
	}
	return nil
}

const qDashboardToken = `SELECT ` + dashboardTokenCols + ` FROM dashboard_tokens WHERE hash = $1`

// DashboardToken returns the token with the hash (ENOTFOUND).
func (t *tx) DashboardToken(hash string) (core.DashboardToken, error) {
	tok, err := scanDashboardToken(t.queryRow(qDashboardToken, hash))
	if err != nil {
		return core.DashboardToken{}, notFound(err, "dashboard token", "no such dashboard token")
	}
	return tok, nil
}

const qUseDashboardToken = `UPDATE dashboard_tokens SET used_at = $1 WHERE hash = $2 AND used_at IS NULL`

// UseDashboardToken records that the token was used: ENOTFOUND when there is none,
// ECONFLICT when it was used before. Of two replicas racing, the second waits for the
// first's transaction and is retried (SERIALIZABLE) to find it used.
func (t *tx) UseDashboardToken(hash string, at time.Time) error {
	n, err := t.exec(qUseDashboardToken, msDue(at), hash)
	if err != nil {
		return fmt.Errorf("postgres: use dashboard token: %w", err)
	}
	if n == 1 {
		return nil
	}
	if _, err := t.DashboardToken(hash); err != nil {
		return err
	}
	return core.Errorf(core.ECONFLICT, "dashboard token used before")
}

const qDeleteDashboardToken = `DELETE FROM dashboard_tokens WHERE hash = $1`

// DeleteDashboardToken forgets the token; nothing happens when there is none.
func (t *tx) DeleteDashboardToken(hash string) error {
	if _, err := t.exec(qDeleteDashboardToken, hash); err != nil {
		return fmt.Errorf("postgres: delete dashboard token: %w", err)
	}
	return nil
}
