package core

import (
	"context"
	"fmt"
	"time"
)

// touchCustomer validates a touchpoint for the business's own id and records it.
func (s *Service) touchCustomer(ctx context.Context, r TouchRequest) (TouchResult, error) {
	if _, err := s.ParseCustomer(r.External.String()); err != nil {
		return TouchResult{}, err
	}
	if err := s.checkStage(r.Stage); err != nil {
		return TouchResult{}, err
	}
	r.Ref = cleanText(r.Ref)
	if len(r.Ref) > 200 || len(r.Key) > 200 {
		return TouchResult{}, Errorf(EINVALID, "ref and idempotency key are limited to 200 characters")
	}
	var res TouchResult
	err := s.update(ctx, func(tx Tx) error {
		var err error
		res, err = s.touchExternal(tx, r, s.clock.Now())
		return err
	})
	if err != nil {
		return TouchResult{}, fmt.Errorf("core: touch %s: %w", r.External, err)
	}
	return res, nil
}

// CustomerView is what earshot knows of a customer, without free text (no names, no
// answers): for GET /api/v1/customers/{ref}. Language, OptedOut, Reachable and LastSeenAt
// are those of the account surveys go to (ReachVia).
type CustomerView struct {
	Customer    string        `json:"customer"`
	Accounts    []AccountView `json:"accounts"`
	ReachVia    string        `json:"reach_via,omitempty"`
	Language    string        `json:"language,omitempty"`
	OptedOut    bool          `json:"opted_out"`
	Reachable   bool          `json:"reachable"`
	LastSeenAt  *time.Time    `json:"last_seen_at"`
	CustomerIDs []string      `json:"customer_ids,omitempty"` // an account's business ids
	// Waiting counts touchpoints for the business's id that wait for a link.
	Waiting int `json:"waiting_touchpoints"`
}

// AccountView is one chat account of a customer. Language is the one earshot writes to it
// in: the one chosen with /language, else the platform's locale matched, else the business's.
type AccountView struct {
	Ref        string     `json:"ref"`
	Language   string     `json:"language,omitempty"`
	OptedOut   bool       `json:"opted_out"`
	Reachable  bool       `json:"reachable"`
	LastSeenAt *time.Time `json:"last_seen_at"`
	LinkedAt   *time.Time `json:"linked_at,omitempty"`
}

// Customer returns what earshot knows of a customer named either way (ENOTFOUND when
// nothing: no account, or a business id with neither a link nor a waiting touchpoint).
func (s *Service) Customer(ctx context.Context, c CustomerRef) (CustomerView, error) {
	v := CustomerView{Customer: c.String(), Accounts: []AccountView{}}
	err := s.store.View(ctx, func(tx Tx) error {
		if c.External.IsZero() {
			ct, err := tx.ContactByRef(c.Account)
			if err != nil {
				return err
			}
			links, err := tx.ContactLinks(ct.ID)
			if err != nil {
				return err
			}
			for _, l := range links {
				v.CustomerIDs = append(v.CustomerIDs, l.Customer.String())
			}
			v.Accounts = append(v.Accounts, s.accountView(ct, time.Time{}))
			v.reachVia(v.Accounts[0])
			return nil
		}
		cts, err := linkedContacts(tx, c.External)
		if err != nil {
			return err
		}
		links, err := tx.Links(c.External)
		if err != nil {
			return err
		}
		linkedAt := map[int64]time.Time{}
		for _, l := range links {
			linkedAt[l.ContactID] = l.LinkedAt
		}
		for _, ct := range cts {
			v.Accounts = append(v.Accounts, s.accountView(ct, linkedAt[ct.ID]))
		}
		waiting, err := tx.WaitingTouches(c.External, WaitWaiting)
		if err != nil {
			return err
		}
		v.Waiting = len(waiting)
		if len(cts) == 0 && len(waiting) == 0 {
			return Errorf(ENOTFOUND, "no customer %s is known: nobody opened an invite for it and no touchpoint waits for it", c)
		}
		if len(v.Accounts) > 0 {
			v.reachVia(v.Accounts[0])
		}
		return nil
	})
	if err != nil {
		return CustomerView{}, fmt.Errorf("core: customer %s: %w", c, err)
	}
	return v, nil
}

