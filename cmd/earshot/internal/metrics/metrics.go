// Package metrics owns earshot's Prometheus metrics: it implements core.Observer (inbound
// events, deliveries, due-work lag), samples the outbox and the platforms' circuits when
// scraped, and serves them from a private registry, so nothing else in the process can add
// to or collide with them.
package metrics

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"earshot/core"
)

// Metrics is the service's metrics. Create it with New; it is safe for concurrent use.
type Metrics struct {
	reg         *prometheus.Registry
	build       *prometheus.GaugeVec
	inbound     *prometheus.CounterVec
	inboundSec  *prometheus.HistogramVec
	deliveries  *prometheus.CounterVec
	deliverySec *prometheus.HistogramVec
	jobLag      *prometheus.HistogramVec
	leases      *prometheus.GaugeVec
}

var _ core.Observer = (*Metrics)(nil)

// New returns metrics registered on a fresh registry, with the Go runtime and process
// collectors beside earshot's own.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		build: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "earshot_build_info",
			Help: "Always 1; the labels say which build is running.",
		}, []string{"version", "revision", "goversion"}),
		inbound: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "earshot_inbound_events_total",
			Help: "Platform events handled, by platform and outcome (handled, duplicate, failed).",
		}, []string{"platform", "outcome"}),
		inboundSec: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "earshot_inbound_duration_seconds",
			Help:    "How long the core took to handle one platform event.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"platform"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "earshot_deliveries_total",
			Help: "Outbox delivery attempts, by platform and outcome (sent, retry, rate_limited, dead, held).",
		}, []string{"platform", "outcome"}),
		deliverySec: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "earshot_delivery_duration_seconds",
			Help:    "How long one platform send took (attempts that made a call only).",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"platform"}),
		jobLag: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "earshot_due_work_lag_seconds",
			Help:    "How late due work (surveys, reminders, deadlines, digests) ran after it fell due, by kind. Work due before it was created (a back-dated touchpoint) counts from its creation.",
			Buckets: []float64{.01, .05, .1, .25, .5, 1, 2, 5, 10, 30, 60, 300, 3600},
		}, []string{"kind"}),
	}
	m.leases = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "earshot_lease_held",
		Help: "1 while this replica holds the named lease (a singleton connection such as Telegram long polling), else 0.",
	}, []string{"name"})
	m.reg.MustRegister(m.build, m.leases, m.inbound, m.inboundSec, m.deliveries, m.deliverySec, m.jobLag,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Inbound event and delivery outcomes, and the kinds of due work: each series exists at 0
// from the start (Init), so a rate() or an alert on it works before the first event.
var (
	inboundOutcomes  = []string{"handled", "duplicate", "failed"}
	deliveryOutcomes = []string{"sent", "retry", "rate_limited", "dead", "held"}
	jobKinds         = []core.JobKind{core.JobSurveySend, core.JobSurveyRemind, core.JobSurveyExpire, core.JobAckWarn,
		core.JobAckBreach, core.JobResolveWarn, core.JobResolveBreach, core.JobAutoClose, core.JobDigest, core.JobPrune}
)

// Init creates every series of the enabled platforms at 0 and sets earshot_build_info.
// Call it once, at start.
func (m *Metrics) Init(platforms []core.Platform, version, revision, goVersion string) {
	m.build.WithLabelValues(version, revision, goVersion).Set(1)
	for _, p := range platforms {
		for _, o := range inboundOutcomes {
			m.inbound.WithLabelValues(string(p), o)
		}
		for _, o := range deliveryOutcomes {
			m.deliveries.WithLabelValues(string(p), o)
		}
		m.inboundSec.WithLabelValues(string(p))
		m.deliverySec.WithLabelValues(string(p))
	}
	for _, k := range jobKinds {
		m.jobLag.WithLabelValues(string(k))
	}
}

// Inbound implements core.Observer.
func (m *Metrics) Inbound(p core.Platform, duplicate, failed bool, took time.Duration) {
	result := "handled"
	switch {
	case failed:
		result = "failed"
	case duplicate:
		result = "duplicate"
	}
	m.inbound.WithLabelValues(string(p), result).Inc()
	m.inboundSec.WithLabelValues(string(p)).Observe(took.Seconds())
}

// Delivery implements core.Observer. took is zero when no platform call was made; such
// attempts are counted but not timed.
func (m *Metrics) Delivery(p core.Platform, outcome string, took time.Duration) {
	m.deliveries.WithLabelValues(string(p), outcome).Inc()
	if took > 0 {
		m.deliverySec.WithLabelValues(string(p)).Observe(took.Seconds())
	}
}

// JobDone implements core.Observer. Work done early (a negative lag) counts as on time.
func (m *Metrics) JobDone(kind core.JobKind, lag time.Duration) {
	m.jobLag.WithLabelValues(string(kind)).Observe(max(lag, 0).Seconds())
}

// Source is what the scrape-time gauges read from the running service; *core.Service
// satisfies it.
type Source interface {
	// OutboxStats returns how many outbox messages wait to be sent and the oldest one's age.
	OutboxStats(ctx context.Context) (pending int, oldest time.Duration, err error)
	// Health returns, per platform, why sends to it are stopped (its circuit is open).
	Health() map[core.Platform]string
}

// Watch registers the gauges read from src at each scrape: earshot_outbox_pending,
// earshot_outbox_oldest_seconds and earshot_platform_circuit_open for each of platforms
// (and any other platform src reports). Call it once, when the service exists.
func (m *Metrics) Watch(src Source, platforms []core.Platform) error {
	return m.reg.Register(&sourceCollector{src: src, platforms: platforms})
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry returns the private registry, for tests and for gathering.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }
