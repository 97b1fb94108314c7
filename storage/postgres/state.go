package postgres

import (
	"fmt"
	"time"

	"earshot/core"
)

const qState = `SELECT value FROM state WHERE key = $1`

// State returns the value under key (ENOTFOUND if unset).
func (t *tx) State(key string) (string, error) {
	var v string
	if err := t.queryRow(qState, key).Scan(&v); err != nil {
		return "", notFound(err, "state", "state %q not set", key)
	}
	return v, nil
}

const qSetState = `INSERT INTO state (key, value) VALUES ($1, $2)
	ON CONFLICT (key) DO UPDATE SET value = excluded.value`

// SetState stores value under key.
func (t *tx) SetState(key, value string) error {
	if _, err := t.exec(qSetState, key, value); err != nil {
		return fmt.Errorf("postgres: set state %q: %w", key, err)
	}
	return nil
}

// qMarkInbound records an event id; only the platform, the id and the time are kept, never
// the event's text, so there is nothing here to erase.
const qMarkInbound = `INSERT INTO inbound (platform, event_id, at) VALUES ($1, $2, $3)
	ON CONFLICT (platform, event_id) DO NOTHING`

// MarkInbound records the event; fresh is false when it was recorded before. Two replicas
// given the same event at once: the second insert waits for the first transaction, and
// finds the event if it committed (or is retried, under SERIALIZABLE).
func (t *tx) MarkInbound(p core.Platform, eventID string, at time.Time) (fresh bool, err error) {
	n, err := t.exec(qMarkInbound, string(p), eventID, msDue(at))
	if err != nil {
		return false, fmt.Errorf("postgres: mark inbound %s %s: %w", p, eventID, err)
	}
	return n == 1, nil
}
