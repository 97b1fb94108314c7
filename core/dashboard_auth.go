package core

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// How long the owners' page's credentials last.
const (
	DashboardLinkTTL    = 15 * time.Minute
	DashboardSessionTTL = 12 * time.Hour
)

// DashboardLoginPath is where a link opens, under Settings.PublicURL; the token goes in its
// query (the request log never writes queries).
const DashboardLoginPath = "/dashboard/login"

// DashboardSession is a signed-in owner's session of the owners' page. Token goes in the
// session cookie; only its hash is stored.
type DashboardSession struct {
	Token     string
	Member    string
	ExpiresAt time.Time
}

// DashboardLink returns a private link for the owner writing from account `from` to open the
// owners' page: valid DashboardLinkTTL, usable once. Anyone else gets EFORBIDDEN, and an
// owner gets EINVALID saying how to set http.public_url while it is unset.
func (s *Service) DashboardLink(ctx context.Context, from UserRef) (string, error) {
	var link string
	err := s.update(ctx, func(tx Tx) error {
		var err error
		link, err = s.dashboardLink(tx, from, s.clock.Now())
		return err
	})
	if err != nil {
		return "", fmt.Errorf("core: dashboard link: %w", err)
	}
	return link, nil
}

// DashboardCommand is /dashboard. Wiring it is a row in commandTable
// ({Name: "dashboard", Audience: AudienceOwner, Key: "cmd.dashboard"}) and, in ownerCommand,
//
//	if cmd.Name == "dashboard" {
//		m, err := c.s.DashboardCommand(c.tx, c.in, c.now)
//		if ErrorCode(err) == EINTERNAL {
//			return err
//		} else if err != nil {
//			return c.refuse(err)
//		}
//		return c.reply(m)
//	}
//
// An owner gets the link where only they see it — a one-to-one chat, or an inline
// (ephemeral) reply; in a group everyone would see it, so nobody gets it there. The refusals
// are *Error with a message for the person.
//
// The link and the refusals are in the sender's language: an owner's own, else the business's.
func (s *Service) DashboardCommand(tx Tx, in Incoming, now time.Time) (Message, error) {
	lang := s.accountLang(in.From)
	if _, err := s.dashboardOwner(in.From); err != nil {
		return Message{}, err
	}
	if !in.Direct && !in.Inline {
		return Message{}, s.errIn(lang, EFORBIDDEN, KeyOwnersDMOnly, nil)
	}
	link, err := s.dashboardLink(tx, in.From, now)
	if err != nil {
		return Message{}, err
	}
	return Message{Title: s.texts.Text(lang, KeyOwnersLinkTitle, nil),
		Text:   s.texts.Text(lang, KeyOwnersLinkText, Args{"Link": link}),
		Footer: s.texts.Text(lang, KeyOwnersLinkFooter, nil)}, nil
}

// accountLang is the language of whoever writes from account u: a member's own, else the
// business's.
func (s *Service) accountLang(u UserRef) Lang {
	if m, ok := s.set.Team.MemberFor(u); ok {
		return s.memberLang(m)
	}
	return s.texts.Default()
}

// dashboardOwner returns the owner who has account u: EFORBIDDEN for anyone else.
func (s *Service) dashboardOwner(u UserRef) (Member, error) {
	m, ok := s.set.Team.MemberFor(u)
	if !ok || m.Role != RoleOwner {
		return Member{}, s.errIn(s.accountLang(u), EFORBIDDEN, KeyOwnersOnly, nil)
	}
	return m, nil
}

func (s *Service) dashboardLink(tx Tx, from UserRef, now time.Time) (string, error) {
	m, err := s.dashboardOwner(from)
	if err != nil {
		return "", err
	}
	if s.set.PublicURL == "" {
		return "", s.errIn(s.memberLang(m), EINVALID, KeyOwnersNoPublicURL, nil)
	}
	token, hash, err := newDashboardToken()
	if err != nil {
		return "", err
	}
	tok := DashboardToken{Hash: hash, Kind: TokenLink, Member: m.Name, Account: from, CreatedAt: now,
		ExpiresAt: now.Add(DashboardLinkTTL)}
	if err := tx.CreateDashboardToken(tok); err != nil {
		return "", err
	}
	return s.set.PublicURL + DashboardLoginPath + "?token=" + url.QueryEscape(token), nil
}

