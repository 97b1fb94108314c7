package postgres

import (
	"context"
	"reflect"
	"testing"
	"time"

	"earshot/core"
	"earshot/storage/pgtest"
)

// TestKindCountsBackfilled: migration 0014 counts the scores and options of the answers
// stored before it, as its triggers count the ones after.
func TestKindCountsBackfilled(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.Database(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	migs, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for range 13 { // the schema before 0014
		if done, err := db.migrateOne(ctx, migs[:13]); err != nil || done {
			t.Fatalf("migrations before 0014: done %v, %v", done, err)
		}
	}
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	qs := []core.Question{{Key: "nps", Type: core.NPS, Min: 0, Max: 10},
		{Key: "reason", Type: core.ChoiceType, Multiple: true, Options: []core.Option{{Key: "delivery"}, {Key: "staff"}}},
		{Key: "note", Type: core.Text}}
	n := 0
	add := func(tx core.Tx, questions []core.Question, key string, score *int, text string) error {
		n++
		c := core.Contact{Ref: core.UserRef{Platform: core.Telegram, ID: "b" + string(rune('a'+n))}, CreatedAt: start}
		if err := tx.CreateContact(&c); err != nil {
			return err
		}
		r := core.SurveyRun{ContactID: c.ID, Plan: "p", State: core.RunSent, DueAt: start, SentAt: start, CreatedAt: start,
			Questions: questions}
		if err := tx.CreateRun(&r); err != nil {
			return err
		}
		return tx.AddAnswer(&core.Answer{RunID: r.ID, ContactID: c.ID, Plan: "p", QuestionKey: key, Score: score,
			Text: text, AnsweredAt: start})
	}
	score := func(v int) *int { return &v }
	err = db.Update(ctx, func(tx core.Tx) error {
		for _, sc := range []int{10, 9, 7, 3, 0} {
			if err := add(tx, qs, "nps", score(sc), ""); err != nil {
				return err
			}
		}
		for _, a := range []struct {
			qs   []core.Question
			key  string
			text string
		}{{qs, "reason", "delivery"}, {qs, "reason", "delivery,staff"}, {nil, "reason", "staff"}, {qs, "note", "staff"}} {
			if err := add(tx, a.qs, a.key, nil, a.text); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(tx core.Tx) error {
		from, to := start.Add(-time.Hour), start.Add(time.Hour)
		sc, err := tx.ScoreCounts(from, to, []string{"nps"}, core.ReportFilter{})
		want := []core.ScoreCount{{Key: "nps", Score: 0, Count: 1}, {Key: "nps", Score: 3, Count: 1},
			{Key: "nps", Score: 7, Count: 1}, {Key: "nps", Score: 9, Count: 1}, {Key: "nps", Score: 10, Count: 1}}
		if err != nil || !reflect.DeepEqual(sc, want) {
			t.Errorf("ScoreCounts after the backfill = %+v, %v; want %+v", sc, err, want)
		}
		// The run that kept no questions and the text question are not choices.
		cc, err := tx.ChoiceCounts(from, to, []string{"reason", "note"}, core.ReportFilter{})
		wantC := []core.ChoiceCount{{Key: "reason", Option: "", Count: 2}, {Key: "reason", Option: "delivery", Count: 2},
			{Key: "reason", Option: "staff", Count: 1}}
		if err != nil || !reflect.DeepEqual(cc, wantC) {
			t.Errorf("ChoiceCounts after the backfill = %+v, %v; want %+v", cc, err, wantC)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
