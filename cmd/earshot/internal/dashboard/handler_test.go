package dashboard

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"earshot/core"
)

// get fetches a path (or a full URL) and returns the status and body.
func (e *env) get(c *http.Client, path string) (*http.Response, string) {
	e.t.Helper()
	if !strings.HasPrefix(path, "http") {
		path = e.srv.URL + path
	}
	resp, err := c.Get(path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, string(b)
}

// post sends a form as the page's own form would (origin headers set unless overridden).
func (e *env) post(c *http.Client, path string, form url.Values, headers map[string]string) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, string(b)
}

func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("token")
}

func TestOwnerSignsInAndSeesThePage(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	link := e.link(owner)

	resp, body := e.get(c, link)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<button type="submit" class="primary">Open the owners' page</button>`) {
		t.Fatalf("the link: %d\n%s", resp.StatusCode, body)
	}
	wantHeaders(t, resp)
	resp, _ = e.get(c, link) // looking again (a link preview) spends nothing
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the link looked at twice: %d", resp.StatusCode)
	}

	resp, _ = e.post(c, "/dashboard/login", url.Values{"token": {tokenOf(t, link)}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/dashboard" {
		t.Fatalf("sign in: %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	ck := resp.Cookies()
	if len(ck) != 1 || ck[0].Name != CookieName || !ck[0].HttpOnly || ck[0].SameSite != http.SameSiteStrictMode ||
		ck[0].Path != "/dashboard" || ck[0].Secure || ck[0].MaxAge != 12*3600 {
		t.Fatalf("session cookie = %+v", ck)
	}
	if ck[0].Value == tokenOf(t, link) || len(ck[0].Value) < 40 {
		t.Fatalf("session token %q", ck[0].Value)
	}

	resp, body = e.get(c, "/dashboard")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("page: %d\n%s", resp.StatusCode, body)
	}
	wantHeaders(t, resp)
	for _, want := range []string{
		"<h1>Week 2026-W48</h1>", "Signed in as Dana", `<figure class="dimension" id="dim-courtesy">`,
		`<figure class="dimension" id="dim-welcome">`, `<svg viewBox="0 0 390 170"`, `role="img" aria-label="Courtesy, weekly average over 12 weeks`,
		`<dd id="response-rate">100 %</dd>`, `<dd id="resolve-met">0 of 0</dd>`, "Standards: acknowledge within 12 hours, resolve within 2 days.",
		"&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;", "Invoice &lt;b&gt;twice&lt;/b&gt;",
		`<option value="slack">Slack</option>`, `value="2026-W48" max="2026-W49"`, `href="/dashboard?week=2026-W47" rel="prev"`,
		`href="/dashboard?week=2026-W49" rel="next"`, "<em>nobody yet</em>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "<img") || strings.Contains(body, " style=") {
		t.Errorf("page holds markup it must not:\n%s", body)
	}
	if i, j := strings.Index(body, "C-1001"), strings.Index(body, "C-1002"); i < 0 || j < i {
		t.Errorf("open complaints not oldest first (C-1001 at %d, C-1002 at %d)", i, j)
	}

	// The stylesheet is the page's own.
	resp, css := e.get(c, "/dashboard/static/style.css")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") || !strings.Contains(css, ".charts") {
		t.Fatalf("stylesheet: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// The link works once.
	resp, body = e.get(e.client(), link)
	if resp.StatusCode != http.StatusGone || !strings.Contains(body, "used already") {
		t.Fatalf("the link a second time: %d\n%s", resp.StatusCode, body)
	}
	resp, _ = e.post(e.client(), "/dashboard/login", url.Values{"token": {tokenOf(t, link)}}, nil)
	if resp.StatusCode != http.StatusGone {
		t.Fatalf("signing in a second time: %d", resp.StatusCode)
	}

	// Signing out ends the session here and in the database.
	resp, body = e.post(c, "/dashboard/logout", nil, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "You are signed out") {
		t.Fatalf("sign out: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := e.get(c, "/dashboard"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("page after signing out: %d", resp.StatusCode)
	}
	if _, err := e.svc.DashboardViewer(e.ctx, ck[0].Value); core.ErrorCode(err) != core.EFORBIDDEN {
		t.Fatalf("the session survived signing out: %v", err)
	}
}

func wantHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	for k, v := range map[string]string{
		"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
		"Cache-Control":           "no-store",
		"Content-Type":            "text/html; charset=utf-8",
	} {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
}

func TestPageRefusals(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, tc := range []struct {
		name, cookie string
	}{{"no cookie", ""}, {"a forged cookie", "forged"}} {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/dashboard", nil)
		if tc.cookie != "" {
			req.AddCookie(&http.Cookie{Name: CookieName, Value: tc.cookie})
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "send /dashboard to the bot") {
			t.Errorf("%s: %d\n%s", tc.name, resp.StatusCode, b)
		}
	}
	if resp, _ := e.post(c, "/dashboard", nil, nil); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /dashboard: %d, want 405 (the page only reads)", resp.StatusCode)
	}
	if resp, body := e.get(c, "/dashboard/login?token=made-up"); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "not valid") {
		t.Errorf("a made-up link: %d\n%s", resp.StatusCode, body)
	}

	// A sign-in sent from another site is refused and leaves the link usable.
	link := e.link(owner)
	for _, h := range []map[string]string{{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}} {
		if resp, _ := e.post(c, "/dashboard/login", url.Values{"token": {tokenOf(t, link)}}, h); resp.StatusCode != http.StatusForbidden {
			t.Errorf("sign-in with %v: %d, want 403", h, resp.StatusCode)
		}
	}
	if err := e.svc.CheckDashboardLink(e.ctx, tokenOf(t, link)); err != nil {
		t.Errorf("a refused cross-site sign-in spent the link: %v", err)
	}

	// Someone who is not an owner gets no link.
	if _, err := e.svc.DashboardLink(e.ctx, member); core.ErrorCode(err) != core.EFORBIDDEN {
		t.Errorf("a member's link: %v", err)
	}
}

func TestSecureCookie(t *testing.T) {
	e := newEnv(t)
	h := newHandler(t, e.svc, Options{Secure: true})
	form := url.Values{"token": {tokenOf(t, e.link(owner))}}
	req := httptest.NewRequest(http.MethodPost, "/dashboard/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	ck := rec.Result().Cookies()
	if rec.Code != http.StatusSeeOther || len(ck) != 1 || !ck[0].Secure {
		t.Fatalf("sign in over https: %d, cookies %+v", rec.Code, ck)
	}
}

func TestPageFilters(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	e.post(c, "/dashboard/login", url.Values{"token": {tokenOf(t, e.link(owner))}}, nil)

	_, body := e.get(c, "/dashboard?plan=after-visit&platform=slack")
	for _, want := range []string{`id="dim-welcome"`, `<option value="after-visit" selected>`, `<option value="slack" selected>`,
		"No comments this week.", `href="/dashboard?plan=after-visit&amp;platform=slack&amp;week=2026-W47"`} {
		if !strings.Contains(body, want) {
			t.Errorf("filtered page lacks %s", want)
		}
	}
	if strings.Contains(body, `id="dim-courtesy"`) {
		t.Errorf("the after-visit plan shows courtesy, which only after-delivery asks")
	}
	for query, want := range map[string]string{
		"week=last":     "is not an ISO week",
		"week=2026-W50": "has not started yet",
		"plan=nope":     `There is no survey plan &#34;nope&#34;.`,
		"platform=irc":  "There is no platform",
	} {
		resp, body := e.get(c, "/dashboard?"+query)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("?%s: %d, want 400 saying %q\n%s", query, resp.StatusCode, want, body)
		}
	}
	if resp, body := e.get(c, "/dashboard?week=2026-W49"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "(so far)") {
		t.Errorf("this week: %d", resp.StatusCode)
	}
}
