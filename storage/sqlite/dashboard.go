package sqlite

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
	qPruneDashboardTokens = `DELETE FROM dashboard_tokens WHERE expires_at < ?`
	qCreateDashboardToken = `INSERT INTO dashboard_tokens (` + dashboardTokenCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
)

// CreateDashboardToken inserts tok (ECONFLICT when its hash exists) and forgets every token
// that expired before tok.CreatedAt: tokens live minutes or hours, so the table stays small
// without a job of its own.
func (t *tx) CreateDashboardToken(tok core.DashboardToken) error {
	if _, err := t.exec(qPruneDashboardTokens, msDue(tok.CreatedAt)); err != nil {
		return fmt.Errorf("storage: prune dashboard tokens: %w", err)
	}
	_, err := t.exec(qCreateDashboardToken, tok.Hash, tok.Kind, tok.Member, tok.Account.Platform, tok.Account.ID,
		msDue(tok.CreatedAt), msDue(tok.ExpiresAt), ms(tok.UsedAt))
	if isUnique(err) {
		return core.Errorf(core.ECONFLICT, "dashboard token exists")
	}
	if err != nil {
		return fmt.Errorf("storage: create dashboard token: %w", err)
	}
	return nil
}

const qDashboardToken = `SELECT ` + dashboardTokenCols + ` FROM dashboard_tokens WHERE hash = ?`

// DashboardToken returns the token with the hash (ENOTFOUND).
func (t *tx) DashboardToken(hash string) (core.DashboardToken, error) {
	tok, err := scanDashboardToken(t.queryRow(qDashboardToken, hash))
	if err != nil {
		return core.DashboardToken{}, notFound(err, "dashboard token", "no such dashboard token")
	}
	return tok, nil
}

const qUseDashboardToken = `UPDATE dashboard_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL`

// UseDashboardToken records that the token was used: ENOTFOUND when there is none,
// ECONFLICT when it was used before. The update itself checks, so one of two racing callers
// wins.
func (t *tx) UseDashboardToken(hash string, at time.Time) error {
	res, err := t.exec(qUseDashboardToken, msDue(at), hash)
	if err != nil {
		return fmt.Errorf("storage: use dashboard token: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("storage: use dashboard token: %w", err)
	} else if n == 1 {
		return nil
	}
	if _, err := t.DashboardToken(hash); err != nil {
		return err
	}
	return core.Errorf(core.ECONFLICT, "dashboard token used before")
}

const qDeleteDashboardToken = `DELETE FROM dashboard_tokens WHERE hash = ?`

// DeleteDashboardToken forgets the token; nothing happens when there is none.
func (t *tx) DeleteDashboardToken(hash string) error {
	if _, err := t.exec(qDeleteDashboardToken, hash); err != nil {
		return fmt.Errorf("storage: delete dashboard token: %w", err)
	}
	return nil
}
