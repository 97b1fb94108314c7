package postgres

import (
	"fmt"
	"time"

	"earshot/core"
)

const inviteCols = `token, stage, ref, name, created_at, used_at, used_by, customer_ns, customer_id, uses,
	expires_at, opens`

func scanInvite(s scanner) (core.Invite, error) {
	var i core.Invite
	err := s.Scan(&i.Token, &i.Stage, &i.Ref, &i.Name, timeOf(&i.CreatedAt), timeOf(&i.UsedAt),
		nullIDOf(&i.UsedBy), &i.Customer.Namespace, &i.Customer.ID, &i.Uses, timeOf(&i.ExpiresAt), &i.Opens)
	return i, err
}

const qCreateInvite = `INSERT INTO invites (` + inviteCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
	ON CONFLICT (token) DO NOTHING`

// CreateInvite inserts inv; ECONFLICT if its token is taken.
func (t *tx) CreateInvite(inv core.Invite) error {
	uses := inv.Uses
	if uses == "" {
		uses = core.InviteOnce
	}
	n, err := t.exec(qCreateInvite, inv.Token, inv.Stage, inv.Ref, inv.Name, ms(inv.CreatedAt),
		ms(inv.UsedAt), nullID(inv.UsedBy), inv.Customer.Namespace, inv.Customer.ID, string(uses), ms(inv.ExpiresAt),
		inv.Opens)
	if err != nil {
		return fmt.Errorf("postgres: create invite: %w", err)
	}
	if n == 0 {
		return core.Errorf(core.ECONFLICT, "invite token exists")
	}
	return nil
}

const qInvite = `SELECT ` + inviteCols + ` FROM invites WHERE token = $1`

// Invite returns the invite with the token (ENOTFOUND).
func (t *tx) Invite(token string) (core.Invite, error) {
	i, err := scanInvite(t.queryRow(qInvite, token))
	if err != nil {
		return core.Invite{}, notFound(err, "invite", "invite not found")
	}
	return i, nil
}

const qUseInvite = `UPDATE invites SET used_at = $1, opens = opens + 1,
	used_by = CASE WHEN uses = 'many' THEN used_by ELSE $2 END WHERE token = $3`

// UseInvite counts an opening of the invite and sets used_at; a single-use invite also
// gets used_by (ENOTFOUND).
func (t *tx) UseInvite(token string, contactID int64, at time.Time) error {
	n, err := t.exec(qUseInvite, ms(at), nullID(contactID), token)
	if err != nil {
		return fmt.Errorf("postgres: use invite: %w", err)
	}
	return affected(n, "invite not found")
}
