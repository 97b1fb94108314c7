package core

import (
	"fmt"
	"time"
)

// Settings are the business's rules, decoded and validated from configuration by the binary.
type Settings struct {
	Business   Business
	Team       Team
	Surveys    []SurveyPlan
	Throttle   time.Duration // at most one survey per customer in this window; 0 means none
	Complaints Standards
	// Namespaces are the business's own customer id namespaces (customers.namespaces):
	// "shop" makes shop:4711 a customer reference beside telegram:123.
	Namespaces []string
	// Platforms holds what core must know of each enabled platform. A platform absent here
	// is disabled: nothing is sent to it.
	Platforms map[Platform]PlatformInfo
	// Webhooks are the business's endpoints for events; none: no events are written.
	Webhooks []WebhookSub
	// RetainCustomers erases customers with no activity for this long; 0 keeps them until
	// they are erased.
	RetainCustomers time.Duration
	// PublicURL is where people reach the HTTP server (http.public_url, no trailing slash);
	// empty when unset, and then there are no links to the owners' page.
	PublicURL string
}

// Business is who runs earshot.
type Business struct {
	Name     string
	Location *time.Location // the business time zone; weeks and digests use it
	Language string
	Quiet    QuietHours
	Hours    *BusinessHours // the opening hours; nil: always open
}

// QuietHours is a daily window in which no survey is sent. From == To means none.
type QuietHours struct {
	From, To time.Duration // offsets from local midnight
}

// IsZero reports whether there are no quiet hours.
func (q QuietHours) IsZero() bool { return q.From == q.To }

func (q QuietHours) String() string {
	if q.IsZero() {
		return ""
	}
	f := func(d time.Duration) string { return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60) }
	return f(q.From) + "-" + f(q.To)
}

// Team is who handles complaints and where.
type Team struct {
	Channel ChatRef // where complaint cards go
	Members []Member
}

// Role is a team member's role.
type Role string

// Roles. Owners are members who also get digests and escalations.
const (
	RoleOwner  Role = "owner"
	RoleMember Role = "member"
)

// Member is a configured team member with their accounts on each platform.
type Member struct {
	Name     string
	Role     Role
	Accounts []UserRef
	// Language is what the member reads (their language:); empty: the business's.
	Language Lang
}

// MemberFor returns the member who owns account u.
func (t Team) MemberFor(u UserRef) (Member, bool) {
	for _, m := range t.Members {
		for _, a := range m.Accounts {
			if a == u {
				return m, true
			}
		}
	}
	return Member{}, false
}

// Owners returns the members with role owner.
func (t Team) Owners() []Member {
	var out []Member
	for _, m := range t.Members {
		if m.Role == RoleOwner {
			out = append(out, m)
		}
	}
	return out
}

// SurveyPlan is one survey: when it is triggered and what it asks.
type SurveyPlan struct {
	Name              string
	Trigger           string // the touchpoint stage that schedules it
	Delay             time.Duration
	ReminderAfter     time.Duration // 0: no reminder
	ExpireAfter       time.Duration // 0: never expires
	LowScoreThreshold int           // a scale answer at or below it offers a complaint; 0: never
	// NoLowScoreOffer turns the complaint offer off for answers of every kind
	// (low_score_threshold: 0 written in the file); otherwise nps, csat and ces answers
	// follow their kind's rule (Question.IsLow).
	NoLowScoreOffer bool
	// Intro names the occasion in the survey's greeting ("Thanks for visiting us ({ref})."),
	// "{ref}" standing for the touchpoint's reference; empty: DefaultIntro of the trigger.
	Intro string
	// IntroIn holds Intro in other languages (a survey's intro: given as a map by language).
	IntroIn   Localized
	Questions []Question
}

// Question is one question of a plan.
type Question struct {
	Key  string // the dimension reported in the digest ("courtesy")
	Text string // in the business's language
	// TextIn holds the text in other languages (text: given as a map by language).
	TextIn   Localized `json:",omitempty"`
	Type     QuestionType
	Min, Max int      // for the numeric kinds (scale, nps, csat, ces); set by the configuration
	Optional bool     `json:",omitempty"`
	Options  []Option `json:",omitempty"` // for choice questions, in the order shown
	Multiple bool     `json:",omitempty"` // a choice question takes several options
	// AskIf, when set, asks the question only when an earlier answer matches.
	AskIf *Condition `json:",omitempty"`
}

// QuestionType is the kind of a question (kinds.go).
type QuestionType string

// Question types.
const (
	Scale      QuestionType = "scale"  // min..max, default 1-10
	NPS        QuestionType = "nps"    // 0-10, how likely to recommend us
	CSAT       QuestionType = "csat"   // 1-5, how satisfied
	CES        QuestionType = "ces"    // 1-7, how easy
	ChoiceType QuestionType = "choice" // one (or with Multiple several) of Options
	Text       QuestionType = "text"
)

// Standards are the business's visible complaint standards.
type Standards struct {
	AcknowledgeWithin time.Duration
	ResolveWithin     time.Duration
	AutoCloseAfter    time.Duration
	// Clock says how AcknowledgeWithin and ResolveWithin are counted (see StandardClock).
	Clock ClockKind
}

// ClockKind says which hours count towards a standard.
type ClockKind string

// Clock kinds; the zero value counts like ClockCalendar.
const (
	ClockCalendar ClockKind = "calendar" // every hour
	ClockBusiness ClockKind = "business" // only Business.Hours
)

// StandardClock returns the clock the standards are counted on: the business hours when
// Complaints.Clock is business and there are hours, else the calendar.
func (s *Settings) StandardClock() StandardClock {
	if s.Complaints.Clock == ClockBusiness && s.Business.Hours != nil {
		return s.Business.Hours
	}
	return Calendar{}
}

// PlatformInfo is what core must know of an enabled platform.
type PlatformInfo struct {
	// DMNeedsContact is true when the bot can only message a person who has messaged it
	// first (Telegram). Until then a staff member's DMs go to the team channel instead.
	DMNeedsContact bool
	// Pace limits how fast messages go out; the zero value means DefaultPace.
	Pace Pace
}

// Plan returns the plan with the given name.
func (s *Settings) Plan(name string) (SurveyPlan, bool) {
	for _, p := range s.Surveys {
		if p.Name == name {
			return p, true
		}
	}
	return SurveyPlan{}, false
}

// Stages returns every stage some plan is triggered by, in plan order without repeats.
func (s *Settings) Stages() []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range s.Surveys {
		if !seen[p.Trigger] {
			seen[p.Trigger] = true
			out = append(out, p.Trigger)
		}
	}
	return out
}

// Enabled reports whether platform p is enabled.
func (s *Settings) Enabled(p Platform) bool {
	_, ok := s.Platforms[p]
	return ok
}
