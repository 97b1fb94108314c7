package core

import (
	"fmt"
	"strings"
	"time"
)

// teamAction handles a team button on a complaint card: Acknowledge or Resolve (with the
// note typed in the platform's form as c.in.Text).
func (c *conv) teamAction(a action) error {
	if c.member == nil {
		return c.refuse(Errorf(EFORBIDDEN, "Only team members can do that."))
	}
	cp, err := c.tx.Complaint(a.id)
	if IsNotFound(err) {
		return c.refuse(Errorf(ENOTFOUND, "That complaint no longer exists."))
	} else if err != nil {
		return err
	}
	if a.kind == "ack" {
		return c.acknowledge(cp)
	}
	return c.resolve(cp, c.in.Text)
}

// teamCommand runs /complaints, /ack, /reply, /wait and /resolve for a member.
func (c *conv) teamCommand(cmd Command) error {
	if cmd.Name == "complaints" {
		return c.complaintsList(cmd.Args)
	}
	refText, rest, _ := strings.Cut(cmd.Args, " ")
	if refText == "" {
		usage := map[string]string{"ack": "/ack C-12", "reply": "/reply C-12 your message", "resolve": "/resolve C-12 [note]",
			"wait": "/wait C-12 [question]"}
		return c.refuse(Errorf(EINVALID, "Which complaint? Use %s.", usage[cmd.Name]))
	}
	id, err := ParseComplaintRef(refText)
	if err != nil {
		return c.refuse(err)
	}
	cp, err := c.tx.Complaint(id)
	if IsNotFound(err) {
		return c.refuse(Errorf(ENOTFOUND, "There is no complaint %s.", RefFor(id)))
	} else if err != nil {
		return err
	}
	rest = strings.TrimSpace(rest)
	switch cmd.Name {
	case "ack":
		return c.acknowledge(cp)
	case "reply":
		if rest == "" {
			return c.refuse(Errorf(EINVALID, "What should I tell the customer? Use /reply %s your message.", cp.Ref()))
		}
		if err := c.relay(cp, rest); err != nil {
			return err
		}
		if c.in.Inline || c.in.Direct { // in the team channel everyone sees the /reply itself
			return c.say("Sent to the customer of %s.", cp.Ref())
		}
		return nil
	case "wait":
		return c.wait(cp, rest)
	default:
		return c.resolve(cp, rest)
	}
}

// complaintsList lists complaints, by default the ones not closed, oldest first.
func (c *conv) complaintsList(filter string) error {
	var statuses []ComplaintStatus
	switch f := strings.ToLower(strings.TrimSpace(filter)); f {
	case "", "active":
		statuses = []ComplaintStatus{StatusOpen, StatusAcknowledged, StatusResolved}
	case "all":
	case "open", "acknowledged", "resolved", "closed":
		statuses = []ComplaintStatus{ComplaintStatus(f)}
	default:
		return c.refuse(Errorf(EINVALID, "Use /complaints [open|acknowledged|resolved|closed|all]."))
	}
	list, err := c.tx.Complaints(ComplaintFilter{Statuses: statuses})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return c.say("No complaints to show. 🎉")
	}
	const max = 30
	var lines []string
	for i, cp := range list {
		if i == max {
			lines = append(lines, fmt.Sprintf("… and %d more", len(list)-max))
			break
		}
		lines = append(lines, c.s.complaintLine(cp, c.now))
	}
	return c.reply(Message{Title: fmt.Sprintf("Complaints (%d)", len(list)), Text: strings.Join(lines, "\n")})
}

func (s *Service) complaintLine(cp Complaint, now time.Time) string {
	who := "unowned"
	if cp.AckBy != "" {
		who = cp.AckBy
	}
	line := fmt.Sprintf("%s · %s · %s · %s old", cp.Ref(), cp.Status, who, HumanDuration(now.Sub(cp.OpenedAt)))
	if cp.Status == StatusOpen && cp.AckAt.IsZero() && now.After(cp.AckDue) {
		line += " · ACK OVERDUE"
	} else if !cp.WaitingAt.IsZero() {
		line += " · waiting for the customer"
	} else if (cp.Status == StatusOpen || cp.Status == StatusAcknowledged) && now.After(cp.ResolveDue) {
		line += " · OVERDUE"
	}
	return line + " · " + excerpt(cp.Text, 60)
}

// ownerCommand runs /digest, /scores and /dashboard.
func (c *conv) ownerCommand(cmd Command) error {
	if cmd.Name == "dashboard" {
		m, err := c.s.DashboardCommand(c.tx, c.in, c.now)
		if ErrorCode(err) == EINTERNAL {
			return err
		} else if err != nil {
			return c.refuse(err)
		}
		return c.reply(m)
	}
	week := WeekOf(c.now, c.s.set.Business.Location)
	d, err := c.s.digest(c.tx, week, c.now)
	if err != nil {
		return err
	}
	if cmd.Name == "scores" {
		return c.reply(d.ScoresMessage(c.s.texts, c.lang))
	}
	return c.reply(d.Message(c.s.texts, c.lang, true))
}
