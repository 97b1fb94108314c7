package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"earshot/core"
)

// benchDir holds databases shared by the calls of one benchmark; TestMain removes it.
var benchDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchDB opens a migrated database under benchDir (kept across a benchmark's calls).
func benchDB(b *testing.B, name string) *DB {
	b.Helper()
	if benchDir == "" {
		dir, err := os.MkdirTemp("", "earshot-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = dir
	}
	db, err := Open(context.Background(), filepath.Join(benchDir, name))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkUpdateAnswer is the inbound path of a survey answer: one transaction that
// deduplicates the event, stores the answer, advances the run and enqueues the next question.
func BenchmarkUpdateAnswer(b *testing.B) {
	db := newDB(b)
	c := addContact(b, db, "1")
	run := addRun(b, db, c.ID, t0)
	msg := core.Message{Text: "How fast were we?", Choices: make([]core.Choice, 10)}
	for i := range msg.Choices {
		msg.Choices[i] = core.Choice{Label: strconv.Itoa(i + 1), Payload: fmt.Sprintf("s:%d:1:%d", run.ID, i+1)}
	}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		err := db.Update(ctx, func(tx core.Tx) error {
			if _, err := tx.MarkInbound(core.Telegram, strconv.Itoa(i), t0); err != nil {
				return err
			}
			a := core.Answer{RunID: run.ID, ContactID: c.ID, Plan: run.Plan, QuestionKey: "speed", Score: ptr(7), AnsweredAt: t0}
			if err := tx.AddAnswer(&a); err != nil {
				return err
			}
			run.Question = i
			if err := tx.UpdateRun(run); err != nil {
				return err
			}
			_, err := tx.Enqueue(core.Outgoing{To: core.ChatRef(c.Ref), DM: true, ContactID: c.ID, Message: msg}, t0)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareInsert writes the same rows as BenchmarkUpdateAnswer with plain prepared
// statements in one transaction: the floor under the store's own overhead.
func BenchmarkBareInsert(b *testing.B) {
	db := newDB(b)
	c := addContact(b, db, "1")
	run := addRun(b, db, c.ID, t0)
	ctx := context.Background()
	w := db.writer
	ins, _ := w.Prepare(`INSERT INTO inbound (platform, event_id, at) VALUES (?, ?, ?)`)
	ans, _ := w.Prepare(`INSERT INTO answers (run_id, contact_id, plan, question_key, score, text, skipped, answered_at) VALUES (?, ?, ?, ?, ?, '', 0, ?)`)
	upd, _ := w.Prepare(`UPDATE survey_runs SET question = ? WHERE id = ?`)
	out, _ := w.Prepare(`INSERT INTO outbox (platform, chat_id, dm, payload, contact_id, state, created_at, due_at) VALUES (?, ?, 1, ?, ?, 'pending', ?, ?)`)
	payload := `{"Text":"How fast were we?","Choices":[{"Label":"1","Payload":"s:1:1:1"}]}`
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		tx, err := w.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		_, err1 := tx.Stmt(ins).Exec("telegram", strconv.Itoa(i), t0.UnixMilli())
		_, err2 := tx.Stmt(ans).Exec(run.ID, c.ID, "p", "speed", 7, t0.UnixMilli())
		_, err3 := tx.Stmt(upd).Exec(i, run.ID)
		_, err4 := tx.Stmt(out).Exec("telegram", "1", payload, c.ID, t0.UnixMilli(), t0.UnixMilli())
		if err := tx.Commit(); err != nil || err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			b.Fatal(err, err1, err2, err3, err4)
		}
	}
}

// BenchmarkUpdateParallel runs BenchmarkUpdateAnswer's small transactions from many
// goroutines at once: writers queue on the one writer connection.
func BenchmarkUpdateParallel(b *testing.B) {
	db := newDB(b)
	c := addContact(b, db, "1")
	run := addRun(b, db, c.ID, t0)
	ctx := context.Background()
	var mu sync.Mutex
	n := 0
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			mu.Lock()
			n++
			id := strconv.Itoa(n)
			mu.Unlock()
			err := db.Update(ctx, func(tx core.Tx) error {
				if _, err := tx.MarkInbound(core.Telegram, id, t0); err != nil {
					return err
				}
				a := core.Answer{RunID: run.ID, ContactID: c.ID, Plan: run.Plan, QuestionKey: "speed", Score: ptr(7), AnsweredAt: t0}
				return tx.AddAnswer(&a)
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// benchSize reads the number of rows to generate from the environment, else def.
func benchSize(env string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(env)); err == nil && n > 0 {
		return n
	}
	return def
}

var scoreDBs sync.Map // size → *DB

// BenchmarkScoreStats reads one week's ScoreStats over a year of answers:
// EARSHOT_BENCH_ANSWERS rows (200,000 by default; set 1000000 for the full figure).
func BenchmarkScoreStats(b *testing.B) {
	n := benchSize("EARSHOT_BENCH_ANSWERS", 200_000)
	db := scoreDB(b, n)
	week := t0.Add(26 * 7 * 24 * time.Hour)
	ctx := context.Background()
	b.ReportMetric(float64(n), "answers")
	for b.Loop() {
		err := db.View(ctx, func(tx core.Tx) error {
			st, err := tx.ScoreStats(week, week.Add(7*24*time.Hour))
			if err == nil && len(st) != 3 {
				err = fmt.Errorf("ScoreStats = %+v, want 3 keys", st)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// scoreDB returns a database with n answers spread over 52 weeks, built once per size with
// one big transaction.
func scoreDB(b *testing.B, n int) *DB {
	if v, ok := scoreDBs.Load(n); ok {
		return v.(*DB)
	}
	db := benchDB(b, fmt.Sprintf("scores-%d.db", n))
	c := addContact(b, db, "1")
	keys := []string{"courtesy", "speed", "quality", "comment"}
	span := int64(52 * 7 * 24 * time.Hour / time.Millisecond)
	var runID int64
	err := db.Update(context.Background(), func(tx core.Tx) error {
		for i := range n {
			at := t0.Add(time.Duration(int64(i)*span/int64(n)) * time.Millisecond)
			if i%len(keys) == 0 {
				r := core.SurveyRun{ContactID: c.ID, Plan: "p", State: core.RunCompleted, DueAt: at, SentAt: at}
				if err := tx.CreateRun(&r); err != nil {
					return err
				}
				runID = r.ID
			}
			a := core.Answer{RunID: runID, ContactID: c.ID, Plan: "p", QuestionKey: keys[i%len(keys)], AnsweredAt: at}
			if a.QuestionKey == "comment" {
				a.Text = "could be faster"
			} else {
				a.Score = ptr(1 + i%10)
			}
			if err := tx.AddAnswer(&a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.writer.Exec("ANALYZE"); err != nil {
		b.Fatal(err)
	}
	scoreDBs.Store(n, db)
	return db
}

// BenchmarkLowestComments reads one week's lowest comments over the same table.
func BenchmarkLowestComments(b *testing.B) {
	n := benchSize("EARSHOT_BENCH_ANSWERS", 200_000)
	db := scoreDB(b, n)
	week := t0.Add(26 * 7 * 24 * time.Hour)
	ctx := context.Background()
	for b.Loop() {
		err := db.View(ctx, func(tx core.Tx) error {
			_, err := tx.LowestComments(week, week.Add(7*24*time.Hour), 5)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

var outboxDBs sync.Map

// BenchmarkClaimOutbox claims from EARSHOT_BENCH_PENDING pending messages (100,000 by
// default) spread over 5,000 chats.
//   - ready: every chat's head is claimable; each claim takes 100 (and a takeover by
//     another instance gives them back for the next round).
//   - leased: every head is claimed; the claim finds nothing (the deliverer's common case
//     when chats are paced at 1 message a second).
func BenchmarkClaimOutbox(b *testing.B) {
	n := benchSize("EARSHOT_BENCH_PENDING", 100_000)
	const chats = 5000
	db := outboxDB(b, n, chats)
	ctx := context.Background()
	if err := db.Lock(); err != nil {
		b.Fatal(err)
	}
	b.Run("ready", func(b *testing.B) {
		now := t0
		for b.Loop() {
			now = now.Add(time.Second)
			err := db.Update(ctx, func(tx core.Tx) error {
				ms, err := tx.ClaimOutbox(now, "i1", 0, 100)
				if err == nil && len(ms) != 100 {
					err = fmt.Errorf("claimed %d, want 100", len(ms))
				}
				if err == nil {
					_, err = tx.ReclaimOutbox("i2")
				}
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("leased", func(b *testing.B) {
		now := t0.Add(time.Hour)
		if err := db.Update(ctx, func(tx core.Tx) error {
			_, err := tx.ClaimOutbox(now, "i1", 0, chats)
			return err
		}); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			err := db.Update(ctx, func(tx core.Tx) error {
				ms, err := tx.ClaimOutbox(now, "i1", 0, 100)
				if err == nil && len(ms) != 0 {
					err = fmt.Errorf("claimed %d, want 0", len(ms))
				}
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

func outboxDB(b *testing.B, n, chats int) *DB {
	key := fmt.Sprint(n, chats)
	if v, ok := outboxDBs.Load(key); ok {
		return v.(*DB)
	}
	db := benchDB(b, fmt.Sprintf("outbox-%d-%d.db", n, chats))
	err := db.Update(context.Background(), func(tx core.Tx) error {
		for i := range n {
			to := core.ChatRef{Platform: core.Telegram, ID: strconv.Itoa(1_000_000 + i%chats)}
			if _, err := tx.Enqueue(core.Outgoing{To: to, DM: true, Message: core.Message{Text: "hello"}}, t0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.writer.Exec("ANALYZE"); err != nil {
		b.Fatal(err)
	}
	outboxDBs.Store(key, db)
	return db
}
