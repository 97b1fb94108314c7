package storetest

import (
	"reflect"
	"testing"
	"time"

	"earshot/core"
)

func testReports(t *testing.T, db core.Store) {
	c := addContact(t, db, "1")
	week := t0
	low := addRun(t, db, c.ID, week)
	high := addRun(t, db, c.ID, week.Add(time.Hour))
	noScore := addRun(t, db, c.ID, week.Add(2*time.Hour))
	addRun(t, db, c.ID, week.Add(3*time.Hour))    // sent, never answered
	addRun(t, db, c.ID, week.Add(8*24*time.Hour)) // next week
	answers := []core.Answer{
		{RunID: low.ID, QuestionKey: "speed", Score: ptr(2), AnsweredAt: week},
		{RunID: low.ID, QuestionKey: "courtesy", Score: ptr(5), AnsweredAt: week},
		{RunID: low.ID, QuestionKey: "comment", Text: "too slow", AnsweredAt: week.Add(time.Minute)},
		{RunID: high.ID, QuestionKey: "speed", Score: ptr(9), AnsweredAt: week.Add(time.Hour)},
		{RunID: high.ID, QuestionKey: "comment", Text: "great", AnsweredAt: week.Add(time.Hour)},
		{RunID: noScore.ID, QuestionKey: "comment", Text: "hm", AnsweredAt: week.Add(2 * time.Hour)},
		{RunID: noScore.ID, QuestionKey: "speed", Skipped: true, AnsweredAt: week.Add(2 * time.Hour)},
		{RunID: high.ID, QuestionKey: "speed", Score: ptr(1), AnsweredAt: week.Add(8 * 24 * time.Hour)}, // out of range
	}
	update(t, db, func(tx core.Tx) error {
		for i := range answers {
			answers[i].ContactID, answers[i].Plan = c.ID, "p"
			if err := tx.AddAnswer(&answers[i]); err != nil {
				return err
			}
		}
		return nil
	})
	from, to := week, week.Add(7*24*time.Hour)
	view(t, db, func(tx core.Tx) error {
		stats, err := tx.ScoreStats(from, to)
		want := []core.ScoreStat{{Key: "courtesy", Sum: 5, Count: 1}, {Key: "speed", Sum: 11, Count: 2}}
		if err != nil || !reflect.DeepEqual(stats, want) {
			t.Errorf("ScoreStats = %+v, %v; want %+v", stats, err, want)
		}
		sent, answered, err := tx.SurveyCounts(from, to)
		if err != nil || sent != 4 || answered != 3 {
			t.Errorf("SurveyCounts = %d, %d, %v; want 4, 3", sent, answered, err)
		}
		comments, err := tx.LowestComments(from, to, 10)
		wantC := []core.Comment{
			{RunID: low.ID, Key: "comment", Text: "too slow", MinScore: 2, At: week.Add(time.Minute)},
			{RunID: high.ID, Key: "comment", Text: "great", MinScore: 1, At: week.Add(time.Hour)},
			{RunID: noScore.ID, Key: "comment", Text: "hm", MinScore: -1, At: week.Add(2 * time.Hour)},
		}
		// The run's minimum counts every score of the run, including the next week's 1.
		wantC[0], wantC[1] = wantC[1], wantC[0]
		if err != nil || !reflect.DeepEqual(comments, wantC) {
			t.Errorf("LowestComments = %+v, %v\nwant %+v", comments, err, wantC)
		}
		if got, _ := tx.LowestComments(from, to, 1); len(got) != 1 {
			t.Errorf("LowestComments limit 1 = %d comments", len(got))
		}
		empty, err := tx.ScoreStats(to.Add(30*24*time.Hour), to.Add(37*24*time.Hour))
		if err != nil || len(empty) != 0 {
			t.Errorf("ScoreStats of an empty week = %+v, %v", empty, err)
		}
		return nil
	})
}
