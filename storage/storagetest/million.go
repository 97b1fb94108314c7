// Package storagetest builds databases for benchmarks: big, realistic, and kept between
// runs in the temporary directory, so that only the first run pays for building them.
package storagetest

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"earshot/core"
	"earshot/storage/sqlite"
)

// Million returns a database holding a million answers over the twelve weeks whose last
// one holds lastWeek (8 dimensions "dim0"…"dim7" of the plan "after-delivery", 125,000
// survey runs of console customers, a text comment on every tenth run), built once per
// lastWeek and kept in the temporary directory between runs.
func Million(tb testing.TB, lastWeek time.Time) *sqlite.DB {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), "earshot-bench-1m-"+strconv.FormatInt(lastWeek.Unix(), 10)+"-v3.db")
	_, statErr := os.Stat(path)
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	if statErr == nil {
		return db
	}
	const runs, perRun = 125000, 8
	span := 12 * 7 * 24 * time.Hour
	first := lastWeek.Add(-span + 7*24*time.Hour)
	for batch := 0; batch < runs; batch += 5000 {
		err := db.Update(ctx, func(tx core.Tx) error {
			for r := batch; r < batch+5000; r++ {
				at := first.Add(time.Duration(int64(span) / runs * int64(r)))
				ct := core.Contact{Ref: core.UserRef{Platform: core.Console, ID: "b" + strconv.Itoa(r)}, CreatedAt: at, SeenAt: at}
				if err := tx.CreateContact(&ct); err != nil {
					return err
				}
				run := core.SurveyRun{ContactID: ct.ID, Plan: "after-delivery", State: core.RunCompleted, DueAt: at,
					SentAt: at, FinishedAt: at, CreatedAt: at}
				if err := tx.CreateRun(&run); err != nil {
					return err
				}
				for q := range perRun {
					score := 1 + (r*7+q*3)%10
					a := core.Answer{RunID: run.ID, ContactID: ct.ID, Plan: run.Plan, QuestionKey: "dim" + strconv.Itoa(q),
						Score: &score, AnsweredAt: at.Add(time.Duration(q) * time.Second)}
					if q == perRun-1 && r%10 == 0 {
						a.Score, a.Text = nil, "comment "+strconv.Itoa(r)
					}
					if err := tx.AddAnswer(&a); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			db.Close()
			os.Remove(path)
			tb.Fatal(err)
		}
	}
	return db
}
