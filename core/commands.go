package core

import (
	"strings"
)

// command runs a typed command from a customer, a team member or an owner. Who may use it
// comes from the command table (Commands); the handlers follow.
func (c *conv) command(cmd Command, contact *Contact) error {
	spec, known := LookupCommand(cmd.Name)
	switch {
	case !known:
		return c.sayT(KeyCommandUnknown, Args{"Command": cmd.Name})
	case spec.Audience == AudienceTeam:
		if c.member == nil {
			c.noticeT(KeyCommandTeamOnly, Args{"Command": cmd.Name})
			return nil
		}
		return c.teamCommand(cmd)
	case spec.Audience == AudienceOwner:
		if c.member == nil || c.member.Role != RoleOwner {
			c.noticeT(KeyCommandOwnerOnly, Args{"Command": cmd.Name})
			return nil
		}
		return c.ownerCommand(cmd)
	case cmd.Name == "help":
		return c.reply(c.helpMessage())
	}
	if contact == nil {
		return c.sayT(KeyCommandPrivateOnly, Args{"Command": cmd.Name})
	}
	switch cmd.Name {
	case "start":
		return c.start(contact, cmd.Args)
	case "complain":
		return c.complainCommand(contact, cmd.Args)
	case "status":
		return c.status(contact)
	case "stop":
		return c.stop(contact)
	case "language":
		return c.languageCommand(contact, cmd.Args)
	case "resume":
		contact.OptedOutAt = zeroTime
		if err := c.tx.UpdateContact(*contact); err != nil {
			return err
		}
		return c.sayT(KeyResumeDone, nil)
	case "forget":
		_, err := c.ask(contact, prompt{kind: PendingForget}, Message{
			Text: c.t(KeyForgetAsk, nil),
			Choices: []Choice{
				{Label: c.t(KeyForgetYes, nil), Payload: action{kind: "forget", val: "y"}.String(), Style: StyleDanger},
				{Label: c.t(KeyForgetNo, nil), Payload: action{kind: "forget", val: "n"}.String()},
			},
		}, 0)
		return err
	}
	return nil
}

// helpMessage lists, from the command table, the commands the sender may use, in their
// language: a customer's, then the team's and the owners' for members who are.
func (c *conv) helpMessage() Message {
	lines := c.helpLines(CommandsFor(AudienceCustomer))
	if m := c.member; m != nil {
		lines = append(append(lines, "", c.t(KeyHelpTeam, nil)), c.helpLines(CommandsFor(AudienceTeam))...)
		if m.Role == RoleOwner {
			lines = append(append(lines, "", c.t(KeyHelpOwners, nil)), c.helpLines(CommandsFor(AudienceOwner))...)
		}
	}
	return Message{Title: c.t(KeyHelpTitle, nil), Text: strings.Join(lines, "\n")}
}

func (c *conv) helpLines(cmds []CommandSpec) []string {
	var out []string
	for _, spec := range cmds {
		out = append(out, spec.Usage()+" — "+c.t(spec.Key, nil))
	}
	return out
}

// start handles /start with an optional invite token.
func (c *conv) start(contact *Contact, token string) error {
	if token == "" {
		return c.sayT(KeyStartHello, Args{"Name": greetName(*contact), "Business": c.s.set.Business.Name})
	}
	return c.openInvite(contact, token)
}

func greetName(ct Contact) string {
	if ct.Name == "" {
		return ""
	}
	first, _, _ := strings.Cut(ct.Name, " ")
	return " " + first
}

// status lists the customer's open complaints and live survey.
func (c *conv) status(contact *Contact) error {
	var lines []string
	list, err := c.tx.Complaints(ComplaintFilter{ContactID: contact.ID,
		Statuses: []ComplaintStatus{StatusOpen, StatusAcknowledged, StatusResolved}})
	if err != nil {
		return err
	}
	for _, cp := range list {
		lines = append(lines, c.customerStatusLine(cp))
	}
	runs, err := c.tx.Runs(RunFilter{ContactID: contact.ID, States: []RunState{RunSent, RunInProgress}})
	if err != nil {
		return err
	}
	for _, r := range runs {
		lines = append(lines, c.t(KeyStatusSurvey, Args{"Number": r.Question + 1}))
	}
	if !contact.OptedOutAt.IsZero() {
		lines = append(lines, c.t(KeyStatusOptedOut, nil))
	}
	if len(lines) == 0 {
		lines = append(lines, c.t(KeyStatusNothing, nil))
	}
	return c.reply(Message{Title: c.t(KeyStatusTitle, nil), Text: strings.Join(lines, "\n")})
}

func (c *conv) customerStatusLine(cp Complaint) string {
	switch cp.Status {
	case StatusAcknowledged:
		return c.t(KeyStatusOnIt, Args{"Ref": cp.Ref(), "Member": cp.AckBy})
	case StatusResolved:
		return c.t(KeyStatusResolved, Args{"Ref": cp.Ref()})
	}
	return c.t(KeyStatusReceived, Args{"Ref": cp.Ref(),
		"When": c.s.promise(c.lang, cp.AckDue, c.s.set.Complaints.AcknowledgeWithin, c.s.clock.Now())})
}

// stop opts the customer out of surveys: scheduled ones are skipped, a live one ends.
func (c *conv) stop(contact *Contact) error {
	contact.OptedOutAt = c.now
	if err := c.tx.UpdateContact(*contact); err != nil {
		return err
	}
	if err := c.s.endSurveys(c.tx, contact.ID, "opted out (/stop)", c.now); err != nil {
		return err
	}
	fresh, err := c.tx.Contact(contact.ID) // endSurveys closed the survey's question
	if err != nil {
		return err
	}
	*contact = fresh
	return c.sayT(KeyStopDone, nil)
}
