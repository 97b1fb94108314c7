package core_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

// event is a delivered webhook event, decoded.
type event struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      struct {
		Complaint struct {
			Ref       string `json:"ref"`
			Status    string `json:"status"`
			Customer  string `json:"customer"`
			Text      string `json:"text"`
			Confirmed *bool  `json:"confirmed"`
			Reopened  int    `json:"reopened"`
		} `json:"complaint"`
		ContactID int64  `json:"contact_id"`
		By        string `json:"by"`
		Standard  string `json:"standard"`
		DueAt     string `json:"due_at"`
		Customer  string `json:"customer"`
		Survey    struct {
			Survey string `json:"survey"`
			State  string `json:"state"`
		} `json:"survey"`
		Touchpoint *struct {
			Stage, Ref string
		} `json:"touchpoint"`
		Answers []struct {
			Question string `json:"question"`
			Value    any    `json:"value"`
		} `json:"answers"`
		Week string `json:"week"`
		To   []string
	} `json:"data"`
	raw  string
	dest string
}

func (e *env) events(endpoint string) []event {
	e.t.Helper()
	var out []event
	for _, d := range e.hooks.to(endpoint) {
		if d.Message.Event == nil {
			e.t.Fatalf("a webhook delivery without an event: %+v", d)
		}
		b, err := json.Marshal(d.Message.Event)
		if err != nil {
			e.t.Fatal(err)
		}
		var ev event
		if err := json.Unmarshal(b, &ev); err != nil {
			e.t.Fatalf("%s: %v", b, err)
		}
		ev.raw, ev.dest = string(b), endpoint
		out = append(out, ev)
	}
	return out
}

func types(evs []event) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Type)
	}
	return out
}

func withHooks(subs ...core.WebhookSub) func(*core.Settings) {
	return func(s *core.Settings) { s.Webhooks = subs }
}

// lowScoreComplaint has maria answer the survey with a low score and file the complaint.
func lowScoreComplaint(e *env) {
	e.t.Helper()
	e.dm("maria", "/start")
	e.touch("maria", "A-17")
	e.press("maria", "9")
	e.dm("maria", "3")
	e.dm("maria", "The bike came two days late.")
	e.press("maria", "Yes, tell the team")
}

func TestEventsFollowTheLifecycle(t *testing.T) {
	e := newEnv(t, withHooks(core.WebhookSub{Name: "crm"}, core.WebhookSub{Name: "sheet", Events: []core.EventType{core.EventComplaintOpened}}))
	lowScoreComplaint(e)
	e.pressInTeam("lee", "Acknowledge")
	e.inTeam("lee", "/resolve C-1001 Fee refunded")
	e.press("maria", "No, not yet")
	e.inTeam("lee", "/resolve C-1001 Courier changed")
	e.press("maria", "Yes, solved")

	evs := e.events("crm")
	want := []string{"survey.completed", "complaint.opened", "complaint.acknowledged", "complaint.resolved",
		"complaint.reopened", "complaint.resolved", "complaint.closed"}
	if !slices.Equal(types(evs), want) {
		t.Fatalf("events = %v\nwant %v", types(evs), want)
	}
	sv := evs[0].Data
	if sv.Customer != "console:maria" || sv.Survey.Survey != "after-delivery" || sv.Survey.State != "completed" ||
		sv.Touchpoint == nil || sv.Touchpoint.Ref != "A-17" || len(sv.Answers) != 3 || sv.Answers[1].Value != float64(3) ||
		sv.Answers[2].Value != "The bike came two days late." || sv.ContactID == 0 {
		t.Errorf("survey.completed = %s", evs[0].raw)
	}
	op := evs[1].Data
	if op.Complaint.Ref != "C-1001" || op.Complaint.Status != "open" || op.Complaint.Customer != "console:maria" ||
		op.ContactID != sv.ContactID {
		t.Errorf("complaint.opened = %s", evs[1].raw)
	}
	if evs[2].Data.By != "Lee" || evs[2].Data.Complaint.Status != "acknowledged" {
		t.Errorf("complaint.acknowledged = %s", evs[2].raw)
	}
	if evs[4].Data.Complaint.Reopened != 1 || evs[4].Data.Complaint.Status != "open" {
		t.Errorf("complaint.reopened = %s", evs[4].raw)
	}
	if c := evs[6].Data.Complaint; c.Status != "closed" || c.Confirmed == nil || !*c.Confirmed {
		t.Errorf("complaint.closed = %s", evs[6].raw)
	}
	if got := types(e.events("sheet")); !slices.Equal(got, []string{"complaint.opened"}) {
		t.Errorf("the filtered endpoint got %v, want only complaint.opened", got)
	}
}

