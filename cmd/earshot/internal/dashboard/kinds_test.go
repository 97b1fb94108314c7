package dashboard

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
	"earshot/storage/sqlite"
)

// TestPageShowsEachKindsFigures: an NPS with its split and chart, a CSAT, and a multiple
// choice's picks, as the owner reads them on the page.
func TestPageShowsEachKindsFigures(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "earshot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	set := settings()
	questions := []core.Question{
		{Key: "nps", Type: core.NPS, Min: 0, Max: 10},
		{Key: "csat", Type: core.CSAT, Min: 1, Max: 5},
		{Key: "reason", Type: core.ChoiceType, Multiple: true,
			Options: []core.Option{{Key: "delivery", Label: "Delivery"}, {Key: "staff", Label: "Our staff"}}},
	}
	set.Surveys = []core.SurveyPlan{{Name: "nps", Trigger: "delivery", Questions: questions}}
	clock := core.NewManualClock(now)
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(t), Settings: set, Store: db, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: ctx, db: db, svc: svc, clock: clock}
	e.srv = httptest.NewServer(newHandler(t, svc, Options{}))
	t.Cleanup(e.srv.Close)

	last := core.WeekOf(now, berlin).Add(-1)
	at := last.Start(berlin).Add(30 * time.Hour)
	answers := []struct {
		key   string
		score int
		text  string
	}{{"nps", 10, ""}, {"nps", 9, ""}, {"nps", 8, ""}, {"nps", 2, ""}, {"nps", 10, ""},
		{"csat", 5, ""}, {"csat", 4, ""}, {"csat", 1, ""}, {"csat", 4, ""},
		{"reason", 0, "delivery,staff"}, {"reason", 0, "staff"}}
	err = db.Update(ctx, func(tx core.Tx) error {
		for i, a := range answers {
			ct := core.Contact{Ref: core.UserRef{Platform: core.Telegram, ID: "k" + strconv.Itoa(i)}, CreatedAt: at}
			if err := tx.CreateContact(&ct); err != nil {
				return err
			}
			run := core.SurveyRun{ContactID: ct.ID, Plan: "nps", State: core.RunCompleted, DueAt: at, SentAt: at,
				CreatedAt: at, Questions: questions}
			if err := tx.CreateRun(&run); err != nil {
				return err
			}
			ans := core.Answer{RunID: run.ID, ContactID: ct.ID, Plan: "nps", QuestionKey: a.key, Text: a.text, AnsweredAt: at}
			if a.text == "" {
				ans.Score = &a.score
			}
			if err := tx.AddAnswer(&ans); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	link := e.link(owner)
	if resp, _ := e.post(c, "/dashboard/login", url.Values{"token": {tokenOf(t, link)}}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", resp.StatusCode)
	}
	resp, body := e.get(c, "/dashboard?week="+last.String())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("page: %d\n%s", resp.StatusCode, body)
	}
	// NPS: 3 promoters, 1 passive, 1 detractor of 5 = 60 % − 20 % = 40. CSAT: 3 of 4 = 75 %.
	for _, want := range []string{
		`<figure class="dimension" id="dim-nps">`, `<span class="latest">&#43;40<span class="soft"> NPS, −100 to 100</span>`,
		`<span class="split">3 promoters · 1 passives · 1 detractors</span>`,
		`<figure class="dimension" id="dim-csat">`, `<span class="latest">75<span class="soft"> % satisfied</span>`,
		`<span class="split">3 of 4 answers 4 or 5</span>`,
		`<figure class="choice" id="choice-reason">`, "2 answers this week; each may pick several options",
		`<tr><th scope="row">Delivery</th><td>1</td><td>0</td><td>50 %</td></tr>`,
		`<tr><th scope="row">Our staff</th><td>2</td><td>0</td><td>100 %</td></tr>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, `id="dim-reason"`) {
		t.Error("the choice is drawn as a trend chart")
	}
}
