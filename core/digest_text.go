package core

import (
	"fmt"
	"strings"
	"time"
)

// Message renders the digest for owners. A week with no activity is one line. withTitle
// adds the heading.
func (d Digest) Message(withTitle bool) Message {
	m := Message{Pre: true}
	if withTitle {
		m.Title = fmt.Sprintf("%s · weekly digest %s", d.Business, d.Week)
		if d.Partial {
			m.Title += " (so far)"
		}
	}
	if d.Empty() {
		m.Pre = false
		m.Text = fmt.Sprintf("%s: no activity — no surveys sent, no answers, no complaints.", d.Week)
		return m
	}
	m.Text = d.Text()
	return m
}

// Text is the digest as plain lines. Each dimension line starts with its key and average.
func (d Digest) Text() string {
	var b strings.Builder
	last := d.To.Add(-time.Hour)
	fmt.Fprintf(&b, "Week %s (%s – %s)\n\n", d.Week, d.From.Format("Mon 2 Jan"), last.Format("Mon 2 Jan 2006"))
	b.WriteString("Scores (average, change, 8 weeks, answers)\n")
	b.WriteString(d.ScoreLines())
	b.WriteString("\n")
	sv := d.Surveys
	fmt.Fprintf(&b, "Surveys: %d sent, %d answered, response rate %s\n\n", sv.Sent, sv.Answered, pct(sv.ResponseRate, 100))
	c := d.Complaints
	fmt.Fprintf(&b, "Complaints: %d opened, %d acknowledged within standard (%s)\n", c.Opened, c.AckWithinStandard,
		pct(c.AckWithinPct, 1))
	fmt.Fprintf(&b, "  median time to acknowledge %s, to resolve %s\n", secs(c.MedianAckSeconds), secs(c.MedianResolveSecond))
	fmt.Fprintf(&b, "  %d resolved, %d confirmed solved, %d closed unconfirmed, %d reopened\n",
		c.Resolved, c.ConfirmedSolved, c.ClosedUnconfirmed, c.Reopened)
	if n := c.Breaches[string(BreachAcknowledge)] + c.Breaches[string(BreachResolve)]; n > 0 {
		fmt.Fprintf(&b, "  standards missed: %d to acknowledge, %d to resolve\n",
			c.Breaches[string(BreachAcknowledge)], c.Breaches[string(BreachResolve)])
	}
	if c.WaitingOnCustomer > 0 {
		fmt.Fprintf(&b, "  waiting on the customer: %d (their resolve clock is paused)\n", c.WaitingOnCustomer)
	}
	if len(c.StillOpen) == 0 {
		b.WriteString("  still open: none\n")
	} else {
		fmt.Fprintf(&b, "  still open (%d, oldest first):\n", len(c.StillOpen))
		for i, o := range c.StillOpen {
			if i == 10 {
				fmt.Fprintf(&b, "    … and %d more\n", len(c.StillOpen)-10)
				break
			}
			owner := o.Owner
			if owner == "" {
				owner = "unowned"
			}
			fmt.Fprintf(&b, "    %s  %s  %s  open %s\n", o.Ref, o.Status, owner, HumanDuration(d.AsOf.Sub(o.OpenedAt)))
		}
	}
	if d.DeadLetters > 0 {
		fmt.Fprintf(&b, "\nUndeliverable messages: %d (see the log)\n", d.DeadLetters)
	}
	if len(d.Comments) > 0 {
		b.WriteString("\nLowest-scored comments\n")
		for _, cm := range d.Comments {
			score := ""
			if cm.MinScore != nil {
				score = fmt.Sprintf(" (lowest score %d)", *cm.MinScore)
			}
			fmt.Fprintf(&b, "  “%s”%s\n", excerpt(cm.Text, 160), score)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// ScoreLines is one line per dimension: key, average, change, sparkline, answers.
func (d Digest) ScoreLines() string {
	if len(d.Dimensions) == 0 {
		return "(no scale questions configured)\n"
	}
	width := 0
	for _, dim := range d.Dimensions {
		width = max(width, len(dim.Key))
	}
	var b strings.Builder
	for _, dim := range d.Dimensions {
		avg := "  –"
		if dim.Average != nil {
			avg = fmt.Sprintf("%4.1f", *dim.Average)
		}
		change := "     "
		switch {
		case dim.Change == nil:
		case *dim.Change > 0:
			change = fmt.Sprintf("▲%4.1f", *dim.Change)
		case *dim.Change < 0:
			change = fmt.Sprintf("▼%4.1f", -*dim.Change)
		default:
			change = "  =  "
		}
		fmt.Fprintf(&b, "%-*s %s  %s  %s  %d\n", width, dim.Key, strings.TrimLeft(avg, " "), change,
			Sparkline(dim.Trend), dim.Responses)
	}
	return b.String()
}

// Sparkline draws values (a 1–10 scale) as bars; a missing value is a dot.
func Sparkline(vals []*float64) string {
	bars := []rune("▁▂▃▄▅▆▇█")
	out := make([]rune, len(vals))
	for i, v := range vals {
		if v == nil {
			out[i] = '·'
			continue
		}
		idx := int((*v - 1) / 9 * float64(len(bars)-1))
		out[i] = bars[max(0, min(len(bars)-1, idx))]
	}
	return string(out)
}

func pct(v *float64, scale float64) string {
	if v == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.0f%%", *v*scale)
}

func secs(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return HumanDuration(time.Duration(*v) * time.Second)
}
