package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/core"
)

const dashboardYAML = `
business: {name: Acme Bikes, timezone: UTC}
http: {listen: "127.0.0.1:0", api_token: "${EARSHOT_API_TOKEN}", public_url: "https://bot.acme.example"}
team:
  channel: console:team
  members:
    - {name: Sam, role: owner, accounts: [console:sam]}
surveys:
  - name: after-delivery
    trigger: delivery
    questions:
      - {key: courtesy, text: "How courteous were we?", type: scale, min: 1, max: 10}
`

// keeper is a console messenger that keeps what it is given.
type keeper struct {
	mu   sync.Mutex
	sent []core.Delivery
	ups  []core.Upload
}

// Upload keeps f (core.Uploader).
func (k *keeper) Upload(_ context.Context, _ core.ChatRef, _ bool, f core.Upload) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.ups = append(k.ups, f)
	return "u", nil
}

func (k *keeper) Platform() core.Platform { return core.Console }

func (k *keeper) Deliver(_ context.Context, d core.Delivery) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.sent = append(k.sent, d)
	return "m", nil
}

// TestServeMountsDashboard: serve answers /dashboard with the owners' page, signs an owner
// in from a link, and never logs the link's token.
func TestServeMountsDashboard(t *testing.T) {
	s := startTestServer(t, dashboardYAML, apiEnv, nil)
	ctx := context.Background()
	link, err := s.a.svc.DashboardLink(ctx, core.UserRef{Platform: core.Console, ID: "sam"})
	if err != nil {
		t.Fatal(err)
	}
	token, ok := strings.CutPrefix(link, "https://bot.acme.example/dashboard/login?token=")
	if !ok {
		t.Fatalf("link = %q", link)
	}
	if code, body := s.call(http.MethodGet, "/dashboard/login?token="+token, ""); code != http.StatusOK || !strings.Contains(body, "Open the owners' page") {
		t.Fatalf("the link: %d\n%s", code, body)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(s.base+"/dashboard/login", url.Values{"token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ck := resp.Cookies()
	if resp.StatusCode != http.StatusSeeOther || len(ck) != 1 || !ck[0].Secure {
		t.Fatalf("sign in: %d %+v (public_url is https, so the cookie is Secure)", resp.StatusCode, ck)
	}
	req, _ := http.NewRequest(http.MethodGet, s.base+"/dashboard", nil)
	req.AddCookie(ck[0])
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(body.String(), "Acme Bikes · owners' page") ||
		!strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("page: %d\n%s", resp.StatusCode, body.String())
	}
	if strings.Contains(s.log.String(), token) || strings.Contains(s.log.String(), ck[0].Value) {
		t.Fatal("a dashboard token reached the log")
	}
	if !strings.Contains(s.log.String(), `path=/dashboard/login`) {
		t.Fatalf("the request log lacks the sign-in:\n%s", s.log.String())
	}
}

// TestServeDigestCarriesChart: the digest serve sends is followed by its chart, a PNG
// uploaded through the outbox.
func TestServeDigestCarriesChart(t *testing.T) {
	k := &keeper{}
	s := startTestServer(t, dashboardYAML, apiEnv, nil, k)
	ctx := context.Background()
	at := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	err := s.a.db.Update(ctx, func(tx core.Tx) error {
		ct := core.Contact{Ref: core.UserRef{Platform: core.Console, ID: "ann"}, CreatedAt: at}
		if err := tx.CreateContact(&ct); err != nil {
			return err
		}
		run := core.SurveyRun{ContactID: ct.ID, Plan: "after-delivery", State: core.RunCompleted, DueAt: at, SentAt: at, CreatedAt: at}
		if err := tx.CreateRun(&run); err != nil {
			return err
		}
		score := 7
		return tx.AddAnswer(&core.Answer{RunID: run.ID, ContactID: ct.ID, Plan: run.Plan, QuestionKey: "courtesy", Score: &score, AnsweredAt: at})
	})
	if err != nil {
		t.Fatal(err)
	}
	sam := core.Contact{Ref: core.UserRef{Platform: core.Console, ID: "sam"}, SeenAt: at, CreatedAt: at}
	if err := s.a.db.Update(ctx, func(tx core.Tx) error { return tx.CreateContact(&sam) }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.a.svc.SendDigest(ctx, core.WeekOf(at, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.a.svc.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.sent) != 1 || len(k.ups) != 1 {
		t.Fatalf("sent %d messages and %d uploads, want the digest and its chart", len(k.sent), len(k.ups))
	}
	m, up := k.sent[0].Message, k.ups[0]
	if !strings.Contains(m.Title, "weekly digest 2026-W47") || !bytes.HasPrefix(up.Data, []byte("\x89PNG\r\n\x1a\n")) ||
		up.Name != "digest-2026-W47.png" || up.MIME != "image/png" || !strings.Contains(up.Alt, "Courtesy, weekly average over 12 weeks") {
		t.Fatalf("digest = %q, upload %+v", m.Title, up.Name)
	}
}
