package core

// The digest's words (digest_text.go), in bots/i18n/catalog/<lang>/digest.yaml.
const (
	KeyDigestTitle       Key = "digest_title"        // {{.Business}} {{.Week}}
	KeyDigestTitleSoFar  Key = "digest_title_so_far" // the week is not over yet
	KeyDigestEmpty       Key = "digest_empty"        // {{.Week}}
	KeyDigestWeek        Key = "digest_week"         // {{.Week}} {{.From}} {{.To}}
	KeyDigestDate        Key = "digest_date"         // {{.Weekday}} {{.Day}} {{.Month}}
	KeyDigestDateYear    Key = "digest_date_year"    // {{.Weekday}} {{.Day}} {{.Month}} {{.Year}}
	KeyDigestWeekdays    Key = "digest_weekdays"     // short weekdays from Sunday, comma-separated
	KeyDigestMonths      Key = "digest_months"       // short months from January, comma-separated
	KeyDigestScores      Key = "digest_scores"       // the heading of the dimensions' lines
	KeyDigestNoQuestions Key = "digest_no_questions" // no question with a figure configured
	KeyDigestScoresTitle Key = "digest_scores_title" // /scores: {{.Week}}
	KeyDigestNPSSplit    Key = "digest_nps_split"    // {{.Promoters}} {{.Passives}} {{.Detractors}}
	KeyDigestCSATSplit   Key = "digest_csat_split"   // {{.Satisfied}} {{.Responses}}
	KeyDigestAnswers     Key = "digest_answers"      // plural: a choice's answers
	KeyDigestPercent     Key = "digest_percent"      // {{.N}} (already written the language's way)
	KeyDigestNA          Key = "digest_na"           // a figure without data
	KeyDigestSurveys     Key = "digest_surveys"      // {{.Sent}} {{.Answered}} {{.Rate}}
	KeyDigestSent        Key = "digest_sent"         // plural
	KeyDigestAnswered    Key = "digest_answered"     // plural
	KeyDigestComplaints  Key = "digest_complaints"   // {{.Opened}} {{.Within}} {{.Pct}}
	KeyDigestOpened      Key = "digest_opened"       // plural
	KeyDigestWithin      Key = "digest_within"       // plural: acknowledged within standard
	KeyDigestMedians     Key = "digest_medians"      // {{.Ack}} {{.Resolve}}
	KeyDigestResolved    Key = "digest_resolved"     // plural
	KeyDigestConfirmed   Key = "digest_confirmed"    // plural: confirmed solved
	KeyDigestUnconfirmed Key = "digest_unconfirmed"  // plural: closed unconfirmed
	KeyDigestReopened    Key = "digest_reopened"     // plural
	KeyDigestMissed      Key = "digest_missed"       // {{.Ack}} {{.Resolve}}: standards missed
	KeyDigestWaiting     Key = "digest_waiting"      // {{.N}}: waiting on the customer
	KeyDigestOpenNone    Key = "digest_open_none"    // nothing still open
	KeyDigestOpenList    Key = "digest_open_list"    // {{.N}} still open, the list follows
	KeyDigestOpenMore    Key = "digest_open_more"    // {{.N}} more not listed
	KeyDigestOpenItem    Key = "digest_open_item"    // {{.Ref}} {{.Status}} {{.Owner}} {{.Age}}
	KeyDigestUnowned     Key = "digest_unowned"      // a complaint nobody acknowledged
	KeyDigestDeadLetters Key = "digest_dead_letters" // {{.N}}
	KeyDigestComments    Key = "digest_comments"     // the heading of the lowest-scored comments
	KeyDigestLowestScore Key = "digest_lowest_score" // {{.Score}}
)
