package core

import (
	"fmt"
	"strings"
)

// command runs a typed command from a customer, a team member or an owner. Who may use it
// comes from the command table (Commands); the handlers follow.
func (c *conv) command(cmd Command, contact *Contact) error {
	spec, known := LookupCommand(cmd.Name)
	switch {
	case !known:
		return c.say("I don't know the command /%s. Send /help to see what I can do.", cmd.Name)
	case spec.Audience == AudienceTeam:
		if c.member == nil {
			return c.refuse(Errorf(EFORBIDDEN, "Only team members can use /%s.", cmd.Name))
		}
		return c.teamCommand(cmd)
	case spec.Audience == AudienceOwner:
		if c.member == nil || c.member.Role != RoleOwner {
			return c.refuse(Errorf(EFORBIDDEN, "Only owners can use /%s.", cmd.Name))
		}
		return c.ownerCommand(cmd)
	case cmd.Name == "help":
		return c.reply(helpMessage(c.member))
	}
	if contact == nil {
		return c.say("Please send /%s to me in a private chat.", cmd.Name)
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
	case "resume":
		contact.OptedOutAt = zeroTime
		if err := c.tx.UpdateContact(*contact); err != nil {
			return err
		}
		return c.say("Welcome back: you'll get our short surveys again. Send /stop any time.")
	case "forget":
		_, err := c.ask(contact, prompt{kind: PendingForget}, Message{
			Text: "This erases everything we hold about you: your name, your answers' comments and " +
				"your complaints' messages. Scores stay, anonymously. Erase your data?",
			Choices: []Choice{
				{Label: "Yes, erase my data", Payload: action{kind: "forget", val: "y"}.String(), Style: StyleDanger},
				{Label: "No, keep it", Payload: action{kind: "forget", val: "n"}.String()},
			},
		}, 0)
		return err
	}
	return nil
}

// helpMessage lists, from the command table, the commands m may use: a customer's, then the
// team's and the owners' for members who are.
func helpMessage(m *Member) Message {
	lines := helpLines(CommandsFor(AudienceCustomer))
	if m != nil {
		lines = append(append(lines, "", "Team:"), helpLines(CommandsFor(AudienceTeam))...)
		if m.Role == RoleOwner {
			lines = append(append(lines, "", "Owners:"), helpLines(CommandsFor(AudienceOwner))...)
		}
	}
	return Message{Title: "What I can do", Text: strings.Join(lines, "\n")}
}

func helpLines(cmds []CommandSpec) []string {
	var out []string
	for _, c := range cmds {
		out = append(out, c.Usage()+" — "+CommandText("", c.Key))
	}
	return out
}

// start handles /start with an optional invite token.
func (c *conv) start(contact *Contact, token string) error {
	name := c.s.set.Business.Name
	if token == "" {
		return c.say("Hi%s! This is %s. We'll sometimes ask how we did — it takes a minute. "+
			"If something is wrong, just tell us here or send /complain. /help lists everything.",
			greetName(*contact), name)
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
		lines = append(lines, fmt.Sprintf("A survey is waiting for your answer (question %d).", r.Question+1))
	}
	if !contact.OptedOutAt.IsZero() {
		lines = append(lines, "You have turned surveys off (/resume to turn them on).")
	}
	if len(lines) == 0 {
		lines = append(lines, "Nothing open. If something is wrong, just tell us here.")
	}
	return c.reply(Message{Title: "Your status", Text: strings.Join(lines, "\n")})
}

func (c *conv) customerStatusLine(cp Complaint) string {
	switch cp.Status {
	case StatusAcknowledged:
		return fmt.Sprintf("%s: %s is on it.", cp.Ref(), cp.AckBy)
	case StatusResolved:
		return fmt.Sprintf("%s: resolved — is your problem solved? Answer yes or no.", cp.Ref())
	}
	return fmt.Sprintf("%s: received; our team replies %s.", cp.Ref(),
		c.s.promise(cp.AckDue, c.s.set.Complaints.AcknowledgeWithin, c.s.clock.Now()))
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
	return c.say("Done: no more surveys from us. You can still tell us about a problem any time. " +
		"Send /resume to get surveys again.")
}
