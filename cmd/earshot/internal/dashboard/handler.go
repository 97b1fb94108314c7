// Package dashboard serves the owners' page: server-rendered HTML embedded in the binary (no
// CDN, no JavaScript), with the 12-week trend of every dimension as inline SVG drawn by the
// chart package, the week's survey and complaint figures, the complaints open now and the
// lowest-scored comments, filtered by survey plan and platform.
//
// Signing in: an owner sends /dashboard to the bot and gets a one-time link
// (/dashboard/login?token=…). Opening it shows a button; pressing it (a POST, so a chat
// app's link preview spends nothing) exchanges the link for a 12-hour session cookie
// (HttpOnly, SameSite=Strict, Secure on https). The page itself only reads and answers GET;
// the two POSTs (sign in, sign out) check that they come from the page's own origin. Every
// response carries a strict Content-Security-Policy: no script, styles from the page's own
// stylesheet only.
package dashboard

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"earshot/cmd/earshot/internal/chart"
	"earshot/core"
)

// Service is what the page needs of core.
type Service interface {
	// CheckDashboardLink says whether a link would open a session, without using it.
	CheckDashboardLink(ctx context.Context, link string) error
	// OpenDashboard uses up a link and starts a session (*core.Error when it cannot).
	OpenDashboard(ctx context.Context, link string) (core.DashboardSession, error)
	// DashboardViewer returns the owner of a session; EFORBIDDEN when there is none.
	DashboardViewer(ctx context.Context, session string) (core.Member, error)
	// CloseDashboard ends a session.
	CloseDashboard(ctx context.Context, session string) error
	// Dashboard computes the page's figures; EINVALID for a bad week or filter.
	Dashboard(ctx context.Context, w core.Week, f core.ReportFilter) (core.Dashboard, error)
	// ExportDashboardAnswers writes the answers of the week and filter as CSV; EINVALID for
	// a bad week or filter, before writing.
	ExportDashboardAnswers(ctx context.Context, w core.Week, f core.ReportFilter, out io.Writer) (int, error)
	// LastFullWeek is the week shown when none is asked for.
	LastFullWeek() core.Week
	// Settings gives the business's time zone.
	Settings() core.Settings
	// Now is the service's clock.
	Now() time.Time
	// Texts are the catalogs the page's words come from.
	Texts() core.Texts
	// MemberLanguage is the language an owner reads: the page is written in it.
	MemberLanguage(m core.Member) core.Lang
}

// Options configure the handler.
type Options struct {
	// Secure marks the session cookie Secure; set it when http.public_url is https (the
	// server usually sits behind a proxy that ends TLS). A request that came over TLS gets
	// a Secure cookie either way.
	Secure bool
	Log    *slog.Logger
	Labels chart.Labels // the charts' words; when zero, the viewer's language's (chart.LabelsFor)
}

// Prefix is where the handler is mounted.
const Prefix = "/dashboard"

// CookieName is the session cookie's name.
const CookieName = "earshot_dashboard"

//go:embed templates/*.html static/*
var files embed.FS

// Handler serves the owners' page under Prefix.
type Handler struct {
	svc   Service
	opts  Options
	mux   *http.ServeMux
	pages *template.Template
	texts core.Texts
}

// New returns the handler for Prefix and everything under it.
func New(svc Service, o Options) (*Handler, error) {
	texts := svc.Texts()
	pages, err := template.New("").Funcs(template.FuncMap{"query": query, "answersLink": answersLink,
		"t": words(texts), "head": head}).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("dashboard: templates: %w", err)
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{svc: svc, opts: o, mux: http.NewServeMux(), pages: pages, texts: texts}
	h.mux.HandleFunc("GET "+Prefix, h.page)
	h.mux.HandleFunc("GET "+Prefix+"/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
	})
	h.mux.HandleFunc("GET "+Prefix+"/answers.csv", h.answers)
	h.mux.HandleFunc("GET "+Prefix+"/login", h.confirm)
	h.mux.HandleFunc("POST "+Prefix+"/login", h.login)
	h.mux.HandleFunc("POST "+Prefix+"/logout", h.logout)
	h.mux.Handle("GET "+Prefix+"/static/", http.StripPrefix(Prefix, http.FileServerFS(files)))
	return h, nil
}

// ServeHTTP sets the security headers every response carries, then routes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "same-origin") // none to other sites; a POST keeps its Origin
	if r.URL.Path != Prefix+"/static/style.css" {
		hd.Set("Cache-Control", "no-store")
	}
	h.mux.ServeHTTP(w, r)
}

// confirm shows the button that signs in with a link, or why the link cannot.
func (h *Handler) confirm(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	if err := h.svc.CheckDashboardLink(r.Context(), token); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, http.StatusOK, "login", loginView{Lang: h.texts.Default(), Business: h.svc.Settings().Business.Name, Token: token})
}

