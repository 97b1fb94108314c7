package core

import (
	"fmt"
	"time"
)

// Helpers for writing to the team and the owners in their languages: durations, instants,
// statuses, refusals, and messages rendered once per reader.

// Texts returns the catalogs the service renders its words with, for the parts of earshot
// outside core that speak to people (the owners' page).
func (s *Service) Texts() Texts { return s.texts }

// MemberLanguage returns the language a team member or owner reads: their own language:,
// else the business's.
func (s *Service) MemberLanguage(m Member) Lang { return s.memberLang(m) }

// words is a message to be written in its reader's language: the team's channel gets it in
// the business's language, a member's DM in the member's.
type words func(Lang) Message

// same is a message that reads the same in every language (already rendered, or the
// business's own words).
func same(m Message) words { return func(Lang) Message { return m } }

// errIn is a refusal written in lang.
func (s *Service) errIn(lang Lang, code string, key Key, args Args) *Error {
	return &Error{Code: code, Message: s.texts.Text(lang, key, args)}
}

// SayDuration writes d the way a person would say it in lang: "12 hours", "2 days",
// "1d 4h", "45 min" ("12 Stunden", "2 Tage" …).
func SayDuration(t Texts, lang Lang, d time.Duration) string {
	if d < 0 {
		d = -d
	}
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case d < time.Minute:
		return t.Text(lang, KeyDurationSeconds, Args{"N": int(d.Seconds())})
	case d < time.Hour:
		return t.Text(lang, KeyDurationMinutes, Args{"N": int(d.Minutes())})
	case d < 48*time.Hour && d%time.Hour == 0:
		return t.Text(lang, KeyDurationHours, Args{"Count": h})
	case d < 48*time.Hour:
		return t.Text(lang, KeyDurationHoursMinutes, Args{"H": h, "M": fmt.Sprintf("%02d", m)})
	case d%(24*time.Hour) == 0:
		return t.Text(lang, KeyDurationDays, Args{"Count": h / 24})
	}
	return t.Text(lang, KeyDurationDaysHours, Args{"D": h / 24, "H": h % 24})
}

// duration writes d in lang.
func (s *Service) duration(lang Lang, d time.Duration) string { return SayDuration(s.texts, lang, d) }

// When writes an instant for a reader in lang, in the business's time zone: the weekday and
// time ("Monday 12:00") when it is within five days of now, else with its date too
// ("Monday 12:00, 2026-11-23"), so that a week-old instant is not mistaken for this week's.
func When(t Texts, lang Lang, at, now time.Time, loc *time.Location) string {
	if at.IsZero() {
		return "—"
	}
	at = at.In(loc)
	dt := t.DayTime(lang, at)
	if d := at.Sub(now); d < 5*24*time.Hour && d > -5*24*time.Hour {
		return dt
	}
	return t.Text(lang, KeyCardWhenDated, Args{"DayTime": dt, "Date": at.Format("2006-01-02")})
}

// when writes an instant for a reader in lang.
func (s *Service) when(lang Lang, at, now time.Time) string {
	return When(s.texts, lang, at, now, s.set.Business.Location)
}

// statusWord is a complaint's status as a word of lang.
func (s *Service) statusWord(lang Lang, st ComplaintStatus) string {
	return StatusWord(s.texts, lang, st)
}

// StatusWord is a complaint's status as a word of lang ("open", "offen").
func StatusWord(t Texts, lang Lang, st ComplaintStatus) string {
	key, ok := map[ComplaintStatus]Key{StatusOpen: KeyComplaintStatusOpen, StatusAcknowledged: KeyComplaintStatusAcknowledged,
		StatusResolved: KeyComplaintStatusResolved, StatusClosed: KeyComplaintStatusClosed}[st]
	if !ok {
		return string(st)
	}
	return t.Text(lang, key, nil)
}

// chartMessageIn is the outbox message carrying the digest's chart for week w, for
// toOwnersIn: only a short caption in lang as Title ("Scores, the 12 weeks to 2026-W47"; the
// text digest, queued before it, says it all in words) and the image.
func (s *Service) chartMessageIn(lang Lang, w Week, chart *Image) Message {
	return Message{Title: s.texts.Text(lang, KeyOwnersChartCaption, Args{"Weeks": TrendWeeks, "Week": w.String()}),
		Image: chart}
}
