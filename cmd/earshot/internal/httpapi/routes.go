package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"earshot/core"
)

// touchRequest is the body of POST /api/v1/touchpoints.
type touchRequest struct {
	Customer   string `json:"customer"`
	Stage      string `json:"stage"`
	Ref        string `json:"ref"`
	OccurredAt string `json:"occurred_at"` // RFC 3339; empty: now
	Name       string `json:"name"`
}

// touchResponse is what a touchpoint scheduled (or, replayed, had scheduled).
type touchResponse struct {
	Touchpoint touchpointJSON         `json:"touchpoint"`
	Created    bool                   `json:"created"` // false: an earlier request with the same key recorded it
	Surveys    []core.ScheduledSurvey `json:"surveys"`
	// Waiting: no chat account is linked to the business's id yet; each survey is
	// "waiting" until the customer opens an invite carrying the id.
	Waiting bool `json:"waiting,omitempty"`
}

type touchpointJSON struct {
	ID         int64     `json:"id,omitempty"` // none while waiting for a link
	Customer   string    `json:"customer"`
	Stage      string    `json:"stage"`
	Ref        string    `json:"ref,omitempty"`
	OccurredAt time.Time `json:"occurred_at"`
}

// touch records a touchpoint: 201 when new. A retry with the same Idempotency-Key and the
// same body answers exactly the bytes of the first answer (201, created: true) with the
// header Idempotent-Replayed: true; the same key with any field different is 409. Without a
// key, the same customer + stage + ref is the same touchpoint: 200 with created: false.
func (a *api) touch(w http.ResponseWriter, r *http.Request) {
	var req touchRequest
	if err := decode(w, r, a.opts.MaxBody, &req); err != nil {
		a.refuse(w, r, err)
		return
	}
	who, err := a.customerRef(req.Customer)
	if err != nil {
		a.refuse(w, r, err)
		return
	}
	if strings.TrimSpace(req.Stage) == "" {
		a.refuse(w, r, badRequest("stage is required (the touchpoint's stage, like delivery)"))
		return
	}
	var at time.Time
	if req.OccurredAt != "" {
		if at, err = time.Parse(time.RFC3339, req.OccurredAt); err != nil {
			a.refuse(w, r, badRequest("occurred_at: %q is not an RFC 3339 time (like 2026-11-20T10:00:00Z)", req.OccurredAt))
			return
		}
		if reason := CheckOccurredAt(at, a.opts.Now()); reason != "" {
			a.refuse(w, r, badRequest("occurred_at: %s", reason))
			return
		}
	}
	key := r.Header.Get("Idempotency-Key")
	res, err := a.svc.Touch(r.Context(), core.TouchRequest{Customer: who.Account, External: who.External,
		Stage: req.Stage, Ref: req.Ref, OccurredAt: at, Key: key, Name: req.Name})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	tp := res.Touchpoint
	if !res.Created && (tp.Stage != req.Stage || key != "" && !sameOccurrence(tp, at)) {
		writeError(w, http.StatusConflict, "this Idempotency-Key was already used for a different touchpoint")
		return
	}
	out := touchResponse{Created: res.Created || key != "", Waiting: res.Waiting,
		Surveys: make([]core.ScheduledSurvey, 0, len(res.Surveys)),
		Touchpoint: touchpointJSON{ID: tp.ID, Customer: who.String(), Stage: tp.Stage, Ref: tp.Ref,
			OccurredAt: stored(tp.OccurredAt)}}
	for _, sv := range res.Surveys {
		sv.DueAt = stored(sv.DueAt)
		out.Surveys = append(out.Surveys, sv)
	}
	status := http.StatusCreated
	switch {
	case !res.Created && key != "":
		w.Header().Set("Idempotent-Replayed", "true")
	case !res.Created:
		status = http.StatusOK
	}
	writeJSON(w, status, out)
}

// stored is t as the database keeps it (UTC, milliseconds), so that a first answer, made
// from the values in hand, and a replay, read back, are the same bytes.
func stored(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Millisecond)
}

// sameOccurrence reports whether a replayed request's occurred_at (zero: not given) is the
// one recorded: a touchpoint recorded without one occurred when it was created.
func sameOccurrence(tp core.Touchpoint, at time.Time) bool {
	if at.IsZero() {
		return stored(tp.OccurredAt).Equal(stored(tp.CreatedAt))
	}
	return stored(tp.OccurredAt).Equal(stored(at))
}

