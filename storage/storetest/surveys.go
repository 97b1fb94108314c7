package storetest

import (
	"reflect"
	"testing"
	"time"

	"earshot/core"
)

func testTouchpointsKeyed(t *testing.T, db core.Store) {
	c := addContact(t, db, "1")
	first := core.Touchpoint{ContactID: c.ID, Stage: "delivery", Ref: "A-17", OccurredAt: t0, CreatedAt: t0, Key: "k1"}
	update(t, db, func(tx core.Tx) error {
		created, err := tx.CreateTouchpoint(&first)
		if err != nil || !created || first.ID == 0 {
			t.Fatalf("first CreateTouchpoint = %v, %v, id %d", created, err, first.ID)
		}
		again := core.Touchpoint{ContactID: c.ID, Stage: "other", Key: "k1", OccurredAt: t0.Add(time.Hour)}
		created, err = tx.CreateTouchpoint(&again)
		if err != nil || created || again != first {
			t.Fatalf("keyed again = %v, %v, %+v; want the first %+v", created, err, again, first)
		}
		for range 2 { // without a key every call creates
			tp := core.Touchpoint{ContactID: c.ID, Stage: "visit", OccurredAt: t0.Add(-time.Hour)}
			if created, err := tx.CreateTouchpoint(&tp); err != nil || !created {
				t.Fatalf("unkeyed = %v, %v", created, err)
			}
		}
		return nil
	})
	view(t, db, func(tx core.Tx) error {
		tps, err := tx.Touchpoints(c.ID)
		if err != nil || len(tps) != 3 {
			t.Fatalf("Touchpoints = %d, %v", len(tps), err)
		}
		if tps[2] != first || tps[0].Stage != "visit" || tps[0].ID > tps[1].ID {
			t.Errorf("Touchpoints not oldest first: %+v", tps)
		}
		return nil
	})
}

func testRuns(t *testing.T, db core.Store) {
	c := addContact(t, db, "1")
	d := addContact(t, db, "2")
	tp := core.Touchpoint{ContactID: c.ID, Stage: "delivery", OccurredAt: t0}
	update(t, db, func(tx core.Tx) error { _, err := tx.CreateTouchpoint(&tp); return err })
	runs := []core.SurveyRun{
		{ContactID: c.ID, TouchpointID: tp.ID, Plan: "p", State: core.RunScheduled, DueAt: t0.Add(2 * time.Hour), ExpiresAt: t0.Add(time.Hour * 48), CreatedAt: t0},
		{ContactID: c.ID, Plan: "p", State: core.RunSkipped, SkipReason: "throttled", DueAt: t0.Add(time.Hour)},
		{ContactID: d.ID, Plan: "p", State: core.RunInProgress, DueAt: t0, SentAt: t0, RemindedAt: t0.Add(time.Minute), Question: 2, QuestionMsg: 77},
	}
	update(t, db, func(tx core.Tx) error {
		for i := range runs {
			if err := tx.CreateRun(&runs[i]); err != nil {
				return err
			}
		}
		_, err := tx.Run(999)
		wantCode(t, err, core.ENOTFOUND)
		wantCode(t, tx.UpdateRun(core.SurveyRun{ID: 999, ContactID: c.ID}), core.ENOTFOUND)
		return nil
	})
	ids := func(rs []core.SurveyRun) (out []int64) {
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	r0, r1, r2 := runs[0].ID, runs[1].ID, runs[2].ID
	cases := []struct {
		name string
		f    core.RunFilter
		want []int64
	}{
		{"all by due", core.RunFilter{}, []int64{r2, r1, r0}},
		{"contact", core.RunFilter{ContactID: c.ID}, []int64{r1, r0}},
		{"touchpoint", core.RunFilter{TouchpointID: tp.ID}, []int64{r0}},
		{"states", core.RunFilter{States: []core.RunState{core.RunScheduled, core.RunInProgress}}, []int64{r2, r0}},
		{"due from", core.RunFilter{DueFrom: t0.Add(time.Hour)}, []int64{r1, r0}},
		{"due to", core.RunFilter{DueTo: t0.Add(time.Hour)}, []int64{r2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			view(t, db, func(tx core.Tx) error {
				got, err := tx.Runs(tc.f)
				if err != nil || !reflect.DeepEqual(ids(got), tc.want) {
					t.Errorf("Runs = %v, %v; want %v", ids(got), err, tc.want)
				}
				return nil
			})
		})
	}
	// runs[0] changes indexed columns; runs[2] only the others (a shorter UPDATE).
	runs[0].State, runs[0].SentAt, runs[0].FinishedAt, runs[0].TouchpointID = core.RunCompleted, t0, t0.Add(time.Minute), 0
	runs[2].Question, runs[2].QuestionMsg, runs[2].RemindedAt, runs[2].ExpiresAt = 3, 0, time.Time{}, t0.Add(time.Hour)
	// A sent run keeps its questions, every kind's fields included.
	six := 6
	asked := []core.Question{{Key: "nps", Text: "Recommend us?", Type: core.NPS, Max: 10},
		{Key: "reason", Text: "Why?", Type: core.ChoiceType, Multiple: true, Optional: true,
			Options: []core.Option{{Key: "staff", Label: "Our staff"}, {Key: "price", Label: "Price"}},
			AskIf:   &core.Condition{Question: "nps", AtMost: &six}}}
	runs[0].Questions, runs[2].Questions = asked, asked[:1]
	update(t, db, func(tx core.Tx) error {
		if err := tx.UpdateRun(runs[0]); err != nil {
			return err
		}
		return tx.UpdateRun(runs[2])
	})
	view(t, db, func(tx core.Tx) error {
		for _, want := range runs {
			got, err := tx.Run(want.ID)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("Run = %+v, %v\nwant %+v", got, err, want)
			}
		}
		return nil
	})
}

