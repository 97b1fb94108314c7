package dashboard

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
	"earshot/storage/sqlite"
)

var berlin = mustZone("Europe/Berlin")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// now is Wednesday of 2026-W49 in Berlin; the last full week is 2026-W48.
var now = time.Date(2026, 12, 2, 10, 0, 0, 0, berlin)

// hostile is a customer's comment that would run script if the page did not escape it.
const hostile = `<script>document.title='pwned'</script><img src=x onerror="document.title='pwned'">`

var (
	owner  = core.UserRef{Platform: core.Slack, ID: "UOWNER"}
	member = core.UserRef{Platform: core.Slack, ID: "UMEMBER"}
)

func settings() core.Settings {
	return core.Settings{
		Business: core.Business{Name: "Acme Bikes", Location: berlin, Language: "en"},
		Team: core.Team{Members: []core.Member{
			{Name: "Dana", Role: core.RoleOwner, Accounts: []core.UserRef{owner}},
			{Name: "Lee", Role: core.RoleMember, Accounts: []core.UserRef{member}},
		}},
		Surveys: []core.SurveyPlan{
			{Name: "after-delivery", Trigger: "delivery", LowScoreThreshold: 4, Questions: []core.Question{
				{Key: "courtesy", Type: core.Scale, Min: 1, Max: 10},
				{Key: "speed", Type: core.Scale, Min: 1, Max: 10},
				{Key: "comment", Type: core.Text, Optional: true},
			}},
			{Name: "after-visit", Trigger: "visit", Questions: []core.Question{
				{Key: "welcome", Type: core.Scale, Min: 1, Max: 5},
			}},
		},
		Complaints: core.Standards{AcknowledgeWithin: 12 * time.Hour, ResolveWithin: 48 * time.Hour, AutoCloseAfter: 72 * time.Hour},
		Platforms:  map[core.Platform]core.PlatformInfo{core.Telegram: {}, core.Slack: {}},
		PublicURL:  "http://example.invalid", // tests rewrite the host to their server's
	}
}

// env is a real service on a real SQLite file, with the page served by httptest.
type env struct {
	t     *testing.T
	ctx   context.Context
	db    *sqlite.DB
	svc   *core.Service
	clock *core.ManualClock
	srv   *httptest.Server
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, coretest.Texts(t), settings())
}

// newEnvWith is newEnv with other catalogs and settings.
func newEnvWith(t *testing.T, texts core.Texts, set core.Settings) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "earshot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	clock := core.NewManualClock(now)
	svc, err := core.NewService(core.Options{Texts: texts, Settings: set, Store: db, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: ctx, db: db, svc: svc, clock: clock}
	e.srv = httptest.NewServer(newHandler(t, svc, Options{}))
	t.Cleanup(e.srv.Close)
	e.seed()
	return e
}

// seed stores twelve weeks of answers from Telegram and Slack customers to both plans, the
// hostile comment in the last full week, and two open complaints.
func (e *env) seed() {
	e.t.Helper()
	last := core.WeekOf(now, berlin).Add(-1)
	err := e.db.Update(e.ctx, func(tx core.Tx) error {
		n := 0
		for w := range 12 {
			at := last.Add(w - 11).Start(berlin).Add(36 * time.Hour)
			for i := range 4 {
				n++
				p := core.Telegram
				if i%2 == 1 {
					p = core.Slack
				}
				ct := core.Contact{Ref: core.UserRef{Platform: p, ID: "c" + strconv.Itoa(n)}, CreatedAt: at}
				if err := tx.CreateContact(&ct); err != nil {
					return err
				}
				plan := "after-delivery"
				if i == 3 {
					plan = "after-visit"
				}
				run := core.SurveyRun{ContactID: ct.ID, Plan: plan, State: core.RunCompleted, DueAt: at, SentAt: at, CreatedAt: at}
				if err := tx.CreateRun(&run); err != nil {
					return err
				}
				add := func(key string, score int, text string) error {
					a := core.Answer{RunID: run.ID, ContactID: ct.ID, Plan: plan, QuestionKey: key, AnsweredAt: at, Text: text}
					if score > 0 {
						a.Score = &score
					}
					return tx.AddAnswer(&a)
				}
				if plan == "after-visit" {
					if err := add("welcome", 1+(w+i)%5, ""); err != nil {
						return err
					}
					continue
				}
				if err := add("courtesy", 3+(w+i)%7, ""); err != nil {
					return err
				}
				if err := add("speed", 2+(w*i)%8, ""); err != nil {
					return err
				}
				if w == 11 && i == 0 {
					if err := add("comment", 0, hostile); err != nil {
						return err
					}
				}
			}
		}
		for i, text := range []string{"Wheel arrived bent", "Invoice <b>twice</b>"} {
			opened := now.Add(-time.Duration(30-10*i) * time.Hour)
			ct := core.Contact{Ref: core.UserRef{Platform: core.Telegram, ID: "complainer" + strconv.Itoa(i)}, CreatedAt: opened}
			if err := tx.CreateContact(&ct); err != nil {
				return err
			}
			cp := core.Complaint{ContactID: ct.ID, Status: core.StatusOpen, Text: text, OpenedAt: opened,
				AckDue: opened.Add(12 * time.Hour), ResolveDue: opened.Add(48 * time.Hour)}
			if i == 1 {
				cp.Status, cp.AckAt, cp.AckBy = core.StatusAcknowledged, opened.Add(time.Hour), "Lee"
			}
			if err := tx.CreateComplaint(&cp); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// link asks for an owner's link and points it at the test server.
func (e *env) link(who core.UserRef) string {
	e.t.Helper()
	l, err := e.svc.DashboardLink(e.ctx, who)
	if err != nil {
		e.t.Fatal(err)
	}
	return strings.Replace(l, "http://example.invalid", e.srv.URL, 1)
}

// client is a browser-like HTTP client: it keeps cookies and does not follow redirects.
func (e *env) client() *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func newHandler(tb testing.TB, svc Service, o Options) *Handler {
	tb.Helper()
	h, err := New(svc, o)
	if err != nil {
		tb.Fatal(err)
	}
	return h
}