// login exchanges a link for a session cookie and shows the page.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		h.fail(w, r, h.refusal(core.EFORBIDDEN, core.KeyPageSameOrigin))
		return
	}
	sess, err := h.svc.OpenDashboard(r.Context(), r.PostFormValue("token"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: sess.Token, Path: Prefix, Expires: sess.ExpiresAt,
		MaxAge: int(sess.ExpiresAt.Sub(h.svc.Now()).Seconds()), HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: h.opts.Secure || r.TLS != nil})
	http.Redirect(w, r, Prefix, http.StatusSeeOther)
}

// logout ends the session and clears the cookie.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		h.fail(w, r, h.refusal(core.EFORBIDDEN, core.KeyPageSameOrigin))
		return
	}
	lang := h.texts.Default()
	if m, err := h.viewer(r); err == nil {
		lang = h.svc.MemberLanguage(m) // told goodbye in their language
	}
	if c, err := r.Cookie(CookieName); err == nil {
		if err := h.svc.CloseDashboard(r.Context(), c.Value); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: Prefix, MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: h.opts.Secure || r.TLS != nil})
	h.render(w, http.StatusOK, "message", messageView{Lang: lang, Title: h.texts.Text(lang, core.KeyPageSignedOut, nil),
		Text: h.texts.Text(lang, core.KeyPageSignedOutText, nil)})
}

// viewer returns the owner signed in with the request's session cookie.
func (h *Handler) viewer(r *http.Request) (core.Member, error) {
	c, err := r.Cookie(CookieName)
	if err != nil {
		return core.Member{}, h.refusal(core.EFORBIDDEN, core.KeyOwnersSignIn)
	}
	return h.svc.DashboardViewer(r.Context(), c.Value)
}

// selection reads the week (default: the last full one) and the filters from the query.
func (h *Handler) selection(r *http.Request) (core.Week, core.ReportFilter, error) {
	q := r.URL.Query()
	week := h.svc.LastFullWeek()
	if s := q.Get("week"); s != "" {
		var err error
		if week, err = core.ParseWeek(s); err != nil {
			return core.Week{}, core.ReportFilter{}, err
		}
	}
	return week, core.ReportFilter{Plan: q.Get("plan"), Platform: core.Platform(q.Get("platform"))}, nil
}

// page shows the figures to a signed-in owner.
func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	viewer, err := h.viewer(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	week, f, err := h.selection(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d, err := h.svc.Dashboard(r.Context(), week, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.view(d, viewer)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, http.StatusOK, "page", v)
}

// statuses maps core's error codes to HTTP.
var statuses = map[string]int{
	core.EINVALID:   http.StatusBadRequest,
	core.ENOTFOUND:  http.StatusNotFound,
	core.ECONFLICT:  http.StatusGone,
	core.EFORBIDDEN: http.StatusForbidden,
}

// refusal is a reason the page gives before it knows who is asking: in the business's
// language.
func (h *Handler) refusal(code string, key core.Key) error {
	return &core.Error{Code: code, Message: h.texts.Text(h.texts.Default(), key, nil)}
}

// fail shows a person why: the error's own message, or one polite line (the detail goes to
// the log), framed in the business's language.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := core.ErrorCode(err)
	status, ok := statuses[code]
	if !ok {
		status = http.StatusInternalServerError
		h.opts.Log.Error("dashboard", "path", r.URL.Path, "err", err)
	}
	lang := h.texts.Default()
	title := h.texts.Text(lang, core.KeyPageSorry, nil)
	if status == http.StatusForbidden {
		title = h.texts.Text(lang, core.KeyPageSignInNeeded, nil)
	}
	h.render(w, status, "message", messageView{Lang: lang, Title: title, Text: core.ErrorMessage(err)})
}

func (h *Handler) render(w http.ResponseWriter, status int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := h.pages.ExecuteTemplate(w, name, data); err != nil {
		h.opts.Log.Error("dashboard: render", "template", name, "err", err)
	}
}

// sameOrigin reports whether a POST comes from a page of this server. Browsers send
// Sec-Fetch-Site and Origin with every POST; a request without either (curl) is let
// through, since it carries no one's cookie by accident.
func sameOrigin(r *http.Request) bool {
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" && s != "same-origin" {
		return false
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// query builds a link to the page with one filter changed.
func query(f filterView, key, value string) string {
	v := url.Values{}
	set := map[string]string{"week": f.Week, "plan": f.Plan, "platform": f.Platform}
	set[key] = value
	for _, k := range []string{"week", "plan", "platform"} {
		if set[k] != "" {
			v.Set(k, set[k])
		}
	}
	if len(v) == 0 {
		return Prefix
	}
	return Prefix + "?" + v.Encode()
}
