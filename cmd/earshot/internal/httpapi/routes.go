package httpapi

import (
	"errors"
	"net/http"
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
}

type touchpointJSON struct {
	ID         int64     `json:"id"`
	Customer   string    `json:"customer"`
	Stage      string    `json:"stage"`
	Ref        string    `json:"ref,omitempty"`
	OccurredAt time.Time `json:"occurred_at"`
}

// touch records a touchpoint: 201 when new, 200 with the same body when the Idempotency-Key
// (or customer + stage + ref) had been seen.
func (a *api) touch(w http.ResponseWriter, r *http.Request) {
	var req touchRequest
	if err := decode(w, r, a.opts.MaxBody, &req); err != nil {
		a.refuse(w, r, err)
		return
	}
	if strings.TrimSpace(req.Customer) == "" {
		a.refuse(w, r, badRequest("customer is required (PLATFORM:ID, like telegram:123456789)"))
		return
	}
	who, err := core.ParseUserRef(req.Customer)
	if err != nil {
		a.refuse(w, r, badRequest("customer: %s", core.ErrorMessage(err)))
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
	}
	res, err := a.svc.Touch(r.Context(), core.TouchRequest{Customer: who, Stage: req.Stage, Ref: req.Ref,
		OccurredAt: at, Key: r.Header.Get("Idempotency-Key"), Name: req.Name})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if !res.Created && res.Touchpoint.Stage != req.Stage {
		writeError(w, http.StatusConflict, "this Idempotency-Key was already used for a different touchpoint")
		return
	}
	out := touchResponse{Created: res.Created, Surveys: res.Surveys,
		Touchpoint: touchpointJSON{ID: res.Touchpoint.ID, Customer: who.String(), Stage: res.Touchpoint.Stage,
			Ref: res.Touchpoint.Ref, OccurredAt: res.Touchpoint.OccurredAt}}
	if out.Surveys == nil {
		out.Surveys = []core.ScheduledSurvey{}
	}
	status := http.StatusCreated
	if !res.Created {
		status = http.StatusOK
	}
	writeJSON(w, status, out)
}

// inviteRequest is the body of POST /api/v1/invites.
type inviteRequest struct {
	Stage string `json:"stage"`
	Ref   string `json:"ref"`
	Name  string `json:"name"`
}

type inviteResponse struct {
	Token string            `json:"token"`
	Stage string            `json:"stage,omitempty"`
	Ref   string            `json:"ref,omitempty"`
	Links map[string]string `json:"links"` // platform → link or instruction
}

func (a *api) invite(w http.ResponseWriter, r *http.Request) {
	var req inviteRequest
	if err := decode(w, r, a.opts.MaxBody, &req); err != nil {
		a.refuse(w, r, err)
		return
	}
	inv, err := a.svc.CreateInvite(r.Context(), core.InviteRequest{Stage: req.Stage, Ref: req.Ref, Name: req.Name})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	links := a.opts.Links(r.Context(), inv.Token)
	if links == nil {
		links = map[string]string{}
	}
	writeJSON(w, http.StatusCreated, inviteResponse{Token: inv.Token, Stage: inv.Stage, Ref: inv.Ref, Links: links})
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