func TestEventsForStandardsAndAutoClose(t *testing.T) {
	e := newEnv(t, withHooks(core.WebhookSub{Name: "crm", Events: []core.EventType{
		core.EventStandardWarning, core.EventStandardBreached, core.EventComplaintClosed}}))
	e.dm("maria", "/complain The bell is broken")
	e.advance(9 * time.Hour) // 75 % of the 12 h standard
	e.advance(3 * time.Hour) // the deadline
	evs := e.events("crm")
	if !slices.Equal(types(evs), []string{"standard.warning", "standard.breached"}) {
		t.Fatalf("events = %v", types(evs))
	}
	for _, ev := range evs {
		if ev.Data.Standard != "acknowledge" || ev.Data.DueAt == "" || ev.Data.Complaint.Ref != "C-1001" {
			t.Errorf("%s = %s", ev.Type, ev.raw)
		}
	}
	e.inTeam("lee", "/resolve C-1001 New bell fitted")
	e.advance(73 * time.Hour) // nobody confirms
	evs = e.events("crm")
	last := evs[len(evs)-1]
	if last.Type != "complaint.closed" || last.Data.Complaint.Confirmed == nil || *last.Data.Complaint.Confirmed {
		t.Fatalf("auto-close event = %s", last.raw)
	}
}

func TestEventsAfterEraseNameNoOne(t *testing.T) {
	e := newEnv(t, withHooks(core.WebhookSub{Name: "crm"}))
	down := errors.New("receiver down")
	e.hooks.fail = func(core.Delivery) error {
		return &core.DeliveryError{Kind: core.DeliveryTemporary, Err: down}
	}
	lowScoreComplaint(e) // its events wait: the receiver is down
	if err := e.svc.Erase(e.ctx, user("maria")); err != nil {
		t.Fatal(err)
	}
	e.hooks.fail = nil
	e.advance(10 * time.Minute)
	evs := e.events("crm")
	if !slices.Equal(types(evs), []string{"customer.erased"}) {
		t.Fatalf("after the erase the receiver got %v; the queued events about her must be dropped", types(evs))
	}
	for _, secret := range []string{"maria", "two days late", "A-17"} {
		if strings.Contains(evs[0].raw, secret) {
			t.Errorf("customer.erased holds %q: %s", secret, evs[0].raw)
		}
	}
	if evs[0].Data.ContactID == 0 {
		t.Errorf("customer.erased lacks the contact id: %s", evs[0].raw)
	}
}

func TestDigestSentEventAndSurveyExpired(t *testing.T) {
	e := newEnv(t, withHooks(core.WebhookSub{Name: "crm", Events: []core.EventType{core.EventDigestSent, core.EventSurveyExpired}}))
	e.dm("otto", "/start")
	e.touch("otto", "A-90")
	e.advance(73 * time.Hour) // the survey expires unanswered
	if _, err := e.svc.SendDigest(e.ctx, core.WeekOf(start, start.Location())); err != nil {
		t.Fatal(err)
	}
	e.flush()
	evs := e.events("crm")
	if !slices.Equal(types(evs), []string{"survey.expired", "digest.sent"}) {
		t.Fatalf("events = %v", types(evs))
	}
	if evs[0].Data.Survey.State != "expired" || evs[0].Data.Customer != "console:otto" {
		t.Errorf("survey.expired = %s", evs[0].raw)
	}
	if evs[1].Data.Week != "2026-W47" || !slices.Equal(evs[1].Data.To, []string{"Sam"}) || !strings.Contains(evs[1].raw, `"dimensions"`) {
		t.Errorf("digest.sent = %s", evs[1].raw)
	}
}

func TestNoWebhooksNoEvents(t *testing.T) {
	e := newEnv(t, nil)
	lowScoreComplaint(e)
	if n := len(e.hooks.to("crm")); n != 0 {
		t.Fatalf("%d events without a webhook configured", n)
	}
	var pending int
	e.db.View(e.ctx, func(tx core.Tx) error {
		var err error
		pending, _, err = tx.OutboxStats()
		return err
	})
	if pending != 0 {
		t.Fatalf("%d messages still pending", pending)
	}
}