func (v *CustomerView) reachVia(a AccountView) {
	v.ReachVia, v.Language, v.OptedOut, v.Reachable, v.LastSeenAt = a.Ref, a.Language, a.OptedOut, a.Reachable, a.LastSeenAt
}

func (s *Service) accountView(ct Contact, linked time.Time) AccountView {
	return AccountView{Ref: ct.Ref.String(), Language: string(s.languageOf(ct)), OptedOut: !ct.OptedOutAt.IsZero(),
		Reachable:  ct.Unreachable == "" && (s.set.Enabled(ct.Ref.Platform) || ct.Ref.Platform == Console),
		LastSeenAt: opt(ct.SeenAt), LinkedAt: opt(linked)}
}

// ExportCustomer returns everything held on a customer named either way: for the
// business's id, every linked account's data and the touchpoints still waiting for a link
// (ENOTFOUND when nothing is held).
func (s *Service) ExportCustomer(ctx context.Context, c CustomerRef) (Export, error) {
	if c.External.IsZero() {
		return s.Export(ctx, c.Account)
	}
	e := newExport(c.String())
	err := s.store.View(ctx, func(tx Tx) error {
		cts, err := linkedContacts(tx, c.External)
		if err != nil {
			return err
		}
		for _, ct := range cts {
			if err := s.exportContact(tx, ct, &e); err != nil {
				return err
			}
		}
		waiting, err := tx.WaitingTouches(c.External, "")
		if err != nil {
			return err
		}
		for _, w := range waiting {
			if w.State == WaitLinked {
				continue // exported as the touchpoint it became
			}
			e.Waiting = append(e.Waiting, WaitingView{Stage: w.Stage, Ref: w.Ref, OccurredAt: w.OccurredAt,
				State: w.State, Reason: w.Reason, Until: opt(w.Until)})
		}
		if len(cts) == 0 && len(e.Waiting) == 0 {
			return Errorf(ENOTFOUND, "no customer %s is known", c)
		}
		return nil
	})
	if err != nil {
		return Export{}, fmt.Errorf("core: export %s: %w", c, err)
	}
	return e, nil
}

// WaitingView is a touchpoint waiting for a link, as exported.
type WaitingView struct {
	Stage      string     `json:"stage"`
	Ref        string     `json:"ref,omitempty"`
	OccurredAt time.Time  `json:"occurred_at"`
	State      WaitState  `json:"state"`
	Reason     string     `json:"reason,omitempty"`
	Until      *time.Time `json:"until"`
}

// EraseCustomer erases a customer named either way, as Erase does: for the business's id,
// every linked account (each in its own transaction, as /forget would), then the id's
// waiting touchpoints. It returns how many accounts it erased; ENOTFOUND when nothing was
// held. Interrupted, it can be repeated: what is left is erased.
func (s *Service) EraseCustomer(ctx context.Context, c CustomerRef) (int, error) {
	if c.External.IsZero() {
		if err := s.Erase(ctx, c.Account); err != nil {
			return 0, err
		}
		return 1, nil
	}
	var accounts []UserRef
	var waiting int
	err := s.store.View(ctx, func(tx Tx) error {
		cts, err := linkedContacts(tx, c.External)
		if err != nil {
			return err
		}
		for _, ct := range cts {
			accounts = append(accounts, ct.Ref)
		}
		ws, err := tx.WaitingTouches(c.External, "")
		waiting = len(ws)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("core: erase %s: %w", c, err)
	}
	if len(accounts) == 0 && waiting == 0 {
		return 0, fmt.Errorf("core: erase %s: %w", c, Errorf(ENOTFOUND, "no customer %s is known", c))
	}
	for _, a := range accounts {
		if err := s.Erase(ctx, a); err != nil && !IsNotFound(err) {
			return 0, err
		}
	}
	err = s.update(ctx, func(tx Tx) error {
		ws, err := tx.WaitingTouches(c.External, WaitWaiting)
		if err != nil {
			return err
		}
		for _, w := range ws {
			if err := tx.CancelJobs(JobWaitExpire, w.ID); err != nil {
				return err
			}
		}
		return tx.DeleteWaitingTouches(c.External)
	})
	if err != nil {
		return 0, fmt.Errorf("core: erase %s: %w", c, err)
	}
	return len(accounts), nil
}
