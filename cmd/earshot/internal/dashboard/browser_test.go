package dashboard

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/core"
	"earshot/core/coretest"
)

// The browser tests drive a real headless Chromium (Debian's chromium package; .ci/run
// installs it). One browser serves the whole test binary; each test opens its own browser
// context, with its own cookies. Without Chromium the tests skip loudly, unless CI is set:
// then they fail, so CI never passes without them.

var browser struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	err    string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if browser.cancel != nil {
		browser.cancel()
	}
	os.Exit(code)
}

// chromiumPath finds the browser: $EARSHOT_CHROMIUM, else the usual names on PATH.
func chromiumPath() string {
	if p := os.Getenv("EARSHOT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// tab returns a fresh browser context (no cookies) in the shared browser, phone-sized.
func tab(t *testing.T) context.Context {
	t.Helper()
	browser.once.Do(func() {
		path := chromiumPath()
		if path == "" {
			browser.err = "no Chromium found (install Debian's chromium package, or set EARSHOT_CHROMIUM)"
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
			chromedp.Flag("disable-gpu", true))
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelBrowser := chromedp.NewContext(alloc)
		if err := chromedp.Do(ctx); err != nil { // starts the browser
			cancelBrowser()
			cancelAlloc()
			browser.err = "Chromium at " + path + " did not start: " + err.Error()
			return
		}
		browser.ctx = ctx
		browser.cancel = func() { cancelBrowser(); cancelAlloc() }
	})
	if browser.err != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("browser test cannot run in CI: %s", browser.err)
		}
		t.Skipf("\n\n*** SKIPPING THE BROWSER TEST: %s ***\n\n", browser.err)
	}
	ctx, cancel := chromedp.NewContext(browser.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelTimeout)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2))); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// artifacts is where screenshots go: $EARSHOT_ARTIFACTS, else the test's temporary folder.
func artifacts(t *testing.T) string {
	if dir := os.Getenv("EARSHOT_ARTIFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserOwnerFlow(t *testing.T) {
	e := newEnv(t)
	ctx := tab(t)
	link := e.link(owner)

	// The link asks first; the button signs in and shows the page.
	do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("form button.primary")))
	do(t, ctx, chromedp.Click(chromedp.CSS("form button.primary")), chromedp.WaitVisible(chromedp.ID("response-rate")))
	if loc := run(t, ctx, chromedp.Location()); loc != e.srv.URL+"/dashboard" {
		t.Errorf("after signing in the browser is at %s; the token must leave the address bar", loc)
	}
	if title := run(t, ctx, chromedp.Title()); title != "Acme Bikes · 2026-W48" {
		t.Errorf("title %q: the hostile comment ran, or the page is another", title)
	}
	// The hostile comment is text on the page, and nothing of it became an element.
	quote := run(t, ctx, chromedp.TextContent(chromedp.CSS("#comments li .quote")))
	if quote != hostile {
		t.Errorf("the comment shows as %q, want the text %q", quote, hostile)
	}
	for expr, want := range map[string]int{
		`document.scripts.length`:                                                        0,
		`document.querySelectorAll('main img').length`:                                   0,
		`document.querySelectorAll('[style]').length`:                                    0,
		`document.querySelectorAll('figure.dimension svg').length`:                       3,
		`document.querySelectorAll('svg path[stroke="#0072B2"]').length > 0 ? 1 : 0`:     1,
		`document.cookie.length`:                                                         0, // HttpOnly
		`getComputedStyle(document.querySelector('.charts')).display === 'grid' ? 1 : 0`: 1,
		`document.documentElement.scrollWidth <= window.innerWidth ? 1 : 0`:              1, // no sideways scrolling on a phone
	} {
		if got := run(t, ctx, chromedp.Evaluate[int](expr)); got != want {
			t.Errorf("%s = %d, want %d", expr, got, want)
		}
	}
	// Every form control has a label, every chart a name.
	if n := run(t, ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('select, input:not([type=hidden])')].filter(el => !el.labels || el.labels.length === 0).length`)); n != 0 {
		t.Errorf("%d form controls without a label", n)
	}
	if n := run(t, ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('svg')].filter(s => s.getAttribute('role') !== 'img' || !s.getAttribute('aria-label')).length`)); n != 0 {
		t.Errorf("%d charts without role=img and a label", n)
	}

	shot := run(t, ctx, chromedp.FullScreenshot(90))
	path := filepath.Join(artifacts(t), "dashboard-phone.jpg")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the page at 390 px: %s", path)

	// The filters work without JavaScript: a plain GET form.
	do(t, ctx, chromedp.SetValue(chromedp.ID("platform"), "slack"), chromedp.Submit(chromedp.ID("platform")),
		chromedp.WaitReady(chromedp.CSS(`#platform option[value="slack"][selected]`)))
	if loc := run(t, ctx, chromedp.Location()); !strings.Contains(loc, "platform=slack") {
		t.Errorf("after filtering the browser is at %s", loc)
	}

	// The link a second time, in another browser, is refused.
	other := tab(t)
	do(t, other, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("p.message")))
	if msg := run(t, other, chromedp.Text(chromedp.CSS("p.message"))); !strings.Contains(msg, "used already") {
		t.Errorf("the link a second time says %q", msg)
	}
	// That browser has no session: the page asks to sign in.
	do(t, other, chromedp.Navigate(e.srv.URL+"/dashboard"), chromedp.WaitVisible(chromedp.CSS("p.message")))
	if msg := run(t, other, chromedp.Text(chromedp.CSS("p.message"))); !strings.Contains(msg, "send /dashboard to the bot") {
		t.Errorf("without a session the page says %q", msg)
	}

	// Signing out.
	do(t, ctx, chromedp.Click(chromedp.CSS("header form button")), chromedp.WaitVisible(chromedp.CSS("p.message")))
	do(t, ctx, chromedp.Navigate(e.srv.URL+"/dashboard"), chromedp.WaitVisible(chromedp.CSS("p.message")))
	if msg := run(t, ctx, chromedp.Text(chromedp.CSS("h1"))); msg != "Sign in needed" {
		t.Errorf("after signing out the page says %q", msg)
	}
}

// TestBrowserNonOwnerRefused: a member gets no link, and a session made before an owner
// was demoted opens nothing.
func TestBrowserNonOwnerRefused(t *testing.T) {
	e := newEnv(t)
	if _, err := e.svc.DashboardLink(e.ctx, member); core.ErrorCode(err) != core.EFORBIDDEN ||
		core.ErrorMessage(err) != "Sorry, the owners' page is only for the business's owners." {
		t.Fatalf("a member's /dashboard: %v", err)
	}
	link := e.link(owner)
	set := settings()
	set.Team.Members[0].Role = core.RoleMember // the owner is demoted before opening the link
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(t), Settings: set, Store: e.db, Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Config.Handler = newHandler(t, svc, Options{})
	ctx := tab(t)
	do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("p.message")))
	if msg := run(t, ctx, chromedp.Text(chromedp.CSS("p.message"))); !strings.Contains(msg, "only for the business's owners") {
		t.Errorf("a demoted owner's link says %q", msg)
	}
}
