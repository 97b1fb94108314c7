package core_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
)

func TestDashboardFigures(t *testing.T) {
	e := busyWeek(t)
	week := core.WeekOf(start, berlin)
	d, err := e.svc.Dashboard(e.ctx, week, core.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	dg, err := e.svc.Digest(e.ctx, week)
	if err != nil {
		t.Fatal(err)
	}
	tr := d.Trend
	if len(tr.Weeks) != core.TrendWeeks || tr.Weeks[11] != "2026-W47" || tr.Weeks[0] != "2026-W36" {
		t.Fatalf("weeks = %v", tr.Weeks)
	}
	if len(tr.Dimensions) != 2 || tr.Dimensions[0].Key != "courtesy" || tr.Dimensions[1].Key != "speed" {
		t.Fatalf("dimensions = %+v", tr.Dimensions)
	}
	c := tr.Dimensions[0]
	latest, previous := c.Last()
	if *latest != *dg.Dimensions[0].Average || *previous != *dg.Dimensions[0].Previous || c.Responses[11] != 2 ||
		c.Values[9] != nil || c.Min != 1 || c.Max != 10 || c.Threshold != 4 || c.Kind != core.Scale {
		t.Fatalf("courtesy = %+v; digest %+v", c, dg.Dimensions[0])
	}
	if d.Surveys.Sent != dg.Surveys.Sent || d.Surveys.Answered != dg.Surveys.Answered || *d.Surveys.ResponseRate != 0.67 {
		t.Fatalf("surveys = %+v, digest %+v", d.Surveys, dg.Surveys)
	}
	if d.Complaints.Opened != 2 || *d.Complaints.AckWithinPct != 50 || d.ResolveWithinStandard != 1 ||
		d.Standards.AcknowledgeWithin != 12*time.Hour {
		t.Fatalf("complaints = %+v", d.Complaints)
	}
	if len(d.Open) != 1 || d.Open[0].Ref != "C-1002" || d.Open[0].Owner != "" || d.Open[0].Age != 3*time.Hour ||
		d.Open[0].Platform != core.Console || d.Open[0].Excerpt != "My invoice is wrong" {
		t.Fatalf("open = %+v", d.Open)
	}
	if len(d.Comments) != 2 || d.Comments[0].Text != "Courier was rude." {
		t.Fatalf("comments = %+v", d.Comments)
	}
	if len(d.Plans) != 1 || d.Plans[0] != "after-delivery" {
		t.Fatalf("plans = %v", d.Plans)
	}

	// Twelve hours on, the open complaint has missed its acknowledgement standard.
	e.advance(10 * time.Hour)
	d, _ = e.svc.Dashboard(e.ctx, week, core.ReportFilter{})
	if d.Open[0].Overdue != "acknowledge" {
		t.Errorf("overdue = %q after 13 hours, want acknowledge", d.Open[0].Overdue)
	}

	// Filters keep what matches: all of it on the customers' platform, none elsewhere.
	same, err := e.svc.Dashboard(e.ctx, week, core.ReportFilter{Plan: "after-delivery", Platform: core.Console})
	if err != nil {
		t.Fatal(err)
	}
	if *same.Trend.Dimensions[0].Values[11] != 5.5 || same.Surveys.Sent != 3 || len(same.Comments) != 2 ||
		same.Complaints.Opened != 1 || len(same.Open) != 0 {
		// The plan filter keeps only the complaint that came from a survey (C-1001).
		t.Fatalf("filtered to the customers' plan and platform: %+v", same)
	}
	other, err := e.svc.Dashboard(e.ctx, week, core.ReportFilter{Platform: core.Telegram})
	if err != nil {
		t.Fatal(err)
	}
	if other.Trend.Dimensions[0].Values[11] != nil || other.Surveys.Sent != 0 || len(other.Comments) != 0 ||
		other.Complaints.Opened != 0 || len(other.Open) != 0 || len(other.Trend.Dimensions) != 2 {
		t.Fatalf("filtered to a platform without customers: %+v", other)
	}
}

func TestDashboardRefusesBadInput(t *testing.T) {
	e := newEnv(t, nil)
	now := core.WeekOf(start, berlin)
	for _, tc := range []struct {
		w    core.Week
		f    core.ReportFilter
		want string
	}{
		{now, core.ReportFilter{Plan: "nope"}, `There is no survey plan "nope".`},
		{now, core.ReportFilter{Platform: "irc"}, `There is no platform "irc".`},
		{now.Add(1), core.ReportFilter{}, "Week 2026-W48 has not started yet."},
	} {
		_, err := e.svc.Dashboard(e.ctx, tc.w, tc.f)
		if core.ErrorCode(err) != core.EINVALID || core.ErrorMessage(err) != tc.want {
			t.Errorf("Dashboard(%v, %+v) = %v; want EINVALID %q", tc.w, tc.f, err, tc.want)
		}
	}
	// A week with nothing yet still lists every dimension, without values.
	d, err := e.svc.Dashboard(e.ctx, now, core.ReportFilter{})
	if err != nil || len(d.Trend.Dimensions) != 2 || d.Trend.Dimensions[1].Values[11] != nil || d.Surveys.ResponseRate != nil {
		t.Fatalf("empty dashboard = %+v, %v", d, err)
	}
}

func TestDashboardSignIn(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) { s.PublicURL = "https://bot.example.com" })
	sam, lee := user("sam"), user("lee")

	if _, err := e.svc.DashboardLink(e.ctx, lee); core.ErrorCode(err) != core.EFORBIDDEN ||
		!strings.Contains(core.ErrorMessage(err), "only for the business's owners") {
		t.Fatalf("a member asked: %v; want a polite EFORBIDDEN", err)
	}
	if _, err := e.svc.DashboardLink(e.ctx, user("stranger")); core.ErrorCode(err) != core.EFORBIDDEN {
		t.Fatalf("a customer asked: %v; want EFORBIDDEN", err)
	}
	link, err := e.svc.DashboardLink(e.ctx, sam)
	if err != nil {
		t.Fatal(err)
	}
	token, ok := strings.CutPrefix(link, "https://bot.example.com/dashboard/login?token=")
	if !ok || len(token) < 40 {
		t.Fatalf("link = %q", link)
	}
	// Only a hash is stored: the token itself finds nothing.
	err = e.db.View(e.ctx, func(tx core.Tx) error { _, err := tx.DashboardToken(token); return err })
	if !core.IsNotFound(err) {
		t.Fatalf("the token itself is a stored key: %v", err)
	}

	if err := e.svc.CheckDashboardLink(e.ctx, token); err != nil {
		t.Fatalf("a fresh link: %v", err)
	}
	sess, err := e.svc.OpenDashboard(e.ctx, token)
	if err != nil || sess.Member != "Sam" || !sess.ExpiresAt.Equal(start.Add(12*time.Hour)) || sess.Token == token {
		t.Fatalf("OpenDashboard = %+v, %v", sess, err)
	}
	for _, use := range []func() error{
		func() error { return e.svc.CheckDashboardLink(e.ctx, token) },
		func() error { _, err := e.svc.OpenDashboard(e.ctx, token); return err },
	} {
		if err := use(); core.ErrorCode(err) != core.ECONFLICT || !strings.Contains(core.ErrorMessage(err), "used already") {
			t.Fatalf("the link a second time: %v", err)
		}
	}
	if _, err := e.svc.OpenDashboard(e.ctx, "made-up"); !core.IsNotFound(err) {
		t.Fatalf("a made-up link: %v", err)
	}
	if _, err := e.svc.OpenDashboard(e.ctx, sess.Token); !core.IsNotFound(err) {
		t.Fatalf("a session token used as a link: %v", err)
	}
	if m, err := e.svc.DashboardViewer(e.ctx, sess.Token); err != nil || m.Name != "Sam" {
		t.Fatalf("viewer = %+v, %v", m, err)
	}
	if _, err := e.svc.DashboardViewer(e.ctx, token); core.ErrorCode(err) != core.EFORBIDDEN {
		t.Fatalf("a link used as a session: %v", err)
	}

	// A link left for 15 minutes has expired.
	late, err := e.svc.DashboardLink(e.ctx, sam)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(core.DashboardLinkTTL)
	_, lateToken, _ := strings.Cut(late, "token=")
	if _, err := e.svc.OpenDashboard(e.ctx, lateToken); !strings.Contains(core.ErrorMessage(err), "expired") {
		t.Fatalf("a 15-minute-old link: %v", err)
	}

	// Signing out ends the session; so do 12 hours.
	second, _ := e.svc.DashboardLink(e.ctx, sam)
	_, secondToken, _ := strings.Cut(second, "token=")
	sess2, err := e.svc.OpenDashboard(e.ctx, secondToken)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.CloseDashboard(e.ctx, sess.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.DashboardViewer(e.ctx, sess.Token); core.ErrorCode(err) != core.EFORBIDDEN {
		t.Fatalf("after signing out: %v", err)
	}
	if _, err := e.svc.DashboardViewer(e.ctx, sess2.Token); err != nil {
		t.Fatalf("signing out of one session ended another: %v", err)
	}
	e.clock.Advance(core.DashboardSessionTTL)
	if _, err := e.svc.DashboardViewer(e.ctx, sess2.Token); core.ErrorCode(err) != core.EFORBIDDEN {
		t.Fatalf("a 12-hour-old session: %v", err)
	}
}

