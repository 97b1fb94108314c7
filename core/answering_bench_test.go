package core_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"earshot/core"
)

// BenchmarkAnsweringCustomers: 16 (then 40) customers take a six-question survey at once,
// each answering the moment its question arrives, with Telegram's default pace against a
// platform enforcing both its limits exactly (30/s; 2 within 2 s per chat). Each answer
// costs two sends to the customer's chat (the answered question edited, the next one asked).
// It reports answers and sends per second, the wait from an answer to the next question
// reaching the platform (p50, p95), and the 429s. Run with -benchtime 1x.
func BenchmarkAnsweringCustomers(b *testing.B) {
	for _, n := range []int{16, 40} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { answering(b, n) })
	}
}

func answering(b *testing.B, customers int) {
	const questions = 6
	for range b.N {
		b.StopTimer()
		p := newExactPlatform(core.Telegram, 30, time.Second, 2, 2*time.Second)
		asked := make(map[string]chan int, customers) // chat → number of each question as it arrives
		for c := range customers {
			asked[strconv.Itoa(800000+c)] = make(chan int, 4*questions)
		}
		var mu sync.Mutex
		arrived := map[string]time.Time{}
		p.onSend = func(d core.Delivery, at time.Time) {
			ch, ok := asked[d.To.ID]
			if !ok || d.EditID != "" || len(d.Message.Choices) == 0 {
				return
			}
			mu.Lock()
			arrived[d.To.ID] = at
			mu.Unlock()
			ch <- 1
		}
		svc, _ := benchService(b, p, core.DefaultPace(core.Telegram), nil, func(s *core.Settings) {
			enableTelegram(s)
			plan := core.SurveyPlan{Name: "six", Trigger: "visit", ExpireAfter: time.Hour}
			for q := range questions {
				plan.Questions = append(plan.Questions, core.Question{Key: "q" + strconv.Itoa(q),
					Text: "Question " + strconv.Itoa(q+1) + "?", Type: core.Scale, Min: 1, Max: 10})
			}
			s.Surveys = []core.SurveyPlan{plan}
			s.Throttle = 0
		})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); _ = svc.Run(ctx) }()
		for c := range customers {
			id := strconv.Itoa(800000 + c)
			if _, err := svc.Touch(ctx, core.TouchRequest{Customer: core.UserRef{Platform: core.Telegram, ID: id}, Stage: "visit"}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		start := time.Now()
		var lat []time.Duration
		var wg sync.WaitGroup
		for c := range customers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := strconv.Itoa(800000 + c)
				for q := range questions {
					select {
					case <-asked[id]:
					case <-time.After(time.Minute):
						b.Errorf("customer %s never got question %d", id, q+1)
						return
					}
					answered := time.Now()
					in := core.Incoming{Platform: core.Telegram, EventID: fmt.Sprintf("%s-%d", id, q),
						From: core.UserRef{Platform: core.Telegram, ID: id}, Chat: core.ChatRef{Platform: core.Telegram, ID: id},
						Direct: true, Text: "8"}
					if _, err := svc.Handle(ctx, in); err != nil {
						b.Error(err)
						return
					}
					if q == questions-1 {
						return
					}
					select {
					case <-asked[id]:
					case <-time.After(time.Minute):
						b.Errorf("customer %s never got question %d", id, q+2)
						return
					}
					mu.Lock()
					lat = append(lat, arrived[id].Sub(answered))
					mu.Unlock()
					asked[id] <- 1 // the next round takes it
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		b.StopTimer()
		cancel()
		<-done
		slices.Sort(lat)
		if len(lat) == 0 {
			b.Fatal("no answers")
		}
		pct := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / float64(time.Millisecond) }
		b.ReportMetric(float64(customers*questions)/elapsed.Seconds(), "answers/s")
		b.ReportMetric(pct(0.5), "next_q_p50_ms")
		b.ReportMetric(pct(0.95), "next_q_p95_ms")
		p.report(b, start, elapsed)
		b.StartTimer()
	}
}
