package core

import (
	"strings"
	"time"
)

// teamAction handles a team button on a complaint card: Acknowledge or Resolve (with the
// note typed in the platform's form as c.in.Text).
func (c *conv) teamAction(a action) error {
	if c.member == nil {
		return c.refuse(c.s.errIn(c.lang, EFORBIDDEN, KeyTeamOnlyMembers, nil))
	}
	cp, err := c.tx.Complaint(a.id)
	if IsNotFound(err) {
		return c.refuse(c.s.errIn(c.lang, ENOTFOUND, KeyTeamComplaintGone, nil))
	} else if err != nil {
		return err
	}
	if a.kind == "ack" {
		return c.acknowledge(cp)
	}
	return c.resolve(cp, c.in.Text)
}

// teamUsage is how to write each team command, for a member who left out the complaint.
var teamUsage = map[string]Key{"ack": KeyTeamUsageAck, "reply": KeyTeamUsageReply, "resolve": KeyTeamUsageResolve,
	"wait": KeyTeamUsageWait}

// teamCommand runs /complaints, /ack, /reply, /wait and /resolve for a member.
func (c *conv) teamCommand(cmd Command) error {
	if cmd.Name == "complaints" {
		return c.complaintsList(cmd.Args)
	}
	refText, rest, _ := strings.Cut(cmd.Args, " ")
	if refText == "" {
		return c.refuse(c.s.errIn(c.lang, EINVALID, teamUsage[cmd.Name], nil))
	}
	id, err := ParseComplaintRef(refText)
	if err != nil {
		return c.refuse(c.s.errIn(c.lang, EINVALID, KeyTeamNotARef, Args{"Text": refText}))
	}
	cp, err := c.tx.Complaint(id)
	if IsNotFound(err) {
		return c.refuse(c.s.errIn(c.lang, ENOTFOUND, KeyTeamNoComplaint, Args{"Ref": string(RefFor(id))}))
	} else if err != nil {
		return err
	}
	rest = strings.TrimSpace(rest)
	switch cmd.Name {
	case "ack":
		return c.acknowledge(cp)
	case "reply":
		if rest == "" {
			return c.refuse(c.s.errIn(c.lang, EINVALID, KeyTeamReplyWhat, Args{"Ref": string(cp.Ref())}))
		}
		if err := c.relay(cp, rest); err != nil {
			return err
		}
		if c.in.Inline || c.in.Direct { // in the team channel everyone sees the /reply itself
			return c.sayT(KeyTeamReplySent, Args{"Ref": string(cp.Ref())})
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
		return c.refuse(c.s.errIn(c.lang, EINVALID, KeyTeamComplaintsUsage, nil))
	}
	list, err := c.tx.Complaints(ComplaintFilter{Statuses: statuses})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return c.sayT(KeyTeamComplaintsNone, nil)
	}
	const max = 30
	var lines []string
	for i, cp := range list {
		if i == max {
			lines = append(lines, c.t(KeyTeamComplaintsMore, Args{"N": len(list) - max}))
			break
		}
		lines = append(lines, c.s.complaintLine(c.lang, cp, c.now))
	}
	return c.reply(Message{Title: c.t(KeyTeamComplaintsTitle, Args{"N": len(list)}), Text: strings.Join(lines, "\n")})
}

// complaintLine is one complaint of the /complaints list, in lang.
func (s *Service) complaintLine(lang Lang, cp Complaint, now time.Time) string {
	who := s.texts.Text(lang, KeyTeamUnowned, nil)
	if cp.AckBy != "" {
		who = cp.AckBy
	}
	line := s.texts.Text(lang, KeyTeamLine, Args{"Ref": string(cp.Ref()), "Status": s.statusWord(lang, cp.Status),
		"Who": who, "Age": s.duration(lang, now.Sub(cp.OpenedAt))})
	switch {
	case cp.Status == StatusOpen && cp.AckAt.IsZero() && now.After(cp.AckDue):
		line += " · " + s.texts.Text(lang, KeyTeamLineAckOverdue, nil)
	case !cp.WaitingAt.IsZero():
		line += " · " + s.texts.Text(lang, KeyTeamLineWaiting, nil)
	case (cp.Status == StatusOpen || cp.Status == StatusAcknowledged) && now.After(cp.ResolveDue):
		line += " · " + s.texts.Text(lang, KeyTeamLineOverdue, nil)
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