// TestDashboardSessionEndsWhenOwnerIsNoLonger: the configuration is read at every request,
// so an owner made a member (and restarted) loses the page at once.
func TestDashboardSessionEndsWhenOwnerIsNoLonger(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) { s.PublicURL = "http://localhost:8080" })
	link, err := e.svc.DashboardLink(e.ctx, user("sam"))
	if err != nil {
		t.Fatal(err)
	}
	_, token, _ := strings.Cut(link, "token=")
	sess, err := e.svc.OpenDashboard(e.ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	e.set.Team.Members[0].Role = core.RoleMember
	e.restart()
	if _, err := e.svc.DashboardViewer(e.ctx, sess.Token); core.ErrorCode(err) != core.EFORBIDDEN {
		t.Fatalf("a demoted owner's session: %v", err)
	}
}

func TestDashboardNeedsPublicURL(t *testing.T) {
	e := newEnv(t, nil)
	_, err := e.svc.DashboardLink(e.ctx, user("sam"))
	if core.ErrorCode(err) != core.EINVALID || !strings.Contains(core.ErrorMessage(err), "Set http.public_url") {
		t.Fatalf("without http.public_url: %v", err)
	}
	// A non-owner learns nothing about the configuration.
	if _, err := e.svc.DashboardLink(e.ctx, user("lee")); core.ErrorCode(err) != core.EFORBIDDEN {
		t.Fatalf("a member without http.public_url: %v", err)
	}
}

