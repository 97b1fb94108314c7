package sqlite

import (
	"fmt"

	"earshot/core"
)

const qState = `SELECT value FROM state WHERE key = ?`

// State returns the value under key (ENOTFOUND if unset).
func (t *tx) State(key string) (string, error) {
	var v string
	if err := t.queryRow(qState, key).Scan(&v); err != nil {
		return "", notFound(err, "state", "state %q not set", key)
	}
	return v, nil
}

const qSetState = `INSERT INTO state (key, value) VALUES (?, ?)
	ON CONFLICT (key) DO UPDATE SET value = excluded.value`

// SetState stores value under key.
func (t *tx) SetState(key, value string) error {
	if _, err := t.exec(qSetState, key, value); err != nil {
		return fmt.Errorf("storage: set state %q: %w", key, err)
	}
	return nil
}

var _ core.StateStore = (*tx)(nil)
