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

// KindQuestions are the questions of MillionKinds' runs: one of every kind with a figure,
// and a comment.
var KindQuestions = []core.Question{
	{Key: "nps", Text: "?", Type: core.NPS, Min: 0, Max: 10},
	{Key: "csat", Text: "?", Type: core.CSAT, Min: 1, Max: 5},
	{Key: "ces", Text: "?", Type: core.CES, Min: 1, Max: 7},
	{Key: "courtesy", Text: "?", Type: core.Scale, Min: 1, Max: 10},
	{Key: "speed", Text: "?", Type: core.Scale, Min: 1, Max: 10},
	{Key: "reason", Text: "?", Type: core.ChoiceType, Options: []core.Option{{Key: "delivery", Label: "Delivery"},
		{Key: "staff", Label: "Staff"}, {Key: "price", Label: "Price"}, {Key: "quality", Label: "Quality"}}},
	{Key: "extras", Text: "?", Type: core.ChoiceType, Multiple: true, Options: []core.Option{{Key: "app", Label: "App"},
		{Key: "shop", Label: "Shop"}, {Key: "phone", Label: "Phone"}}},
	{Key: "comment", Text: "?", Type: core.Text, Optional: true},
}

// MillionKinds is Million with mixed question kinds: a million answers over the twelve weeks
// whose last one holds lastWeek, 125,000 runs of the plan "after-delivery" each answering
// KindQuestions (an nps, a csat, a ces, two scales, a single and a multiple choice, and a
// comment on every tenth run), the runs keeping their questions. Built once per lastWeek and
// kept in the temporary directory between runs.
func MillionKinds(tb testing.TB, lastWeek time.Time) *sqlite.DB {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), "earshot-bench-1m-kinds-"+strconv.FormatInt(lastWeek.Unix(), 10)+"-v2.db")
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
	const runs = 125000
	span := 12 * 7 * 24 * time.Hour
	first := lastWeek.Add(-span + 7*24*time.Hour)
	reasons := []string{"delivery", "staff", "price", "quality"}
	extras := []string{"app", "shop", "phone", "app,shop", "shop,phone", "app,shop,phone"}
	for batch := 0; batch < runs; batch += 5000 {
		err := db.Update(ctx, func(tx core.Tx) error {
			for r := batch; r < batch+5000; r++ {
				at := first.Add(time.Duration(int64(span) / runs * int64(r)))
				ct := core.Contact{Ref: core.UserRef{Platform: core.Console, ID: "k" + strconv.Itoa(r)}, CreatedAt: at, SeenAt: at}
				if err := tx.CreateContact(&ct); err != nil {
					return err
				}
				run := core.SurveyRun{ContactID: ct.ID, Plan: "after-delivery", State: core.RunCompleted, DueAt: at,
					SentAt: at, FinishedAt: at, CreatedAt: at, Questions: KindQuestions}
				if err := tx.CreateRun(&run); err != nil {
					return err
				}
				for i, q := range KindQuestions {
					a := core.Answer{RunID: run.ID, ContactID: ct.ID, Plan: run.Plan, QuestionKey: q.Key,
						AnsweredAt: at.Add(time.Duration(i) * time.Second)}
					switch q.Type {
					case core.ChoiceType:
						a.Text = reasons[(r*3+i)%len(reasons)]
						if q.Multiple {
							a.Text = extras[(r*5+i)%len(extras)]
						}
					case core.Text:
						a.Text = "comment " + strconv.Itoa(r)
						if r%10 != 0 {
							a.Text, a.Skipped = "", true
						}
					default:
						score := q.Min + (r*7+i*3)%(q.Max-q.Min+1)
						a.Score = &score
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
