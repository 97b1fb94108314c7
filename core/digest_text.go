package core

import (
	"fmt"
	"strings"
	"time"
)

// The digest as owners read it, in a language: the sentences come from the catalogs
// (keys_digest.go), numbers are written the language's way. digest --json stays
// language-neutral (digest_json.go).

// digestWriter renders a digest's parts in one language.
type digestWriter struct {
	t Texts
	l Lang
}

func (w digestWriter) text(k Key, args Args) string { return w.t.Text(w.l, k, args) }

// count renders a plural text for n.
func (w digestWriter) count(k Key, n int) string { return w.text(k, Args{"Count": n}) }

// num writes v with the given fraction digits the language's way.
func (w digestWriter) num(v float64, decimals int) string { return w.t.Number(w.l, v, decimals) }

// pct writes a share (v×scale percent) as a whole percentage, "n/a" without one.
func (w digestWriter) pct(v *float64, scale float64) string {
	if v == nil {
		return w.text(KeyDigestNA, nil)
	}
	return w.text(KeyDigestPercent, Args{"N": w.num(*v*scale, 0)})
}

func (w digestWriter) secs(v *float64) string {
	if v == nil {
		return w.text(KeyDigestNA, nil)
	}
	return SayDuration(w.t, w.l, time.Duration(*v)*time.Second)
}

// date writes a day as "Mon 16 Nov" (with the year: "Sun 22 Nov 2026"), the language's way.
func (w digestWriter) date(t time.Time, withYear bool) string {
	days := splitList(w.text(KeyDigestWeekdays, nil), 7)
	months := splitList(w.text(KeyDigestMonths, nil), 12)
	args := Args{"Weekday": days[t.Weekday()], "Day": t.Day(), "Month": months[t.Month()-1], "Year": t.Year()}
	if withYear {
		return w.text(KeyDigestDateYear, args)
	}
	return w.text(KeyDigestDate, args)
}

// splitList splits a comma-separated catalog list into n names; a short list is padded
// with numbers, so a broken catalog shows a date still.
func splitList(s string, n int) []string {
	parts := strings.Split(s, ",")
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint(i + 1)
		if i < len(parts) {
			out[i] = strings.TrimSpace(parts[i])
		}
	}
	return out
}

// Title is the digest's heading in lang.
func (d Digest) Title(t Texts, lang Lang) string {
	args := Args{"Business": d.Business, "Week": d.Week}
	if d.Partial {
		return t.Text(lang, KeyDigestTitleSoFar, args)
	}
	return t.Text(lang, KeyDigestTitle, args)
}

// Message renders the digest for owners in lang. A week with no activity is one line.
// withTitle adds the heading.
func (d Digest) Message(t Texts, lang Lang, withTitle bool) Message {
	m := Message{Pre: true}
	if withTitle {
		m.Title = d.Title(t, lang)
	}
	if d.Empty() {
		m.Pre = false
		m.Text = t.Text(lang, KeyDigestEmpty, Args{"Week": d.Week})
		return m
	}
	m.Text = d.Text(t, lang)
	return m
}

// ScoresMessage is /scores: the dimensions' lines of the week so far, in lang.
func (d Digest) ScoresMessage(t Texts, lang Lang) Message {
	return Message{Title: t.Text(lang, KeyDigestScoresTitle, Args{"Week": d.Week}), Text: d.ScoreLines(t, lang), Pre: true}
}

// Text is the digest as plain lines in lang. Each dimension's line starts with its key and
// its figure.
func (d Digest) Text(t Texts, lang Lang) string {
	w := digestWriter{t, lang}
	var b strings.Builder
	last := d.To.Add(-time.Hour)
	line := func(indent, s string) { b.WriteString(indent + s + "\n") }
	line("", w.text(KeyDigestWeek, Args{"Week": d.Week, "From": w.date(d.From, false), "To": w.date(last, true)}))
	b.WriteString("\n")
	line("", w.text(KeyDigestScores, nil))
	b.WriteString(d.ScoreLines(t, lang))
	b.WriteString("\n")
	sv := d.Surveys
	line("", w.text(KeyDigestSurveys, Args{"Sent": w.count(KeyDigestSent, sv.Sent),
		"Answered": w.count(KeyDigestAnswered, sv.Answered), "Rate": w.pct(sv.ResponseRate, 100)}))
	b.WriteString("\n")
	c := d.Complaints
	line("", w.text(KeyDigestComplaints, Args{"Opened": w.count(KeyDigestOpened, c.Opened),
		"Within": w.count(KeyDigestWithin, c.AckWithinStandard), "Pct": w.pct(c.AckWithinPct, 1)}))
	line("  ", w.text(KeyDigestMedians, Args{"Ack": w.secs(c.MedianAckSeconds), "Resolve": w.secs(c.MedianResolveSecond)}))
	line("  ", strings.Join([]string{w.count(KeyDigestResolved, c.Resolved), w.count(KeyDigestConfirmed, c.ConfirmedSolved),
		w.count(KeyDigestUnconfirmed, c.ClosedUnconfirmed), w.count(KeyDigestReopened, c.Reopened)}, ", "))
	if n := c.Breaches[string(BreachAcknowledge)] + c.Breaches[string(BreachResolve)]; n > 0 {
		line("  ", w.text(KeyDigestMissed, Args{"Ack": c.Breaches[string(BreachAcknowledge)], "Resolve": c.Breaches[string(BreachResolve)]}))
	}
	if c.WaitingOnCustomer > 0 {
		line("  ", w.text(KeyDigestWaiting, Args{"N": c.WaitingOnCustomer}))
	}
	if len(c.StillOpen) == 0 {
		line("  ", w.text(KeyDigestOpenNone, nil))
	} else {
		line("  ", w.text(KeyDigestOpenList, Args{"N": len(c.StillOpen)}))
		for i, o := range c.StillOpen {
			if i == 10 {
				line("    ", w.text(KeyDigestOpenMore, Args{"N": len(c.StillOpen) - 10}))
				break
			}
			owner := o.Owner
			if owner == "" {
				owner = w.text(KeyDigestUnowned, nil)
			}
			line("    ", w.text(KeyDigestOpenItem, Args{"Ref": o.Ref, "Status": StatusWord(w.t, w.l, o.Status), "Owner": owner,
				"Age": SayDuration(w.t, w.l, d.AsOf.Sub(o.OpenedAt))}))
		}
	}
	if d.DeadLetters > 0 {
		b.WriteString("\n")
		line("", w.text(KeyDigestDeadLetters, Args{"N": d.DeadLetters}))
	}
	if len(d.Comments) > 0 {
		b.WriteString("\n")
		line("", w.text(KeyDigestComments, nil))
		for _, cm := range d.Comments {
			score := ""
			if cm.MinScore != nil {
				score = " " + w.text(KeyDigestLowestScore, Args{"Score": *cm.MinScore})
			}
			line("  ", fmt.Sprintf("“%s”%s", excerpt(cm.Text, 160), score))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
