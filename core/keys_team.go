package core

// The words core says to the team and the owners, by key (catalog team.yaml and
// owners.yaml). What goes to the team's channel is in the business's language, what goes
// to one member in theirs.
const (
	// Refusals and replies to a member's commands and buttons.
	KeyTeamOnlyMembers      Key = "team_only_members"
	KeyTeamComplaintGone    Key = "team_complaint_gone"
	KeyTeamUsageAck         Key = "team_usage_ack"
	KeyTeamUsageReply       Key = "team_usage_reply"
	KeyTeamUsageResolve     Key = "team_usage_resolve"
	KeyTeamUsageWait        Key = "team_usage_wait"
	KeyTeamNotARef          Key = "team_not_a_ref"
	KeyTeamNoComplaint      Key = "team_no_complaint"
	KeyTeamReplyWhat        Key = "team_reply_what"
	KeyTeamReplySent        Key = "team_reply_sent"
	KeyTeamComplaintsUsage  Key = "team_complaints_usage"
	KeyTeamComplaintsNone   Key = "team_complaints_none"
	KeyTeamComplaintsTitle  Key = "team_complaints_title"
	KeyTeamComplaintsMore   Key = "team_complaints_more"
	KeyTeamLine             Key = "team_line"
	KeyTeamUnowned          Key = "team_unowned"
	KeyTeamLineAckOverdue   Key = "team_line_ack_overdue"
	KeyTeamLineWaiting      Key = "team_line_waiting"
	KeyTeamLineOverdue      Key = "team_line_overdue"
	KeyTeamWaitNothing      Key = "team_wait_nothing"
	KeyTeamWaitAlready      Key = "team_wait_already"
	KeyTeamWaitStarted      Key = "team_wait_started"
	KeyTeamForMember        Key = "team_for_member"
	KeyTeamForMemberOpenBot Key = "team_for_member_open_bot"

	// A complaint's status, as a word.
	KeyComplaintStatusOpen         Key = "complaint_status_open"
	KeyComplaintStatusAcknowledged Key = "complaint_status_acknowledged"
	KeyComplaintStatusResolved     Key = "complaint_status_resolved"
	KeyComplaintStatusClosed       Key = "complaint_status_closed"

	// The complaint card.
	KeyCardTitle             Key = "card_title"
	KeyCardCustomer          Key = "card_customer"
	KeyCardPlatform          Key = "card_platform"
	KeyCardOpened            Key = "card_opened"
	KeyCardAckBy             Key = "card_ack_by"
	KeyCardOwner             Key = "card_owner"
	KeyCardOwnerValue        Key = "card_owner_value"
	KeyCardWaiting           Key = "card_waiting"
	KeyCardWaitingValue      Key = "card_waiting_value"
	KeyCardResolveBy         Key = "card_resolve_by"
	KeyCardReopened          Key = "card_reopened"
	KeyCardReopenedTimes     Key = "card_reopened_times"
	KeyCardResolved          Key = "card_resolved"
	KeyCardResolvedValue     Key = "card_resolved_value"
	KeyCardClosed            Key = "card_closed"
	KeyCardClosedConfirmed   Key = "card_closed_confirmed"
	KeyCardClosedUnconfirmed Key = "card_closed_unconfirmed"
	KeyCardAcknowledge       Key = "card_acknowledge"
	KeyCardResolve           Key = "card_resolve"
	KeyCardNoteLabel         Key = "card_note_label"
	KeyCardFooter            Key = "card_footer"
	KeyCardDueOverdue        Key = "card_due_overdue"
	KeyCardDueClosed         Key = "card_due_closed"
	KeyCardDueLeft           Key = "card_due_left"
	KeyCardDueBusinessLeft   Key = "card_due_business_left"
	// KeyCardWhenDated is an instant more than a few days away: the weekday and time, and
	// the date ("Monday 12:00, 2026-11-23").
	KeyCardWhenDated Key = "card_when_dated"

	// Warnings before a deadline, escalations at it, and the customer's note on auto-close.
	KeyWarnAckTitle        Key = "warn_ack_title"
	KeyWarnAckText         Key = "warn_ack_text"
	KeyWarnResolveTitle    Key = "warn_resolve_title"
	KeyWarnResolveText     Key = "warn_resolve_text"
	KeyWarnResolveFooter   Key = "warn_resolve_footer"
	KeyEscalationTitle     Key = "escalation_title"
	KeyEscalationText      Key = "escalation_text"
	KeyEscalationNotAcked  Key = "escalation_not_acked"
	KeyEscalationNotSolved Key = "escalation_not_resolved"
	KeyEscalationOwner     Key = "escalation_owner"
	KeyEscalationNobody    Key = "escalation_nobody"
	KeyComplaintAutoClosed Key = "complaint_auto_closed"

	// Durations ("12 hours", "1d 4h").
	KeyDurationSeconds      Key = "duration_seconds"
	KeyDurationMinutes      Key = "duration_minutes"
	KeyDurationHours        Key = "duration_hours"
	KeyDurationHoursMinutes Key = "duration_hours_minutes"
	KeyDurationDays         Key = "duration_days"
	KeyDurationDaysHours    Key = "duration_days_hours"
)