func TestDashboardCommand(t *testing.T) {
	e := newEnv(t, func(s *core.Settings) { s.PublicURL = "https://bot.example.com" })
	cmd := func(who string, direct, inline bool) (core.Message, error) {
		var m core.Message
		in := core.Incoming{From: user(who), Chat: e.set.Team.Channel, Direct: direct, Inline: inline, Text: "/dashboard"}
		if direct {
			in.Chat = core.ChatRef(user(who))
		}
		err := e.db.Update(e.ctx, func(tx core.Tx) error {
			var err error
			m, err = e.svc.DashboardCommand(tx, in, e.clock.Now())
			return err
		})
		return m, err
	}
	for _, where := range []struct {
		name           string
		direct, inline bool
	}{{"in private", true, false}, {"as an ephemeral reply in a channel", false, true}} {
		m, err := cmd("sam", where.direct, where.inline)
		if err != nil || !strings.Contains(m.Text, "https://bot.example.com/dashboard/login?token=") {
			t.Fatalf("owner %s: %+v, %v", where.name, m, err)
		}
	}
	if _, err := cmd("sam", false, false); core.ErrorCode(err) != core.EFORBIDDEN || !strings.Contains(core.ErrorMessage(err), "private chat") {
		t.Fatalf("owner in a group: %v", err)
	}
	if _, err := cmd("lee", true, false); core.ErrorCode(err) != core.EFORBIDDEN {
		t.Fatalf("member: %v", err)
	}
}