// CheckOccurredAt says what is wrong with a touchpoint's time, or "": more than a day
// ahead of now (a clock or time-zone mistake), or before 2000 (year 1, a zero value).
func CheckOccurredAt(at, now time.Time) string {
	switch {
	case at.After(now.Add(24 * time.Hour)):
		return fmt.Sprintf("%s is more than a day in the future", at.Format(time.RFC3339))
	case at.Year() < 2000:
		return fmt.Sprintf("%s is before the year 2000", at.Format(time.RFC3339))
	}
	return ""
}

// enabled refuses a customer on a platform this service does not run.
func (a *api) enabled(p core.Platform) error {
	if a.opts.Platforms == nil || slices.Contains(a.opts.Platforms, p) {
		return nil
	}
	on := make([]string, len(a.opts.Platforms))
	for i, q := range a.opts.Platforms {
		on[i] = string(q)
	}
	if len(on) == 0 {
		return badRequest("customer: %s is not enabled here (no platform is)", p)
	}
	return badRequest("customer: %s is not enabled here (enabled: %s)", p, strings.Join(on, ", "))
}

// inviteRequest is the body of POST /api/v1/invites.
type inviteRequest struct {
	Stage     string `json:"stage"`
	Ref       string `json:"ref"`
	Name      string `json:"name"`
	Customer  string `json:"customer"`   // the business's own id (shop:4711), linked on opening
	Uses      string `json:"uses"`       // once (default) or many
	ExpiresAt string `json:"expires_at"` // RFC 3339; empty: never
}

type inviteResponse struct {
	Token     string            `json:"token"`
	Stage     string            `json:"stage,omitempty"`
	Ref       string            `json:"ref,omitempty"`
	Customer  string            `json:"customer,omitempty"`
	Uses      core.InviteUses   `json:"uses"`
	ExpiresAt *time.Time        `json:"expires_at,omitempty"`
	Links     map[string]string `json:"links"`           // platform → link or instruction
	Notes     map[string]string `json:"notes,omitempty"` // platform → what a customer needs there
}

func (a *api) invite(w http.ResponseWriter, r *http.Request) {
	var req inviteRequest
	if err := decode(w, r, a.opts.MaxBody, &req); err != nil {
		a.refuse(w, r, err)
		return
	}
	ir := core.InviteRequest{Stage: req.Stage, Ref: req.Ref, Name: req.Name, Uses: core.InviteUses(req.Uses)}
	if req.Customer != "" {
		c, err := a.svc.ParseCustomer(req.Customer)
		if err != nil {
			a.refuse(w, r, badRequest("customer: %s", core.ErrorMessage(err)))
			return
		}
		ir.Customer = c
	}
	if req.ExpiresAt != "" {
		at, err := time.Parse(time.RFC3339, req.ExpiresAt)
		if err != nil {
			a.refuse(w, r, badRequest("expires_at: %q is not an RFC 3339 time (like 2026-12-31T23:59:00Z)", req.ExpiresAt))
			return
		}
		ir.ExpiresAt = at
	}
	inv, err := a.svc.CreateInvite(r.Context(), ir)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	links := a.opts.Links(r.Context(), inv.Token)
	if links == nil {
		links = map[string]string{}
	}
	out := inviteResponse{Token: inv.Token, Stage: inv.Stage, Ref: inv.Ref, Uses: inv.Uses, Links: links}
	if !inv.Customer.IsZero() {
		out.Customer = inv.Customer.String()
	}
	if !inv.ExpiresAt.IsZero() {
		at := stored(inv.ExpiresAt)
		out.ExpiresAt = &at
	}
	for p := range links {
		if n := a.opts.Notes[p]; n != "" {
			if out.Notes == nil {
				out.Notes = map[string]string{}
			}
			out.Notes[p] = n
		}
	}
	writeJSON(w, http.StatusCreated, out)
}

// complaints lists complaints; ?status=open|acknowledged|resolved|closed|all (default all).
func (a *api) complaints(w http.ResponseWriter, r *http.Request) {
	list, err := a.svc.Complaints(r.Context(), r.URL.Query().Get("status"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

// digestWeek returns a week's digest; ?week=2026-W47 (default: the last full week).
func (a *api) digestWeek(w http.ResponseWriter, r *http.Request) {
	week := a.svc.LastFullWeek()
	if s := r.URL.Query().Get("week"); s != "" {
		var err error
		if week, err = core.ParseWeek(s); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	d, err := a.svc.Digest(r.Context(), week)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// refuse answers a request the API turned down itself.
func (a *api) refuse(w http.ResponseWriter, r *http.Request, err error) {
	var se *statusError
	if errors.As(err, &se) {
		writeError(w, se.status, se.msg)
		return
	}
	a.fail(w, r, err)
}
