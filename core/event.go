package core

import (
	"encoding/json"
	"time"
)

// Webhook is the destination of events for the business's own systems. It is not a chat
// platform: nobody writes to earshot from it, so it is not Known. An event goes to
// ChatRef{Platform: Webhook, ID: endpoint name} through the outbox like any message.
const Webhook Platform = "webhook"

// EventType names an event sent to the business's webhooks.
type EventType string

// The events, as DESIGN.md lists them.
const (
	EventSurveyCompleted       EventType = "survey.completed"
	EventSurveyExpired         EventType = "survey.expired"
	EventComplaintOpened       EventType = "complaint.opened"
	EventComplaintAcknowledged EventType = "complaint.acknowledged"
	EventComplaintResolved     EventType = "complaint.resolved"
	EventComplaintReopened     EventType = "complaint.reopened"
	EventComplaintClosed       EventType = "complaint.closed"
	EventStandardWarning       EventType = "standard.warning"
	EventStandardBreached      EventType = "standard.breached"
	EventDigestSent            EventType = "digest.sent"
	EventCustomerErased        EventType = "customer.erased"
)

// EventTypes lists every event type, in the order DESIGN.md gives them.
var EventTypes = []EventType{
	EventSurveyCompleted, EventSurveyExpired, EventComplaintOpened, EventComplaintAcknowledged,
	EventComplaintResolved, EventComplaintReopened, EventComplaintClosed, EventStandardWarning,
	EventStandardBreached, EventDigestSent, EventCustomerErased,
}

// Known reports whether t is one of the event types.
func (t EventType) Known() bool {
	for _, k := range EventTypes {
		if k == t {
			return true
		}
	}
	return false
}

// Event is one notification for the business's systems. Its JSON form is the webhook body:
// {"type":…,"timestamp":…,"data":{…}}.
type Event struct {
	Type      EventType       `json:"type"`
	Timestamp time.Time       `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}
