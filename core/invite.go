package core

import (
	"context"
	"crypto/rand"
	"fmt"
)

// InviteRequest asks for an invite; Stage and Ref make opening it record a touchpoint.
type InviteRequest struct {
	Stage string
	Ref   string
	Name  string
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
	inv := Invite{Token: rand.Text(), Stage: r.Stage, Ref: cleanText(r.Ref), Name: cleanText(r.Name),
		CreatedAt: s.clock.Now()}
	if err := s.store.Update(ctx, func(tx Tx) error { return tx.CreateInvite(inv) }); err != nil {
		return Invite{}, fmt.Errorf("core: create invite: %w", err)
	}
	return inv, nil
}
