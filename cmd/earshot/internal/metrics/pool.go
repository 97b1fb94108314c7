package metrics

import "github.com/prometheus/client_golang/prometheus"

// PoolStats is a database connection pool's use at one moment.
type PoolStats struct {
	Max, Total, Acquired, Idle int
	// Waits counts, since start, the acquisitions that found no idle connection.
	Waits int64
	// Retries counts, since start, the transactions run again after a conflict.
	Retries int64
}

var (
	descPoolMax = prometheus.NewDesc("earshot_db_pool_max_connections",
		"Connections the database pool may open.", nil, nil)
	descPoolConns = prometheus.NewDesc("earshot_db_pool_connections",
		"Open database connections, by state: acquired (in use) or idle.", []string{"state"}, nil)
	descPoolWaits = prometheus.NewDesc("earshot_db_pool_waits_total",
		"Acquisitions of a database connection that found none idle and waited.", nil, nil)
	descRetries = prometheus.NewDesc("earshot_db_retries_total",
		"Transactions run again because they lost a conflict with another (another replica's too).", nil, nil)
)

// poolCollector reads the pool's use at each scrape.
type poolCollector struct{ stats func() PoolStats }

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descPoolMax
	ch <- descPoolConns
	ch <- descPoolWaits
	ch <- descRetries
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	ch <- prometheus.MustNewConstMetric(descPoolMax, prometheus.GaugeValue, float64(s.Max))
	ch <- prometheus.MustNewConstMetric(descPoolConns, prometheus.GaugeValue, float64(s.Acquired), "acquired")
	ch <- prometheus.MustNewConstMetric(descPoolConns, prometheus.GaugeValue, float64(s.Idle), "idle")
	ch <- prometheus.MustNewConstMetric(descPoolWaits, prometheus.CounterValue, float64(s.Waits))
	ch <- prometheus.MustNewConstMetric(descRetries, prometheus.CounterValue, float64(s.Retries))
}

// WatchPool registers the gauges of a database connection pool (PostgreSQL's):
// earshot_db_pool_max_connections, earshot_db_pool_connections{state} and
// earshot_db_pool_waits_total and earshot_db_retries_total, read from stats at each scrape.
func (m *Metrics) WatchPool(stats func() PoolStats) error {
	return m.reg.Register(poolCollector{stats})
}
