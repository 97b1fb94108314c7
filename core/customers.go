package core

import (
	"slices"
	"strings"
	"time"
)

// ExternalRef is the business's own id for a customer, written NAMESPACE:ID ("shop:4711").
// The namespace is configured (customers.namespaces) and is never a platform's name, so
// "telegram:123" is always a chat account and "shop:4711" always the business's id.
type ExternalRef struct {
	Namespace string
	ID        string
}

func (r ExternalRef) String() string { return r.Namespace + ":" + r.ID }

// IsZero reports whether r is the zero reference.
func (r ExternalRef) IsZero() bool { return r.Namespace == "" && r.ID == "" }

// CustomerRef names a customer either way: by a chat account or by the business's own id.
// Exactly one of the two is set.
type CustomerRef struct {
	Account  UserRef     // a chat account (telegram:123), or zero
	External ExternalRef // the business's own id (shop:4711), or zero
}

func (r CustomerRef) String() string {
	if !r.External.IsZero() {
		return r.External.String()
	}
	return r.Account.String()
}

// IsZero reports whether r names nobody.
func (r CustomerRef) IsZero() bool { return r.Account.IsZero() && r.External.IsZero() }

// CheckNamespace says what is wrong with a customer id namespace, or returns nil: it is
// 1–32 lower-case letters, digits, _ or -, starting with a letter, and not a platform's name.
// Errors have code EINVALID.
func CheckNamespace(ns string) error {
	if Platform(ns).Known() {
		return Errorf(EINVALID, "%q is a platform's name: a customer id namespace must differ from telegram, slack, discord and console", ns)
	}
	ok := ns != "" && len(ns) <= 32 && ns[0] >= 'a' && ns[0] <= 'z'
	for i := 0; ok && i < len(ns); i++ {
		c := ns[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
	}
	if !ok {
		return Errorf(EINVALID, "%q: a namespace is 1-32 lower-case letters, digits, _ or -, starting with a letter (like shop)", ns)
	}
	return nil
}

// maxExternalID is the longest id accepted after the namespace.
const maxExternalID = 128

// ParseCustomerRef parses a customer reference: PLATFORM:ID for a chat account (with
// ParseUserRef's strict syntax), or NAMESPACE:ID for the business's own id when NAMESPACE is
// one of namespaces. The id after a namespace is 1–128 letters, digits and _ . - @ +
// (an order system's number, an e-mail address). Errors have code EINVALID.
func ParseCustomerRef(s string, namespaces []string) (CustomerRef, error) {
	prefix, id, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || Platform(prefix).Known() {
		u, err := ParseUserRef(s)
		return CustomerRef{Account: u}, err
	}
	if !slices.Contains(namespaces, prefix) {
		if len(namespaces) == 0 {
			return CustomerRef{}, Errorf(EINVALID, "%q: unknown platform %q (want telegram, slack, discord or console; no customer id namespace is configured under customers.namespaces)", s, prefix)
		}
		return CustomerRef{}, Errorf(EINVALID, "%q: unknown platform or customer id namespace %q (platforms: telegram, slack, discord, console; namespaces: %s)", s, prefix, strings.Join(namespaces, ", "))
	}
	if !externalID(id) {
		return CustomerRef{}, Errorf(EINVALID, "%q: the id after %s: is 1-%d letters, digits, _ . - @ or + (like %s:4711)", s, prefix, maxExternalID, prefix)
	}
	return CustomerRef{External: ExternalRef{Namespace: prefix, ID: id}}, nil
}

func externalID(s string) bool {
	if s == "" || len(s) > maxExternalID {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_.-@+", c) >= 0) {
			return false
		}
	}
	return true
}

// ParseCustomer parses a customer reference with the configured namespaces (see
// ParseCustomerRef).
func (s *Service) ParseCustomer(str string) (CustomerRef, error) {
	return ParseCustomerRef(str, s.set.Namespaces)
}

// Link ties one of the business's customer ids to a chat account (a contact): made when the
// account opens an invite that carries the id.
type Link struct {
	Customer  ExternalRef
	ContactID int64
	LinkedAt  time.Time
}

// WaitState is where a touchpoint for a business id not yet linked to any chat account is.
type WaitState string

// Wait states.
const (
	WaitWaiting WaitState = "waiting" // no account is linked yet
	WaitLinked  WaitState = "linked"  // an account was linked: it became TouchpointID
	WaitSkipped WaitState = "skipped" // nobody opened an invite in time; Reason says so
)

// WaitingTouch is a touchpoint recorded for one of the business's customer ids before any
// chat account was linked to it. It becomes a real touchpoint (and its surveys are
// scheduled) when the customer opens an invite carrying the id before Until.
type WaitingTouch struct {
	ID         int64
	Customer   ExternalRef
	Stage      string
	Ref        string
	OccurredAt time.Time
	CreatedAt  time.Time
	Key        string    // idempotency key, as Touchpoint.Key; kept when it becomes one
	Until      time.Time // the last moment a link still schedules its surveys; zero: no limit
	State      WaitState
	Reason     string // why it was skipped
	// TouchpointID is the touchpoint it became, once linked.
	TouchpointID int64
}

// CustomerStore holds the links between the business's customer ids and chat accounts, and
// the touchpoints that wait for a link.
type CustomerStore interface {
	// LinkCustomer links the contact to id (linking again refreshes LinkedAt). A contact is
	// linked to at most one id per namespace: an earlier link of the contact in id's
	// namespace is replaced.
	LinkCustomer(id ExternalRef, contactID int64, at time.Time) error
	// Links returns the links of id, oldest first; none is not an error.
	Links(id ExternalRef) ([]Link, error)
	// ContactLinks returns the contact's links, in namespace order.
	ContactLinks(contactID int64) ([]Link, error)
	// UnlinkContact removes every link of the contact.
	UnlinkContact(contactID int64) error
	// AddWaitingTouch inserts w and sets its ID. When w.Key is set and a waiting touch with
	// that key exists, it sets *w to the existing one and returns created=false.
	AddWaitingTouch(w *WaitingTouch) (created bool, err error)
	// WaitingTouch returns the waiting touch with the id (ENOTFOUND).
	WaitingTouch(id int64) (WaitingTouch, error)
	// WaitingTouches returns id's waiting touches in the given state ("" for all), oldest
	// first.
	WaitingTouches(id ExternalRef, state WaitState) ([]WaitingTouch, error)
	// UpdateWaitingTouch saves w's state, reason and touchpoint (ENOTFOUND).
	UpdateWaitingTouch(w WaitingTouch) error
	// DeleteWaitingTouches removes every waiting touch of id.
	DeleteWaitingTouches(id ExternalRef) error
}
