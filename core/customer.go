package core

import "time"

var zeroTime time.Time

// customerText handles a plain message in a DM: it answers the open prompt; failing that it
// joins the open complaint's thread; failing both it gets the offer to file it.
func (c *conv) customerText(ct *Contact) error {
	text := c.in.Text
	if handled, err := c.typed(ct, text); handled || err != nil {
		return err
	}
	cp, err := c.activeComplaint(ct.ID)
	if err == nil {
		return c.customerThreadMessage(ct, cp, text)
	} else if !IsNotFound(err) {
		return err
	}
	if c.member != nil { // the team writes to the bot to act, not to complain
		return c.say("Hi %s! To answer a customer, send /reply C-12 your message; /complaints lists "+
			"the open ones and /help everything else.", c.member.Name)
	}
	_, err = c.ask(ct, prompt{kind: PendingFileOffer, text: text}, fileOfferMessage("Thanks for your message."), 0)
	return err
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

func (c *conv) fileOffer(ct *Contact, yes bool) error {
	text := ct.PendingText
	if !yes {
		if err := c.closePrompt(ct); err != nil {
			return err
		}
		c.resp.Notice = "OK"
		if err := c.say("OK, I won't pass it on. If you change your mind, send /complain."); err != nil {
			return err
		}
		return c.next(ct)
	}
	return c.openComplaint(ct, text, 0)
}

func (c *conv) declineLowScore(ct *Contact) error {
	if err := c.closePrompt(ct); err != nil {
		return err
	}
	c.resp.Notice = "OK"
	if err := c.say("Understood. Thank you for your honest answers — they help us get better."); err != nil {
		return err
	}
	return c.next(ct)
}

// openFromLowScore opens a complaint linked to the survey run that scored low. With no text
// (the button), the complaint text summarises the low answers.
func (c *conv) openFromLowScore(ct *Contact, text string) error {
	runID := ct.PendingRun
	if text == "" {
		summary, err := c.lowScoreSummary(runID)
		if err != nil {
			return err
		}
		text = summary
	}
	return c.openComplaint(ct, text, runID)
}

func (c *conv) complainCommand(ct *Contact, text string) error {
	if text == "" {
		_, err := c.ask(ct, prompt{kind: PendingComplaintText}, Message{Text: "I'm sorry something went wrong. " +
			"Please tell me what happened in one message, and I'll pass it to the team."}, 0)
		return err
	}
	return c.openComplaint(ct, text, 0)
}

// forget erases the customer after they confirmed.
func (c *conv) forget(ct *Contact, yes bool) error {
	if !yes {
		c.resp.Notice = "Kept"
		if err := c.closePrompt(ct); err != nil {
			return err
		}
		if err := c.say("OK, nothing was erased."); err != nil {
			return err
		}
		return c.next(ct)
	}
	to := ChatRef(ct.Ref)
	if err := c.s.erase(c.tx, *ct, c.now); err != nil {
		return err
	}
	c.erased = true
	c.resp.Notice = "Erased"
	// Enqueued after the erase, so it survives it; it holds no personal data, and the store
	// drops its address once it is delivered (MarkSent on an erased contact's message).
	_, err := c.tx.Enqueue(Outgoing{To: to, DM: true, ContactID: ct.ID, Message: Message{
		Text: "Done: we erased your data. If you write to us again, we start afresh."}}, c.now)
	return err
}
