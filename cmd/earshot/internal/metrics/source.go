package metrics

import (
	"context"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"earshot/core"
)

var (
	descPending = prometheus.NewDesc("earshot_outbox_pending",
		"Outbox messages waiting to be sent (pending or being sent).", nil, nil)
	descOldest = prometheus.NewDesc("earshot_outbox_oldest_seconds",
		"Age of the oldest outbox message waiting to be sent; 0 when none waits.", nil, nil)
	descCircuit = prometheus.NewDesc("earshot_platform_circuit_open",
		"1 while sends to the platform are stopped because it refused the credentials.",
		[]string{"platform"}, nil)
	descScrapeError = prometheus.NewDesc("earshot_outbox_scrape_error",
		"1 when the outbox could not be read for this scrape.", nil, nil)
)

// scrapeTimeout bounds the outbox query one scrape makes.
const scrapeTimeout = 2 * time.Second

// sourceCollector reads the gauges from the service when scraped, so they are never stale.
type sourceCollector struct {
	src       Source
	platforms []core.Platform
}

func (c *sourceCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descPending
	ch <- descOldest
	ch <- descCircuit
	ch <- descScrapeError
}

func (c *sourceCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	pending, oldest, err := c.src.OutboxStats(ctx)
	failed := 0.0
	if err != nil {
		failed = 1
	} else {
		ch <- prometheus.MustNewConstMetric(descPending, prometheus.GaugeValue, float64(pending))
		ch <- prometheus.MustNewConstMetric(descOldest, prometheus.GaugeValue, oldest.Seconds())
	}
	ch <- prometheus.MustNewConstMetric(descScrapeError, prometheus.GaugeValue, failed)

	open := c.src.Health()
	platforms := slices.Clone(c.platforms)
	for p := range open {
		if !slices.Contains(platforms, p) {
			platforms = append(platforms, p)
		}
	}
	slices.Sort(platforms)
	for _, p := range platforms {
		v := 0.0
		if _, ok := open[p]; ok {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(descCircuit, prometheus.GaugeValue, v, string(p))
	}
}
