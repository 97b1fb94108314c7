package core_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"earshot/core"
	"earshot/core/coretest"
)

// benchEnv is a service with many contacts, each in the middle of a long survey, so every
// benchmark event is a survey answer taking the full path: dedup, contact, run, answer, the
// edit of the answered question and the next question into the outbox.
type benchEnv struct {
	svc      *core.Service
	db       core.Store
	contacts int
	event    atomic.Int64
}

func newBenchEnv(b *testing.B, contacts, questions int) *benchEnv {
	b.Helper()
	ctx := context.Background()
	db := benchStore(b, "bench.db")
	set := settings()
	set.Throttle = 0
	var qs []core.Question
	for i := range questions {
		qs = append(qs, core.Question{Key: "q" + strconv.Itoa(i%8), Text: "How was it?", Type: core.Scale, Min: 1, Max: 10})
	}
	set.Surveys = []core.SurveyPlan{{Name: "long", Trigger: "delivery", Questions: qs}}
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(b), Settings: set, Store: db, Messengers: []core.Messenger{nopMessenger{}}})
	if err != nil {
		b.Fatal(err)
	}
	e := &benchEnv{svc: svc, db: db, contacts: contacts}
	for c := range contacts {
		who := user("c" + strconv.Itoa(c))
		if _, err := svc.Handle(ctx, core.Incoming{Platform: core.Console, EventID: "start-" + strconv.Itoa(c), From: who,
			Chat: core.ChatRef(who), Direct: true, Text: "/start"}); err != nil {
			b.Fatal(err)
		}
		if _, err := svc.Touch(ctx, core.TouchRequest{Customer: who, Stage: "delivery"}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := svc.RunDue(ctx); err != nil {
		b.Fatal(err)
	}
	analyze(b, db)
	return e
}

type nopMessenger struct{}

func (nopMessenger) Platform() core.Platform { return core.Console }
func (nopMessenger) Deliver(context.Context, core.Delivery) (string, error) {
	return "x", nil
}

// answer sends one survey answer from contact c and returns how long Handle took.
func (e *benchEnv) answer(b *testing.B, c int) time.Duration {
	n := e.event.Add(1)
	who := user("c" + strconv.Itoa(c%e.contacts))
	start := time.Now()
	_, err := e.svc.Handle(context.Background(), core.Incoming{Platform: core.Console, EventID: "e" + strconv.FormatInt(n, 10),
		From: who, Chat: core.ChatRef(who), Direct: true, Text: strconv.Itoa(int(n%10) + 1)})
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// bareInserts measures plain SQLite inserts of the rows one answer writes (the inbound
// event, the answer, two outbox rows), one transaction each, on the same driver and pragmas.
func bareInserts(b *testing.B, n int) time.Duration {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bare.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_txlock=immediate&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(5000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		`CREATE TABLE inbound (platform TEXT, event_id TEXT, at INTEGER, PRIMARY KEY (platform, event_id)) WITHOUT ROWID`,
		`CREATE TABLE answers (id INTEGER PRIMARY KEY, run_id INTEGER, contact_id INTEGER, plan TEXT, question_key TEXT, score INTEGER, text TEXT, answered_at INTEGER)`,
		`CREATE TABLE outbox (id INTEGER PRIMARY KEY, platform TEXT, chat_id TEXT, payload TEXT, due_at INTEGER, state TEXT)`,
	} {
		if _, err := db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	for i := range n {
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		now := time.Now().UnixMilli()
		tx.Exec(`INSERT INTO inbound VALUES ('console', ?, ?)`, "e"+strconv.Itoa(i), now)
		tx.Exec(`INSERT INTO answers (run_id, contact_id, plan, question_key, score, answered_at) VALUES (?, ?, 'long', 'q1', 7, ?)`, i, i, now)
		for range 2 {
			tx.Exec(`INSERT INTO outbox (platform, chat_id, payload, due_at, state) VALUES ('console', ?, '{"text":"2/100 · How was it?"}', ?, 'pending')`, strconv.Itoa(i), now)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start) / time.Duration(n)
}

// BenchmarkInbound is survey answers one after another through the whole core path into
// SQLite; x_bare is its cost as a multiple of bare inserts of the same rows in the same run.
func BenchmarkInbound(b *testing.B) {
	e := newBenchEnv(b, 500, 100)
	bare := bareInserts(b, 2000)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		e.answer(b, i)
		i++
	}
	b.StopTimer()
	per := b.Elapsed() / time.Duration(max(i, 1))
	b.ReportMetric(float64(time.Second)/float64(per), "events/s")
	b.ReportMetric(float64(per)/float64(bare), "x_bare")
}

// BenchmarkInboundParallel is the saturation throughput: many handlers at once, as
// webhooks and pollers of several platforms deliver concurrently.
func BenchmarkInboundParallel(b *testing.B) {
	e := newBenchEnv(b, 2000, 100)
	b.SetParallelism(16)
	var next atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			e.answer(b, int(next.Add(1)))
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(peakRSS(b), "peak_rss_MB")
	reportRetries(b, e.db)
}

// peakRSS returns this process's peak resident set size in MB (Linux), or 0.
func peakRSS(b *testing.B) float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.Atoi(f[1])
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkInboundLatency offers 1,000 events a second for two seconds and reports the
// latency percentiles of Handle (run with -benchtime 1x).
func BenchmarkInboundLatency(b *testing.B) {
	e := newBenchEnv(b, 2000, 100)
	const rate, events = 1000, 2000
	for b.Loop() {
		lat := make([]time.Duration, events)
		var wg sync.WaitGroup
		tick := time.NewTicker(time.Second / rate)
		base := int(e.event.Load())
		for i := range events {
			<-tick.C
			wg.Add(1)
			go func() {
				defer wg.Done()
				lat[i] = e.answer(b, base+i)
			}()
		}
		tick.Stop()
		wg.Wait()
		slices.Sort(lat)
		pct := func(p float64) float64 { return float64(lat[int(p*float64(events-1))]) / float64(time.Millisecond) }
		b.ReportMetric(pct(0.50), "p50_ms")
		b.ReportMetric(pct(0.99), "p99_ms")
		b.ReportMetric(pct(0.999), "p99.9_ms")
	}
}
