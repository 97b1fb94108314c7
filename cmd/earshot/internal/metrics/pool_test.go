package metrics

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestWatchPool(t *testing.T) {
	m := New()
	s := PoolStats{Max: 8, Total: 3, Acquired: 2, Idle: 1, Waits: 5, Retries: 7}
	if err := m.WatchPool(func() PoolStats { return s }); err != nil {
		t.Fatal(err)
	}
	want := `
# HELP earshot_db_pool_connections Open database connections, by state: acquired (in use) or idle.
# TYPE earshot_db_pool_connections gauge
earshot_db_pool_connections{state="acquired"} 2
earshot_db_pool_connections{state="idle"} 1
# HELP earshot_db_pool_max_connections Connections the database pool may open.
# TYPE earshot_db_pool_max_connections gauge
earshot_db_pool_max_connections 8
# HELP earshot_db_pool_waits_total Acquisitions of a database connection that found none idle and waited.
# TYPE earshot_db_pool_waits_total counter
earshot_db_pool_waits_total 5
# HELP earshot_db_retries_total Transactions run again because they lost a conflict with another (another replica's too).
# TYPE earshot_db_retries_total counter
earshot_db_retries_total 7
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want),
		"earshot_db_pool_connections", "earshot_db_pool_max_connections", "earshot_db_pool_waits_total",
		"earshot_db_retries_total"); err != nil {
		t.Fatal(err)
	}
}
