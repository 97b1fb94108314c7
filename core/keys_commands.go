package core

// The descriptions of the commands and their arguments (bots/i18n/catalog/*/commands.yaml),
// as /help, Telegram's menus, Discord's application commands and Slack's manifest show them.
// Each is at most 100 characters in every language (Discord's limit on a description) and
// starts in lower case where the language allows (help shows "/x — text").
const (
	KeyCmdStart      Key = "cmd_start"
	KeyCmdComplain   Key = "cmd_complain"
	KeyCmdStatus     Key = "cmd_status"
	KeyCmdStop       Key = "cmd_stop"
	KeyCmdResume     Key = "cmd_resume"
	KeyCmdForget     Key = "cmd_forget"
	KeyCmdHelp       Key = "cmd_help"
	KeyCmdLanguage   Key = "cmd_language" // /language [code]: its row joins the table with the command
	KeyCmdComplaints Key = "cmd_complaints"
	KeyCmdAck        Key = "cmd_ack"
	KeyCmdReply      Key = "cmd_reply"
	KeyCmdWait       Key = "cmd_wait"
	KeyCmdResolve    Key = "cmd_resolve"
	KeyCmdDigest     Key = "cmd_digest"
	KeyCmdScores     Key = "cmd_scores"
	KeyCmdDashboard  Key = "cmd_dashboard"

	KeyArgToken         Key = "cmd_arg_token"
	KeyArgComplaintText Key = "cmd_arg_complaint_text"
	KeyArgStatus        Key = "cmd_arg_status"
	KeyArgRef           Key = "cmd_arg_ref"
	KeyArgReplyText     Key = "cmd_arg_reply_text"
	KeyArgNote          Key = "cmd_arg_note"
	KeyArgQuestion      Key = "cmd_arg_question"
	KeyArgLanguage      Key = "cmd_arg_language" // /language's argument
)
