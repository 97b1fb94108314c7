package core

// The survey conversation's words, by key (catalog area survey.yaml). All of them go to the
// customer, in the customer's language, except the summary a low score's complaint carries,
// which the team reads in the business's.
const (
	// The intro over the first question: a greeting, the occasion, how long it takes.
	KeySurveyHello     Key = "survey_hello"      // {{.Name}} {{.Business}}
	KeySurveyHelloAnon Key = "survey_hello_anon" // {{.Business}}
	KeySurveyAsk       Key = "survey_ask"        // plural: {{.Count}} questions
	// The occasion when the plan names none, by the touchpoint's stage; {{.Ref}}.
	KeySurveyIntroOrder    Key = "survey_intro_order"
	KeySurveyIntroDelivery Key = "survey_intro_delivery"
	KeySurveyIntroSupport  Key = "survey_intro_support"
	KeySurveyIntroVisit    Key = "survey_intro_visit"
	KeySurveyIntroOther    Key = "survey_intro_other"

	// The question: its number ({{.N}} of {{.Total}}) and text, and what is said around it.
	KeySurveyNumbered    Key = "survey_numbered"     // {{.N}} {{.Total}} {{.Text}}
	KeySurveyAnswered    Key = "survey_answered"     // {{.Answer}}: the line under an answered question
	KeySurveyResume      Key = "survey_resume"       // over a paused question asked again
	KeySurveyReminder    Key = "survey_reminder"     // over the reminder
	KeySurveyClosedShown Key = "survey_closed_shown" // what an expired question shows as its answer
	KeySurveySkippedShow Key = "survey_skipped_shown"
	KeySurveySkip        Key = "survey_skip" // the button
	KeySurveyOptional    Key = "survey_optional"
	KeySurveyDone        Key = "survey_done" // the button that finishes a multiple choice

	// The line under a question that tells how to answer it; {{.Min}} {{.Max}}, {{.Options}}.
	KeyHintScale         Key = "survey_hint_scale"
	KeyHintNPS           Key = "survey_hint_nps"
	KeyHintCSAT          Key = "survey_hint_csat"
	KeyHintCES           Key = "survey_hint_ces"
	KeyHintChoice        Key = "survey_hint_choice"
	KeyHintChoiceTyped   Key = "survey_hint_choice_typed"
	KeyHintMultiple      Key = "survey_hint_multiple"
	KeyHintMultipleTyped Key = "survey_hint_multiple_typed"
	KeyHintText          Key = "survey_hint_text"

	// Answers the bot cannot take, and the notices for buttons.
	KeySurveyNeedNumber      Key = "survey_need_number"    // {{.Min}} {{.Max}} {{.Example}}
	KeySurveyUnknownOption   Key = "survey_unknown_option" // {{.Hint}}
	KeySurveyNotYours        Key = "survey_not_yours"
	KeySurveyClosed          Key = "survey_closed"
	KeySurveyAlreadyAnswered Key = "survey_already_answered"
	KeySurveyButtonInvalid   Key = "survey_button_invalid"
	KeySurveyTypeAnswer      Key = "survey_type_answer"
	KeySurveyThanksNotice    Key = "survey_thanks_notice"
	KeySurveyPicked          Key = "survey_picked"   // {{.Label}}
	KeySurveyUnpicked        Key = "survey_unpicked" // {{.Label}}
	KeySurveyPickFirst       Key = "survey_pick_first"

	// The end: thanks, or after a low score the offer to pass it on.
	KeySurveyThanks   Key = "survey_thanks"
	KeySurveyLowOffer Key = "survey_low_offer"
	KeySurveyLowYes   Key = "survey_low_yes"
	KeySurveyLowNo    Key = "survey_low_no"

	// The summary a complaint opened from a low score carries, for the team.
	KeySurveySummary        Key = "survey_summary"         // {{.Plan}} {{.Scores}}
	KeySurveySummaryComment Key = "survey_summary_comment" // {{.Comments}}
	KeySurveyScoreLow       Key = "survey_score_low"       // {{.Score}}: a low score, marked
)
