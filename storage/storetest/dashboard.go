package storetest

import (
	"context"
	"testing"
	"time"

	"earshot/core"
)

func testDashboardTokens(t *testing.T, db core.Store) {
	owner := core.UserRef{Platform: core.Slack, ID: "U1"}
	link := core.DashboardToken{Hash: "h-link", Kind: core.TokenLink, Member: "Dana", Account: owner,
		CreatedAt: t0, ExpiresAt: t0.Add(15 * time.Minute)}
	update(t, db, func(tx core.Tx) error { return tx.CreateDashboardToken(link) })
	err := db.Update(context.Background(), func(tx core.Tx) error { return tx.CreateDashboardToken(link) })
	if core.ErrorCode(err) != core.ECONFLICT {
		t.Errorf("the same hash twice: %v, want ECONFLICT", err)
	}
	view(t, db, func(tx core.Tx) error {
		got, err := tx.DashboardToken("h-link")
		if err != nil || got != link {
			t.Errorf("DashboardToken = %+v, %v; want %+v", got, err, link)
		}
		if _, err := tx.DashboardToken("h-other"); !core.IsNotFound(err) {
			t.Errorf("unknown hash: %v, want ENOTFOUND", err)
		}
		return nil
	})

	used := t0.Add(time.Minute)
	update(t, db, func(tx core.Tx) error { return tx.UseDashboardToken("h-link", used) })
	for hash, code := range map[string]string{"h-link": core.ECONFLICT, "h-other": core.ENOTFOUND} {
		err := db.Update(context.Background(), func(tx core.Tx) error { return tx.UseDashboardToken(hash, used) })
		if core.ErrorCode(err) != code {
			t.Errorf("UseDashboardToken(%s) = %v, want %s", hash, err, code)
		}
	}
	view(t, db, func(tx core.Tx) error {
		if got, _ := tx.DashboardToken("h-link"); !got.UsedAt.Equal(used) {
			t.Errorf("UsedAt = %v, want %v", got.UsedAt, used)
		}
		return nil
	})

	// A token created after another expired forgets it; an unexpired one stays.
	session := core.DashboardToken{Hash: "h-session", Kind: core.TokenSession, Member: "Dana", Account: owner,
		CreatedAt: t0.Add(20 * time.Minute), ExpiresAt: t0.Add(12 * time.Hour)}
	update(t, db, func(tx core.Tx) error { return tx.CreateDashboardToken(session) })
	view(t, db, func(tx core.Tx) error {
		if _, err := tx.DashboardToken("h-link"); !core.IsNotFound(err) {
			t.Errorf("the expired link is still stored: %v", err)
		}
		if _, err := tx.DashboardToken("h-session"); err != nil {
			t.Errorf("the session is gone: %v", err)
		}
		return nil
	})
	update(t, db, func(tx core.Tx) error { return tx.DeleteDashboardToken("h-session") })
	update(t, db, func(tx core.Tx) error { return tx.DeleteDashboardToken("h-session") }) // twice is fine
	view(t, db, func(tx core.Tx) error {
		if _, err := tx.DashboardToken("h-session"); !core.IsNotFound(err) {
			t.Errorf("the deleted session is still stored: %v", err)
		}
		return nil
	})
}
