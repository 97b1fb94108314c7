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
		return c.sayT(KeyMemberHint, Args{"Member": c.member.Name})
	}
	_, err = c.ask(ct, prompt{kind: PendingFileOffer, text: text}, c.fileOfferMessage(KeyFileOffer), 0)
	return err
}

// fileOfferMessage asks the customer, in their language, whether to file what they wrote;
// key is the offer's text (the first offer, or one after more words).
func (c *conv) fileOfferMessage(key Key) Message {
	return Message{
		Text: c.t(key, nil),
		Choices: []Choice{
			{Label: c.t(KeyFileYes, nil), Payload: action{kind: "file", val: "y"}.String(), Style: StylePrimary},
			{Label: c.t(KeyFileNo, nil), Payload: action{kind: "file", val: "n"}.String()},
		},
	}
}

func (c *conv) fileOffer(ct *Contact, yes bool) error {
	text := ct.PendingText
	if !yes {
		if err := c.closePrompt(ct); err != nil {
			return err
		}
		c.resp.Notice = c.t(KeyNoticeOK, nil)
		if err := c.sayT(KeyFileDeclined, nil); err != nil {
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
	c.resp.Notice = c.t(KeyNoticeOK, nil)
	if err := c.sayT(KeyLowScoreDeclined, nil); err != nil {
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
		_, err := c.ask(ct, prompt{kind: PendingComplaintText}, Message{Text: c.t(KeyComplainAsk, nil)}, 0)
		return err
	}
	return c.openComplaint(ct, text, 0)
}

// forget erases the customer after they confirmed.
func (c *conv) forget(ct *Contact, yes bool) error {
	if !yes {
		c.resp.Notice = c.t(KeyForgetKeptShort, nil)
		if err := c.closePrompt(ct); err != nil {
			return err
		}
		if err := c.sayT(KeyForgetKept, nil); err != nil {
			return err
		}
		return c.next(ct)
	}
	to := ChatRef(ct.Ref)
	if err := c.s.erase(c.tx, *ct, c.now); err != nil {
		return err
	}
	c.erased = true
	c.resp.Notice = c.t(KeyForgetDoneShort, nil)
	// Enqueued after the erase, so it survives it; it holds no personal data, and the store
	// drops its address once it is delivered (MarkSent on an erased contact's message).
	_, err := c.tx.Enqueue(Outgoing{To: to, DM: true, ContactID: ct.ID, Message: Message{
		Text: c.t(KeyForgetDone, nil)}}, c.now)
	return err
}
