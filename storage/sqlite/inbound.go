package sqlite

import (
	"fmt"
	"time"

	"earshot/core"
)

// qMarkInbound records an event id; only the platform, the id and the time are kept, never
// the event's text, so there is nothing here to erase.
const qMarkInbound = `INSERT INTO inbound (platform, event_id, at) VALUES (?, ?, ?)
	ON CONFLICT (platform, event_id) DO NOTHING`

// MarkInbound records the event; fresh is false when it was recorded before.
func (t *tx) MarkInbound(p core.Platform, eventID string, at time.Time) (fresh bool, err error) {
	res, err := t.exec(qMarkInbound, string(p), eventID, msDue(at))
	if err != nil {
		return false, fmt.Errorf("storage: mark inbound %s %s: %w", p, eventID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("storage: mark inbound: %w", err)
	}
	return n == 1, nil
}