func testAnswers(t *testing.T, db core.Store) {
	c := addContact(t, db, "1")
	run := addRun(t, db, c.ID, t0)
	other := addRun(t, db, c.ID, t0)
	answers := []core.Answer{
		{RunID: run.ID, ContactID: c.ID, Plan: "p", QuestionKey: "courtesy", Score: ptr(0), AnsweredAt: t0},
		{RunID: run.ID, ContactID: c.ID, Plan: "p", QuestionKey: "comment", Text: "slow", AnsweredAt: t0.Add(time.Second)},
		{RunID: other.ID, ContactID: c.ID, Plan: "p", QuestionKey: "comment", Skipped: true, AnsweredAt: t0},
	}
	update(t, db, func(tx core.Tx) error {
		for i := range answers {
			if err := tx.AddAnswer(&answers[i]); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, db, func(tx core.Tx) error {
		got, err := tx.Answers(run.ID, 0)
		if err != nil || !reflect.DeepEqual(got, answers[:2]) {
			t.Errorf("Answers(run) = %+v, %v", got, err)
		}
		if got[0].Score == nil || *got[0].Score != 0 || got[1].Score != nil {
			t.Errorf("scores did not round trip: %v %v", got[0].Score, got[1].Score)
		}
		got, err = tx.Answers(0, c.ID)
		if err != nil || !reflect.DeepEqual(got, answers) {
			t.Errorf("Answers(contact) = %+v, %v", got, err)
		}
		return nil
	})
}

// TestUpdateRunEachIndexedColumn changes one indexed column at a time: the update that
// writes only the other columns must not swallow it.
func testUpdateRunEachIndexedColumn(t *testing.T, db core.Store) {
	c := addContact(t, db, "1")
	d := addContact(t, db, "2")
	tp := core.Touchpoint{ContactID: c.ID, Stage: "delivery", OccurredAt: t0}
	update(t, db, func(tx core.Tx) error { _, err := tx.CreateTouchpoint(&tp); return err })
	changes := map[string]func(*core.SurveyRun){
		"contact":         func(r *core.SurveyRun) { r.ContactID = d.ID },
		"touchpoint":      func(r *core.SurveyRun) { r.TouchpointID = tp.ID },
		"no touchpoint":   func(r *core.SurveyRun) { r.TouchpointID = 0 },
		"state":           func(r *core.SurveyRun) { r.State = core.RunExpired },
		"due":             func(r *core.SurveyRun) { r.DueAt = r.DueAt.Add(time.Millisecond) },
		"sent":            func(r *core.SurveyRun) { r.SentAt = t0.Add(time.Hour) },
		"not sent":        func(r *core.SurveyRun) { r.SentAt = time.Time{} },
		"no indexed one":  func(r *core.SurveyRun) { r.Question++ },
		"due at once (0)": func(r *core.SurveyRun) { r.DueAt = time.Time{} },
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			r := core.SurveyRun{ContactID: c.ID, TouchpointID: tp.ID, Plan: "p", State: core.RunSent, DueAt: t0, SentAt: t0, CreatedAt: t0}
			if name == "touchpoint" {
				r.TouchpointID = 0
			}
			if name == "sent" {
				r.SentAt = time.Time{}
			}
			update(t, db, func(tx core.Tx) error { return tx.CreateRun(&r) })
			change(&r)
			r.Question++ // and a column no index holds
			update(t, db, func(tx core.Tx) error { return tx.UpdateRun(r) })
			view(t, db, func(tx core.Tx) error {
				if got, err := tx.Run(r.ID); err != nil || !reflect.DeepEqual(got, r) {
					t.Errorf("Run = %+v, %v\nwant %+v", got, err, r)
				}
				return nil
			})
		})
	}
}
