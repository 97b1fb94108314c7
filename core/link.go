package core

import "strconv"

// openInvite handles /start TOKEN. A token that names no invite (mistyped, forged), an
// expired invite and a single-use invite opened before each get one polite line and change
// nothing. Otherwise the opening is counted; an invite that carries the business's id for
// the customer links this account to it (and schedules the touchpoints that waited for the
// link); and an invite with a stage records a touchpoint, throttled as any other. A
// reusable invite records one touchpoint per opening, whoever opens it.
func (c *conv) openInvite(contact *Contact, token string) error {
	inv, err := c.tx.Invite(token)
	if IsNotFound(err) {
		return c.sayT(KeyInviteInvalid, nil)
	} else if err != nil {
		return err
	}
	if !inv.ExpiresAt.IsZero() && !inv.ExpiresAt.After(c.now) {
		return c.sayT(KeyInviteExpired, nil)
	}
	if inv.Uses != InviteMany && inv.UsedBy != 0 {
		if inv.UsedBy == contact.ID {
			return c.sayT(KeyInviteYours, nil)
		}
		return c.sayT(KeyInviteUsed, nil)
	}
	if contact.Name == "" && inv.Name != "" {
		contact.Name = inv.Name
		if err := c.tx.UpdateContact(*contact); err != nil {
			return err
		}
	}
	if err := c.tx.UseInvite(token, contact.ID, c.now); err != nil {
		return err
	}
	if !inv.Customer.IsZero() {
		if err := c.s.link(c.tx, *contact, inv.Customer, c.now); err != nil {
			return err
		}
	}
	if err := c.sayT(KeyInviteWelcome, Args{"Name": greetName(*contact), "Business": c.s.set.Business.Name}); err != nil {
		return err
	}
	if inv.Stage == "" {
		return nil
	}
	key := "invite:" + token
	if inv.Uses == InviteMany { // one touchpoint per opening: the event is the opening
		key += ":" + strconv.FormatInt(contact.ID, 10) + ":" + string(c.in.Platform) + ":" + c.in.EventID
	}
	_, err = c.s.touch(c.tx, *contact, TouchRequest{
		Customer: contact.Ref, Stage: inv.Stage, Ref: inv.Ref, OccurredAt: c.now, Key: key,
	}, c.now)
	return err
}
