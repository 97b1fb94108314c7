package core

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"
)

// InviteRequest asks for an invite; Stage and Ref make opening it record a touchpoint.
type InviteRequest struct {
	Stage string
	Ref   string
	Name  string
	// Customer is the business's own id for the customer (shop:4711): opening the invite
	// links the chat account to it. Only a single-use invite may carry one.
	Customer CustomerRef
	// Uses is InviteOnce (the default) or InviteMany: a poster or a counter card that anyone
	// may open, each opening recording a touchpoint.
	Uses      InviteUses
	ExpiresAt time.Time // zero: never
}

// CreateInvite makes an invite with an unguessable token (26 base32 characters, which
// fits Telegram's 64-character start parameter).
func (s *Service) CreateInvite(ctx context.Context, r InviteRequest) (Invite, error) {
	if r.Stage != "" {
		if err := s.checkStage(r.Stage); err != nil {
			return Invite{}, err
		}
	}
	if len(r.Ref) > 200 || len(r.Name) > 200 {
		return Invite{}, Errorf(EINVALID, "ref and name are limited to 200 characters")
	}
	now := s.clock.Now()
	switch r.Uses {
	case "":
		r.Uses = InviteOnce
	case InviteOnce, InviteMany:
	default:
		return Invite{}, Errorf(EINVALID, "uses: %q is neither once nor many", r.Uses)
	}
	if !r.ExpiresAt.IsZero() && !r.ExpiresAt.After(now) {
		return Invite{}, Errorf(EINVALID, "expires_at: %s is not in the future", r.ExpiresAt.UTC().Format(time.RFC3339))
	}
	if !r.Customer.IsZero() {
		if r.Customer.External.IsZero() {
			return Invite{}, Errorf(EINVALID, "customer: %s is a chat account already; an invite carries the business's own id (NAMESPACE:ID, like shop:4711)", r.Customer)
		}
		if _, err := s.ParseCustomer(r.Customer.String()); err != nil {
			return Invite{}, err
		}
		if r.Uses == InviteMany {
			return Invite{}, Errorf(EINVALID, "a reusable invite (uses: many) cannot carry a customer: everyone who opens it would be linked to %s", r.Customer)
		}
	}
	inv := Invite{Token: rand.Text(), Stage: r.Stage, Ref: cleanText(r.Ref), Name: cleanText(r.Name),
		CreatedAt: now, Customer: r.Customer.External, Uses: r.Uses, ExpiresAt: r.ExpiresAt}
	if err := s.store.Update(ctx, func(tx Tx) error { return tx.CreateInvite(inv) }); err != nil {
		return Invite{}, fmt.Errorf("core: create invite: %w", err)
	}
	return inv, nil
}

// Invite returns the invite with the token (ENOTFOUND).
func (s *Service) Invite(ctx context.Context, token string) (Invite, error) {
	var inv Invite
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		inv, err = tx.Invite(token)
		return err
	})
	if err != nil {
		return Invite{}, fmt.Errorf("core: invite: %w", err)
	}
	return inv, nil
}