// chartRecorder is a ChartRenderer that keeps what it was asked to draw.
type chartRecorder struct {
	got []core.Trend
	err error
}

func (r *chartRecorder) TrendImage(t core.Trend) (core.Image, error) {
	r.got = append(r.got, t)
	if r.err != nil {
		return core.Image{}, r.err
	}
	return core.Image{Name: "digest-" + t.Weeks[len(t.Weeks)-1] + ".png", PNG: []byte("\x89PNG\r\n\x1a\nfake"), Alt: "alt"}, nil
}

// uploadingMessenger is the env's messenger with core.Uploader: an upload is recorded as a
// delivery of a picture (Title the caption), and one over limit bytes is refused for good.
type uploadingMessenger struct {
	*fakeMessenger
	limit int
}

func (u *uploadingMessenger) Upload(ctx context.Context, to core.ChatRef, dm bool, f core.Upload) (string, error) {
	if u.limit > 0 && len(f.Data) > u.limit {
		return "", &core.DeliveryError{Kind: core.DeliveryPermanent, Reason: "Request Entity Too Large"}
	}
	img := &core.Image{Name: f.Name, PNG: f.Data, Alt: f.Alt}
	return u.Deliver(ctx, core.Delivery{To: to, DM: dm, Message: core.Message{Title: f.Caption, Image: img}})
}

// withCharts gives the env's service a chart renderer, and its messenger uploads refusing
// files over limit bytes (0: none).
func (e *env) withCharts(r core.ChartRenderer, limit int) {
	e.t.Helper()
	up := &uploadingMessenger{fakeMessenger: e.msgr, limit: limit}
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(e.t), Settings: e.set, Store: e.db, Clock: e.clock,
		Messengers: []core.Messenger{up}, Workers: 1, Random: func(n int64) int64 { return n / 2 }, Charts: r})
	if err != nil {
		e.t.Fatal(err)
	}
	e.svc = svc
}

func TestDigestCarriesChart(t *testing.T) {
	e := busyWeek(t)
	rec := &chartRecorder{}
	e.withCharts(rec, 0)
	week := core.WeekOf(start, berlin)
	if _, err := e.svc.SendDigest(e.ctx, week); err != nil {
		t.Fatal(err)
	}
	e.flush()
	got := e.msgr.to("sam")
	text, pic := got[len(got)-2].Message, got[len(got)-1].Message
	if !strings.Contains(text.Title, "weekly digest 2026-W47") || text.Image != nil {
		t.Fatalf("text digest = %+v", text)
	}
	if pic.Image == nil || pic.Image.Name != "digest-2026-W47.png" || !strings.HasPrefix(string(pic.Image.PNG), "\x89PNG") ||
		pic.Title != "Scores, the 12 weeks to 2026-W47" || pic.Image.Alt != "alt" {
		t.Fatalf("chart after the digest = %+v", pic)
	}
	if len(rec.got) != 1 || len(rec.got[0].Weeks) != core.TrendWeeks || len(rec.got[0].Dimensions) != 2 {
		t.Fatalf("renderer asked for %+v", rec.got)
	}

	// A chart that cannot be drawn leaves the digest as text; it is still sent.
	rec.err = errors.New("no fonts")
	if _, err := e.svc.SendDigest(e.ctx, week); err != nil {
		t.Fatal(err)
	}
	e.flush()
	got = e.msgr.to("sam")
	if last := got[len(got)-1].Message; last.Image != nil || !strings.Contains(last.Title, "weekly digest") {
		t.Fatalf("digest after a failed chart = %+v", last)
	}

	// An empty week's one line comes without a chart.
	rec.err, rec.got = nil, nil
	if _, err := e.svc.SendDigest(e.ctx, core.Week{Year: 2026, Num: 30}); err != nil {
		t.Fatal(err)
	}
	e.flush()
	got = e.msgr.to("sam")
	if last := got[len(got)-1].Message; last.Image != nil || len(rec.got) != 0 {
		t.Fatalf("empty week's digest = %+v", last)
	}
}

