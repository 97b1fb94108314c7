package core

// The words of a customer's conversation outside the survey's questions: the offer to file a
// complaint, its receipt, the team's words relayed and framed, "is your problem solved?",
// /start, /status, /stop, /resume, /forget, /help, invites and button notices; and what the
// team and the acting member are told about a complaint as it moves (core/complaint.go).
// The texts are in bots/i18n/catalog/<lang>/customer.yaml.
const (
	// Buttons that no longer mean anything, or are someone else's.
	KeyButtonInvalid      Key = "button_invalid"
	KeyButtonNotYours     Key = "button_not_yours"
	KeyPromptClosed       Key = "prompt_closed"
	KeyPromptClosedForget Key = "prompt_closed_forget"
	KeyNoticeOK           Key = "notice_ok"

	// Commands.
	KeyCommandUnknown     Key = "command_unknown"
	KeyCommandTeamOnly    Key = "command_team_only"
	KeyCommandOwnerOnly   Key = "command_owner_only"
	KeyCommandPrivateOnly Key = "command_private_only"
	KeyStartHello         Key = "start_hello"
	KeyResumeDone         Key = "resume_done"
	KeyStopDone           Key = "stop_done"
	KeyHelpTitle          Key = "help_title"
	KeyHelpTeam           Key = "help_team"
	KeyHelpOwners         Key = "help_owners"
	KeyStatusTitle        Key = "status_title"
	KeyStatusSurvey       Key = "status_survey"
	KeyStatusOptedOut     Key = "status_opted_out"
	KeyStatusNothing      Key = "status_nothing"
	KeyStatusReceived     Key = "status_received"
	KeyStatusOnIt         Key = "status_on_it"
	KeyStatusResolved     Key = "status_resolved"
	KeyMemberHint         Key = "member_hint"

	// /forget.
	KeyForgetAsk       Key = "forget_ask"
	KeyForgetYes       Key = "forget_button_yes"
	KeyForgetNo        Key = "forget_button_no"
	KeyForgetKept      Key = "forget_kept"
	KeyForgetKeptShort Key = "forget_kept_notice"
	KeyForgetDone      Key = "forget_done"
	KeyForgetDoneShort Key = "forget_done_notice"

	// Invites (/start TOKEN).
	KeyInviteInvalid Key = "invite_invalid"
	KeyInviteExpired Key = "invite_expired"
	KeyInviteYours   Key = "invite_already_yours"
	KeyInviteUsed    Key = "invite_used"
	KeyInviteWelcome Key = "invite_welcome"

	// Filing a complaint.
	KeyFileOffer        Key = "file_offer"
	KeyFileOfferMore    Key = "file_offer_more"
	KeyFileYes          Key = "file_button_yes"
	KeyFileNo           Key = "file_button_no"
	KeyFileDeclined     Key = "file_declined"
	KeyLowScoreDeclined Key = "low_score_declined"
	KeyComplainAsk      Key = "complain_ask"
	KeyComplaintNoText  Key = "complaint_no_text"
	KeyComplaintNotice  Key = "complaint_received_notice"
	KeyComplaintReceipt Key = "complaint_received"
	KeyAddedTo          Key = "complaint_added_notice"

	// When the team replies: "within 12 hours", "by 12:00 today", "by Monday 12:00".
	KeyReplyWithinMinutes Key = "reply_within_minutes"
	KeyReplyWithinHours   Key = "reply_within_hours"
	KeyReplyWithinDays    Key = "reply_within_days"
	KeyReplyByToday       Key = "reply_by_today"
	KeyReplyByTomorrow    Key = "reply_by_tomorrow"
	KeyReplyBy            Key = "reply_by"
	KeyDayDateTime        Key = "day_date_time"

	// The team's words relayed to the customer, and what the customer is told as the
	// complaint moves.
	KeyRelayTitle     Key = "relay_title"
	KeyOwnerLooking   Key = "complaint_owner_looking"
	KeyResolvedBy     Key = "complaint_resolved_by"
	KeySolvedQuestion Key = "solved_question"
	KeySolvedAsk      Key = "solved_ask"
	KeySolvedYes      Key = "solved_button_yes"
	KeySolvedNo       Key = "solved_button_no"
	KeySolvedAnswered Key = "solved_already_answered"
	KeySolvedThanks   Key = "solved_thanks"
	KeySolvedClosed   Key = "solved_closed"
	KeyReopenedNotice Key = "reopened_notice"
	KeyReopenedOwner  Key = "reopened_told_owner"
	KeyReopenedTeam   Key = "reopened_told_team"
	KeyWordsSolved    Key = "words_solved"
	KeyWordsNotSolved Key = "words_not_solved"

	// To the team and the acting member about a complaint (their languages).
	KeyThreadCustomerWrote Key = "thread_customer_wrote"
	KeyThreadResolved      Key = "thread_resolved"
	KeyThreadSolved        Key = "thread_solved"
	KeyThreadNotSolved     Key = "thread_not_solved"
	KeyTeamConfirmed       Key = "team_customer_confirmed"
	KeyTeamReopened        Key = "team_customer_reopened"
	KeyRelayClosed         Key = "relay_closed"
	KeyAckAlreadyYours     Key = "ack_already_yours"
	KeyAckTaken            Key = "ack_taken"
	KeyAckResolved         Key = "ack_resolved"
	KeyAckClosed           Key = "ack_closed"
	KeyAckDone             Key = "ack_done"
	KeyAckDoneHow          Key = "ack_done_how"
	KeyResolveResolved     Key = "resolve_already_resolved"
	KeyResolveClosed       Key = "resolve_already_closed"
	KeyResolveDone         Key = "resolve_done"

	// The one polite line for an internal error (ErrorText).
	KeyErrorInternal Key = "error_internal"
)

// monthKeys name the months, January first, for dates written out ("Montag, 14. Dezember").
var monthKeys = [12]Key{"month_1", "month_2", "month_3", "month_4", "month_5", "month_6",
	"month_7", "month_8", "month_9", "month_10", "month_11", "month_12"}

// customerWeekdays name the weekdays (common.yaml), Sunday first as time.Weekday counts.
var customerWeekdays = [7]Key{"weekday_sunday", "weekday_monday", "weekday_tuesday", "weekday_wednesday",
	"weekday_thursday", "weekday_friday", "weekday_saturday"}
