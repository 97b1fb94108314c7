package core

import (
	"fmt"
	"strconv"
	"strings"
)

// Platform names a chat platform. It is the prefix of every PLATFORM:ID identifier.
type Platform string

// The platforms earshot knows. Console is the local adapter used by the demo and tests.
const (
	Telegram Platform = "telegram"
	Slack    Platform = "slack"
	Discord  Platform = "discord"
	Console  Platform = "console"
)

// Known reports whether p is one of the platforms earshot knows.
func (p Platform) Known() bool {
	switch p {
	case Telegram, Slack, Discord, Console:
		return true
	}
	return false
}

// UserRef is a person on a platform, written PLATFORM:ID ("telegram:123456789").
type UserRef struct {
	Platform Platform
	ID       string
}

func (r UserRef) String() string { return string(r.Platform) + ":" + r.ID }

// IsZero reports whether r is the zero reference.
func (r UserRef) IsZero() bool { return r.Platform == "" && r.ID == "" }

// ChatRef is a chat on a platform — a channel, a group or a DM — written like a UserRef
// ("slack:C0123", "telegram:-1001234").
type ChatRef struct {
	Platform Platform
	ID       string
}

func (r ChatRef) String() string { return string(r.Platform) + ":" + r.ID }

// IsZero reports whether r is the zero reference.
func (r ChatRef) IsZero() bool { return r.Platform == "" && r.ID == "" }

// ParseUserRef parses PLATFORM:ID. The platform must be known and the ID non-empty and free
// of spaces; the ID is otherwise opaque. Errors have code EINVALID.
func ParseUserRef(s string) (UserRef, error) {
	p, id, err := parseRef(s)
	return UserRef{Platform: p, ID: id}, err
}

// ParseChatRef parses PLATFORM:ID naming a chat. Errors have code EINVALID.
func ParseChatRef(s string) (ChatRef, error) {
	p, id, err := parseRef(s)
	return ChatRef{Platform: p, ID: id}, err
}

func parseRef(s string) (Platform, string, error) {
	p, id, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || id == "" {
		return "", "", Errorf(EINVALID, "%q is not PLATFORM:ID (for example telegram:123456789)", s)
	}
	if !Platform(p).Known() {
		return "", "", Errorf(EINVALID, "%q: unknown platform %q (want telegram, slack, discord or console)", s, p)
	}
	if strings.ContainsAny(id, " \t\r\n") || len(id) > 128 {
		return "", "", Errorf(EINVALID, "%q: the ID after the colon must be a short token without spaces", s)
	}
	return Platform(p), id, nil
}

// ComplaintRef is a complaint's short human reference, "C-" followed by its number.
type ComplaintRef string

// RefFor returns the reference of the complaint with the given database id.
func RefFor(id int64) ComplaintRef { return ComplaintRef("C-" + strconv.FormatInt(id, 10)) }

// ParseComplaintRef accepts "C-1042", "c-1042", "#C-1042" or "1042" and returns the number.
// Errors have code EINVALID.
func ParseComplaintRef(s string) (int64, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(t) > 2 && (t[0] == 'C' || t[0] == 'c') && t[1] == '-' {
		t = t[2:]
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, Errorf(EINVALID, "%q is not a complaint reference (like C-1042)", s)
	}
	return n, nil
}

// Week is an ISO week, written 2026-W47.
type Week struct {
	Year int
	Num  int
}

func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Num) }

// ParseWeek parses "2026-W47". Errors have code EINVALID.
func ParseWeek(s string) (Week, error) {
	var w Week
	if _, err := fmt.Sscanf(strings.TrimSpace(s), "%d-W%d", &w.Year, &w.Num); err != nil ||
		w.Num < 1 || w.Num > 53 || w.Year < 1970 || w.Year > 9999 {
		return Week{}, Errorf(EINVALID, "%q is not an ISO week (like 2026-W47)", s)
	}
	if w.Num == 53 && weeksInYear(w.Year) < 53 {
		return Week{}, Errorf(EINVALID, "%d has no week 53", w.Year)
	}
	return w, nil
}
