package core

import "time"

var zeroTime time.Time

// customerText handles a plain message in a DM: an answer to what the bot asked, a survey
// answer, a message in an open complaint, or — failing all — an offer to file a complaint.
func (c *conv) customerText(ct *Contact) error {
	text := c.in.Text
	switch ct.Pending {
	case PendingForget:
		if yes, ok := yesNo(text); ok {
			return c.forget(ct, yes)
		}
	case PendingComplaintText:
		return c.openComplaint(ct, text, 0)
	case PendingLowScore:
		if yes, ok := yesNo(text); ok && !yes {
			return c.declineLowScore(ct)
		} else if ok {
			return c.openFromLowScore(ct, "")
		}
		return c.openFromLowScore(ct, text)
	case PendingFileOffer:
		if yes, ok := yesNo(text); ok {
			return c.fileOffer(ct, yes)
		}
		ct.PendingText = cleanText(ct.PendingText + "\n" + text)
		ct.PendingAt = c.now
		if err := c.tx.UpdateContact(*ct); err != nil {
			return err
		}
		return c.reply(fileOfferMessage("Got it, I added that."))
	}

	run, err := c.s.liveRun(c.tx, ct.ID)
	if err == nil {
		return c.s.typedAnswer(c, ct, run, text)
	} else if !IsNotFound(err) {
		return err
	}

	cp, err := c.s.activeComplaint(c.tx, ct.ID)
	if err == nil {
		if yes, ok := yesNo(text); ok && cp.Status == StatusResolved {
			return c.confirm(ct, cp, yes)
		}
		return c.customerThreadMessage(ct, cp, text)
	} else if !IsNotFound(err) {
		return err
	}

	if c.member != nil { // the team writes to the bot to act, not to complain
		return c.say("Hi %s! To answer a customer, send /reply C-12 your message; /complaints lists "+
			"the open ones and /help everything else.", c.member.Name)
	}
	ct.Pending, ct.PendingText, ct.PendingAt = PendingFileOffer, text, c.now
	if err := c.tx.UpdateContact(*ct); err != nil {
		return err
	}
	return c.reply(fileOfferMessage("Thanks for your message."))
}

func fileOfferMessage(lead string) Message {
	return Message{
		Text: lead + " Shall I pass it to our team as a complaint? They will reply here.",
		Choices: []Choice{
			{Label: "Yes, file a complaint", Payload: action{kind: "file", val: "y"}.String(), Style: StylePrimary},
			{Label: "No, thanks", Payload: action{kind: "file", val: "n"}.String()},
		},
	}
}

// action handles a button press: the team's (teamAction) or a customer's.
func (c *conv) action(a action, ct *Contact) error {
	if a.kind == "ack" || a.kind == "res" {
		return c.teamAction(a)
	}
	if ct == nil {
		c.notice("This button isn't for you.")
		return nil
	}
	switch a.kind {
	case "s":
		return c.s.buttonAnswer(c, ct, a)
	case "ok":
		cp, err := c.tx.Complaint(a.id)
		if IsNotFound(err) || (err == nil && cp.ContactID != ct.ID) {
			c.notice("This button isn't for you.")
			return nil
		} else if err != nil {
			return err
		}
		if cp.Status != StatusResolved {
			c.notice("Thanks — we already have your answer.")
			return nil
		}
		return c.confirm(ct, cp, a.val == "y")
	case "low":
		if ct.Pending != PendingLowScore || ct.PendingRun != a.id {
			c.notice("Thanks — we already have your answer.")
			return nil
		}
		if a.val == "n" {
			return c.declineLowScore(ct)
		}
		return c.openFromLowScore(ct, "")
	case "file":
		if ct.Pending != PendingFileOffer {
			c.notice("Thanks — we already have your answer.")
			return nil
		}
		return c.fileOffer(ct, a.val == "y")
	case "forget":
		if ct.Pending != PendingForget {
			c.notice("This question has expired. Send /forget again if you want your data erased.")
			return nil
		}
		return c.forget(ct, a.val == "y")
	}
	return nil
}

func (c *conv) clearPending(ct *Contact) error {
	ct.Pending, ct.PendingText, ct.PendingRun, ct.PendingAt = PendingNone, "", 0, zeroTime
	return c.tx.UpdateContact(*ct)
}

func (c *conv) fileOffer(ct *Contact, yes bool) error {
	text := ct.PendingText
	if !yes {
		if err := c.clearPending(ct); err != nil {
			return err
		}
		c.resp.Notice = "OK"
		return c.say("OK, I won't pass it on. If you change your mind, send /complain.")
	}
	return c.openComplaint(ct, text, 0)
}

func (c *conv) declineLowScore(ct *Contact) error {
	if err := c.clearPending(ct); err != nil {
		return err
	}
	c.resp.Notice = "OK"
	return c.say("Understood. Thank you for your honest answers — they help us get better.")
}

// openFromLowScore opens a complaint linked to the survey run that scored low. With no text
// (the button), the complaint text summarises the low answers.
func (c *conv) openFromLowScore(ct *Contact, text string) error {
	runID := ct.PendingRun
	if text == "" {
		summary, err := c.s.lowScoreSummary(c.tx, runID)
		if err != nil {
			return err
		}
		text = summary
	}
	return c.openComplaint(ct, text, runID)
}

func (c *conv) complainCommand(ct *Contact, text string) error {
	if text == "" {
		ct.Pending, ct.PendingText, ct.PendingAt = PendingComplaintText, "", c.now
		if err := c.tx.UpdateContact(*ct); err != nil {
			return err
		}
		return c.say("I'm sorry something went wrong. Please tell me what happened in one message, and I'll pass it to the team.")
	}
	return c.openComplaint(ct, text, 0)
}

// forget erases the customer after they confirmed.
func (c *conv) forget(ct *Contact, yes bool) error {
	if !yes {
		c.resp.Notice = "Kept"
		if err := c.clearPending(ct); err != nil {
			return err
		}
		return c.say("OK, nothing was erased.")
	}
	to := ChatRef(ct.Ref)
	if err := c.s.erase(c.tx, *ct, c.now); err != nil {
		return err
	}
	c.erased = true
	c.resp.Notice = "Erased"
	// Sent without a contact id: it holds no personal data and must survive the erase.
	_, err := c.tx.Enqueue(Outgoing{To: to, DM: true, Message: Message{
		Text: "Done: we erased your data. If you write to us again, we start afresh."}}, c.now)
	return err
}
