package postgres

import (
	"context"
	"fmt"
	"time"
)

// qAcquireLease takes the lease when nobody has it, when its holder let it expire, or
// renews it for its holder, in one statement: two replicas asking at once are serialised
// by the row, and the one that finds it held gets no row back. Expiry is measured by the
// database's clock.
const qAcquireLease = `INSERT INTO leases (name, holder, until)
	VALUES ($1, $2, clock_timestamp() + $3::bigint * interval '1 millisecond')
	ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
	WHERE leases.holder = excluded.holder OR leases.until < clock_timestamp()
	RETURNING holder`

// AcquireLease gives the lease name to holder for ttl when it is free, expired or already
// holder's, and reports whether holder has it now. It implements core.Leaser.
func (db *DB) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if name == "" || holder == "" || ttl <= 0 {
		return false, fmt.Errorf("postgres: acquire lease %q for %q: want a name, a holder and a positive ttl", name, holder)
	}
	var got string
	err := db.pool.QueryRow(ctx, qAcquireLease, name, holder, ttl.Milliseconds()).Scan(&got)
	if isNoRows(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("postgres: acquire lease %q: %w", name, err)
	}
	return true, nil
}

const qReleaseLease = `DELETE FROM leases WHERE name = $1 AND holder = $2`

// ReleaseLease gives the lease up if holder has it, so another replica may take it at once.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := db.pool.Exec(ctx, qReleaseLease, name, holder); err != nil {
		return fmt.Errorf("postgres: release lease %q: %w", name, err)
	}
	return nil
}