// TestScheduledDigestCarriesChart: the weekly job draws the chart before its write
// transaction and sends it with the digest.
func TestScheduledDigestCarriesChart(t *testing.T) {
	e := busyWeek(t)
	rec := &chartRecorder{}
	e.withCharts(rec, 0)
	if _, err := e.svc.CatchUpDigests(e.ctx, weekly{}); err != nil { // starts the cursor
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, berlin))
	if week, err := e.svc.CatchUpDigests(e.ctx, weekly{}); err != nil || week != "2026-W47" {
		t.Fatalf("queued %q, %v", week, err)
	}
	e.flush()
	got := e.msgr.to("sam")
	text, pic := got[len(got)-2].Message, got[len(got)-1].Message
	if !strings.Contains(text.Title, "weekly digest 2026-W47") || pic.Image == nil || pic.Image.Name != "digest-2026-W47.png" {
		t.Fatalf("scheduled digest = %q, chart %+v", text.Title, pic.Image)
	}
	if len(rec.got) != 1 || rec.got[0].Weeks[11] != "2026-W47" {
		t.Fatalf("renderer asked for %+v", rec.got)
	}
}

// TestDigestChartRefusedLeavesTheText: the chart goes as its own outbox message after the
// text, so an upload the platform refuses for good is a dead letter with its reason while
// the text digest is delivered once; a platform that cannot upload at all says so in the
// dead letter.
func TestDigestChartRefusedLeavesTheText(t *testing.T) {
	for _, tc := range []struct {
		name   string
		upload bool
		reason string
	}{
		{"too large", true, "Request Entity Too Large"},
		{"no uploads", false, "cannot send pictures"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := busyWeek(t)
			if tc.upload {
				e.withCharts(&chartRecorder{}, 4) // the fake PNG is longer than 4 bytes
			} else {
				svc, err := core.NewService(core.Options{Texts: coretest.Texts(t), Settings: e.set, Store: e.db, Clock: e.clock,
					Messengers: []core.Messenger{e.msgr}, Workers: 1, Charts: &chartRecorder{}})
				if err != nil {
					t.Fatal(err)
				}
				e.svc = svc
			}
			before := len(e.msgr.to("sam"))
			if _, err := e.svc.SendDigest(e.ctx, core.WeekOf(start, berlin)); err != nil {
				t.Fatal(err)
			}
			e.flush()
			e.clock.Advance(time.Hour)
			e.flush()
			got := e.msgr.to("sam")[before:]
			if len(got) != 1 || !strings.Contains(got[0].Message.Title, "weekly digest 2026-W47") || got[0].Message.Image != nil {
				t.Fatalf("delivered %+v, want the text digest once", got)
			}
			var dead []core.OutboxMessage
			if err := e.db.View(e.ctx, func(tx core.Tx) error {
				for id := int64(1); ; id++ { // every outbox message, by its ids in order
					m, err := tx.OutboxMessage(id)
					if core.IsNotFound(err) {
						return nil
					} else if err != nil {
						return err
					}
					if m.State == core.OutboxDead {
						dead = append(dead, m)
					}
				}
			}); err != nil {
				t.Fatal(err)
			}
			if len(dead) != 1 || dead[0].Message.Image == nil || !strings.Contains(dead[0].LastError, tc.reason) {
				t.Fatalf("dead letters = %+v, want the chart with %q", dead, tc.reason)
			}
		})
	}
}
