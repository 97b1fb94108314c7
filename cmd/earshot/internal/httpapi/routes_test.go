package httpapi

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

func TestTouchpoint(t *testing.T) {
	e := newEnv(t, Options{APIToken: token})
	rec := e.do("POST", "/api/v1/touchpoints",
		`{"customer":"console:maria","stage":"delivery","ref":"A-17","occurred_at":"2026-11-25T09:00:00Z","name":"Maria"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("status = %d, want 201: %s", rec.Code, rec.Body)
	}
	got := decodeBody[touchResponse](t, rec)
	if !got.Created || got.Touchpoint.Customer != "console:maria" || got.Touchpoint.Stage != "delivery" ||
		got.Touchpoint.Ref != "A-17" || !got.Touchpoint.OccurredAt.Equal(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("touchpoint = %+v", got)
	}
	if len(got.Surveys) != 1 || got.Surveys[0].Plan != "after-delivery" || got.Surveys[0].State != core.RunScheduled ||
		got.Surveys[0].RunID == 0 {
		t.Fatalf("surveys = %+v, want after-delivery scheduled", got.Surveys)
	}

	// The same customer soon after: the throttle is 0, so another is scheduled; opting out
	// would skip. A skipped survey carries its reason.
	if err := e.db.Update(context.Background(), func(tx core.Tx) error {
		ct, err := tx.ContactByRef(core.UserRef{Platform: core.Console, ID: "maria"})
		if err != nil {
			return err
		}
		ct.OptedOutAt = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
		return tx.UpdateContact(ct)
	}); err != nil {
		t.Fatal(err)
	}
	rec = e.do("POST", "/api/v1/touchpoints", `{"customer":"console:maria","stage":"delivery","ref":"A-18"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("status = %d: %s", rec.Code, rec.Body)
	}
	skipped := decodeBody[touchResponse](t, rec).Surveys
	if len(skipped) != 1 || skipped[0].State != core.RunSkipped || !strings.Contains(skipped[0].Reason, "opted out") {
		t.Errorf("surveys = %+v, want one skipped: opted out", skipped)
	}
	// The raw JSON uses the documented names.
	for _, k := range []string{`"surveys"`, `"plan"`, `"state": "skipped"`, `"reason"`, `"due_at"`, `"touchpoint"`} {
		if !strings.Contains(rec.Body.String(), k) {
			t.Errorf("body lacks %s: %s", k, rec.Body)
		}
	}
}

// runs counts the survey runs and touchpoints recorded for a customer.
func (e *env) runs(customer string) (runs int) {
	e.t.Helper()
	ref, _ := core.ParseUserRef(customer)
	err := e.db.View(context.Background(), func(tx core.Tx) error {
		ct, err := tx.ContactByRef(ref)
		if err != nil {
			return err
		}
		list, err := tx.Runs(core.RunFilter{ContactID: ct.ID})
		runs = len(list)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return runs
}

func TestTouchpointIdempotent(t *testing.T) {
	e := newEnv(t, Options{APIToken: token})
	post := func(body string, hdr ...string) touchResponse {
		t.Helper()
		rec := e.do("POST", "/api/v1/touchpoints", body, hdr...)
		if rec.Code != http.StatusCreated && rec.Code != http.StatusOK {
			t.Fatalf("status = %d: %s", rec.Code, rec.Body)
		}
		res := decodeBody[touchResponse](t, rec)
		if res.Created != (rec.Code == http.StatusCreated) {
			t.Errorf("status %d with created=%v", rec.Code, res.Created)
		}
		return res
	}

	t.Run("same Idempotency-Key twice", func(t *testing.T) {
		body := `{"customer":"console:a","stage":"delivery"}` // no ref: only the key dedupes
		rec1 := e.do("POST", "/api/v1/touchpoints", body, "Idempotency-Key", "order-1-delivered")
		rec2 := e.do("POST", "/api/v1/touchpoints", body, "Idempotency-Key", "order-1-delivered")
		// A replay answers the first answer again, byte for byte, and says it is a replay.
		if rec1.Code != http.StatusCreated || rec2.Code != rec1.Code || rec2.Body.String() != rec1.Body.String() {
			t.Fatalf("first %d %s\nreplay %d %s", rec1.Code, rec1.Body, rec2.Code, rec2.Body)
		}
		if rec2.Header().Get("Idempotent-Replayed") != "true" || rec1.Header().Get("Idempotent-Replayed") != "" {
			t.Errorf("Idempotent-Replayed: first %q, replay %q", rec1.Header().Get("Idempotent-Replayed"), rec2.Header().Get("Idempotent-Replayed"))
		}
		first, again := decodeBody[touchResponse](t, rec1), decodeBody[touchResponse](t, rec2)
		if again.Touchpoint.ID != first.Touchpoint.ID || len(again.Surveys) != 1 ||
			again.Surveys[0].RunID != first.Surveys[0].RunID {
			t.Errorf("replay = %+v, want the first touchpoint and run %+v", again, first)
		}
		if n := e.runs("console:a"); n != 1 {
			t.Errorf("runs = %d, want 1", n)
		}
		// A new key is a new touchpoint.
		if third := post(body, "Idempotency-Key", "order-2-delivered"); !third.Created {
			t.Error("a new key was treated as a replay")
		}
	})
	t.Run("same customer, stage and ref without a key", func(t *testing.T) {
		body := `{"customer":"console:b","stage":"delivery","ref":"B-1"}`
		first, again := post(body), post(body)
		if !first.Created || again.Created || again.Touchpoint.ID != first.Touchpoint.ID {
			t.Fatalf("first %+v, again %+v", first, again)
		}
		if n := e.runs("console:b"); n != 1 {
			t.Errorf("runs = %d, want 1", n)
		}
	})
	t.Run("a key reused for another stage", func(t *testing.T) {
		post(`{"customer":"console:c","stage":"delivery"}`, "Idempotency-Key", "k-c")
		rec := e.do("POST", "/api/v1/touchpoints", `{"customer":"console:c","stage":"purchase"}`, "Idempotency-Key", "k-c")
		if rec.Code != http.StatusConflict {
			t.Fatalf("status = %d, want 409: %s", rec.Code, rec.Body)
		}
		errorOf(t, rec)
		if n := e.runs("console:c"); n != 1 {
			t.Errorf("runs = %d, want 1", n)
		}
	})
}

func TestInvite(t *testing.T) {
	e := newEnv(t, Options{APIToken: token, Links: func(_ context.Context, tok string) map[string]string {
		return map[string]string{"telegram": "https://t.me/acme_bot?start=" + tok}
	}})
	rec := e.do("POST", "/api/v1/invites", `{"stage":"delivery","ref":"A-17","name":"Dana"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("status = %d: %s", rec.Code, rec.Body)
	}
	got := decodeBody[inviteResponse](t, rec)
	if len(got.Token) != 26 || got.Links["telegram"] != "https://t.me/acme_bot?start="+got.Token || got.Stage != "delivery" {
		t.Errorf("invite = %+v", got)
	}
	err := e.db.View(context.Background(), func(tx core.Tx) error {
		inv, err := tx.Invite(got.Token)
		if err == nil && (inv.Ref != "A-17" || inv.Name != "Dana") {
			t.Errorf("stored invite = %+v", inv)
		}
		return err
	})
	if err != nil {
		t.Fatalf("the invite was not stored: %v", err)
	}

	// Without a Links function the links are an empty object, not null.
	e = newEnv(t, Options{APIToken: token})
	rec = e.do("POST", "/api/v1/invites", `{}`)
	if rec.Code != http.StatusCreated || !strings.Contains(rec.Body.String(), `"links": {}`) {
		t.Errorf("status = %d: %s", rec.Code, rec.Body)
	}
}

func TestComplaints(t *testing.T) {
	e := newEnv(t, Options{APIToken: token})
	rec := e.do("GET", "/api/v1/complaints?status=open", "")
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != "[]" {
		t.Fatalf("empty list = %d %s, want 200 []", rec.Code, rec.Body)
	}
	maria := core.UserRef{Platform: core.Console, ID: "maria"}
	if _, err := e.svc.Handle(context.Background(), core.Incoming{Platform: core.Console, EventID: "1", From: maria,
		Chat: core.ChatRef(maria), Direct: true, Text: "/complain The bike came late"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query string
		n     int
	}{{"?status=open", 1}, {"", 1}, {"?status=all", 1}, {"?status=closed", 0}, {"?status=acknowledged", 0}} {
		rec := e.do("GET", "/api/v1/complaints"+tc.query, "")
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", tc.query, rec.Code, rec.Body)
		}
		list := decodeBody[[]map[string]any](t, rec)
		if len(list) != tc.n {
			t.Fatalf("%s: %d complaints, want %d", tc.query, len(list), tc.n)
		}
		if tc.n == 0 {
			continue
		}
		c := list[0]
		if c["ref"] != "C-1001" || c["status"] != "open" || c["customer"] != "console:maria" || c["opened_at"] == nil {
			t.Errorf("complaint = %v", c)
		}
		for _, k := range []string{"acknowledged_by", "confirmed"} {
			if v, ok := c[k]; !ok || v != nil {
				t.Errorf("%s = %v (present %v), want null", k, v, ok)
			}
		}
	}
}

func TestDigest(t *testing.T) {
	e := newEnv(t, Options{APIToken: token})
	rec := e.do("GET", "/api/v1/digest", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d: %s", rec.Code, rec.Body)
	}
	// The clock says Wednesday of 2026-W48: the default is the last full week.
	d := decodeBody[map[string]any](t, rec)
	if d["week"] != "2026-W47" {
		t.Errorf("default week = %v, want 2026-W47", d["week"])
	}
	for _, k := range []string{"dimensions", "surveys", "complaints"} {
		if _, ok := d[k]; !ok {
			t.Errorf("digest lacks %q: %s", k, rec.Body)
		}
	}
	rec = e.do("GET", "/api/v1/digest?week=2026-W40", "")
	if d := decodeBody[map[string]any](t, rec); rec.Code != http.StatusOK || d["week"] != "2026-W40" {
		t.Errorf("week=2026-W40: %d %v", rec.Code, d["week"])
	}
}