// CheckDashboardLink says whether a link would open a session, without using it up (a page
// that asks "open?" first, so that a chat app fetching the link for a preview spends
// nothing). It returns the error OpenDashboard would.
func (s *Service) CheckDashboardLink(ctx context.Context, link string) error {
	return s.store.View(ctx, func(tx Tx) error {
		_, err := s.usableLink(tx, link, s.clock.Now())
		return err
	})
}

// OpenDashboard uses up a link and starts a session for its owner, valid
// DashboardSessionTTL. A link unknown, used before or expired, or whose member is no longer
// an owner, gets an *Error saying so.
func (s *Service) OpenDashboard(ctx context.Context, link string) (DashboardSession, error) {
	var sess DashboardSession
	err := s.update(ctx, func(tx Tx) error {
		now := s.clock.Now()
		tok, err := s.usableLink(tx, link, now)
		if err != nil {
			return err
		}
		if err := tx.UseDashboardToken(tok.Hash, now); err != nil {
			if ErrorCode(err) == ECONFLICT {
				return s.linkErr(ECONFLICT, KeyOwnersLinkUsed)
			}
			return err
		}
		token, hash, err := newDashboardToken()
		if err != nil {
			return err
		}
		sess = DashboardSession{Token: token, Member: tok.Member, ExpiresAt: now.Add(DashboardSessionTTL)}
		return tx.CreateDashboardToken(DashboardToken{Hash: hash, Kind: TokenSession, Member: tok.Member,
			Account: tok.Account, CreatedAt: now, ExpiresAt: sess.ExpiresAt})
	})
	if err != nil {
		return DashboardSession{}, fmt.Errorf("core: open dashboard: %w", err)
	}
	return sess, nil
}

// linkErr is why a link or a session does not open the page, in the business's language:
// nobody is signed in to say whose.
func (s *Service) linkErr(code string, key Key) *Error {
	return s.errIn(s.texts.Default(), code, key, nil)
}

func (s *Service) usableLink(tx Tx, link string, now time.Time) (DashboardToken, error) {
	tok, err := tx.DashboardToken(hashToken(link))
	if IsNotFound(err) || (err == nil && tok.Kind != TokenLink) {
		return DashboardToken{}, s.linkErr(ENOTFOUND, KeyOwnersLinkUnknown)
	} else if err != nil {
		return DashboardToken{}, err
	}
	switch {
	case !tok.UsedAt.IsZero():
		return DashboardToken{}, s.linkErr(ECONFLICT, KeyOwnersLinkUsed)
	case !now.Before(tok.ExpiresAt):
		return DashboardToken{}, s.linkErr(ECONFLICT, KeyOwnersLinkExpired)
	}
	if _, err := s.dashboardOwner(tok.Account); err != nil {
		return DashboardToken{}, err
	}
	return tok, nil
}

// DashboardViewer returns the owner signed in with the session token. A token unknown or
// expired, or whose member is no longer an owner (the configuration changed), gets
// EFORBIDDEN.
func (s *Service) DashboardViewer(ctx context.Context, session string) (Member, error) {
	var m Member
	err := s.store.View(ctx, func(tx Tx) error {
		tok, err := tx.DashboardToken(hashToken(session))
		if IsNotFound(err) {
			return s.linkErr(EFORBIDDEN, KeyOwnersSignIn)
		} else if err != nil {
			return err
		}
		if tok.Kind != TokenSession || !s.clock.Now().Before(tok.ExpiresAt) {
			return s.linkErr(EFORBIDDEN, KeyOwnersSignIn)
		}
		m, err = s.dashboardOwner(tok.Account)
		return err
	})
	if err != nil {
		return Member{}, fmt.Errorf("core: dashboard session: %w", err)
	}
	return m, nil
}

// CloseDashboard ends a session (signing out); an unknown token is not an error.
func (s *Service) CloseDashboard(ctx context.Context, session string) error {
	err := s.update(ctx, func(tx Tx) error {
		tok, err := tx.DashboardToken(hashToken(session))
		if IsNotFound(err) {
			return nil
		} else if err != nil {
			return err
		}
		if tok.Kind != TokenSession {
			return nil // a link is not signed out of
		}
		return tx.DeleteDashboardToken(tok.Hash)
	})
	if err != nil {
		return fmt.Errorf("core: close dashboard: %w", err)
	}
	return nil
}

// newDashboardToken returns 32 random bytes as URL-safe text, and the hash stored for it.
func newDashboardToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("random token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

// hashToken is what is stored for a token. The tokens are 256 random bits, so a plain
// SHA-256 is enough: there is nothing to guess that a slow hash would protect.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return hex.EncodeToString(sum[:])
}
