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

// ParseUserRef parses PLATFORM:ID naming a person. The platform must be known and the ID
// written the way that platform writes a person's id: Telegram and Discord a positive
// number, Slack a U or W followed by capitals and digits, the console a short name of
// letters, digits, _ . and -. Anything else (text, a path, a negative Telegram id, NUL,
// bidi or zero-width characters) is refused. Errors have code EINVALID.
func ParseUserRef(s string) (UserRef, error) {
	p, id, err := parseRef(s, false)
	return UserRef{Platform: p, ID: id}, err
}

// ParseChatRef parses PLATFORM:ID naming a chat: as ParseUserRef, except that a Telegram
// group's id is negative and a Slack chat's starts with C, D or G (or is a user's, for a
// DM). Errors have code EINVALID.
func ParseChatRef(s string) (ChatRef, error) {
	p, id, err := parseRef(s, true)
	return ChatRef{Platform: p, ID: id}, err
}

func parseRef(s string, chat bool) (Platform, string, error) {
	p, id, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || id == "" {
		return "", "", Errorf(EINVALID, "%q is not PLATFORM:ID (for example telegram:123456789)", s)
	}
	if !Platform(p).Known() {
		return "", "", Errorf(EINVALID, "%q: unknown platform %q (want telegram, slack, discord or console)", s, p)
	}
	if want := idSyntax(Platform(p), id, chat); want != "" {
		return "", "", Errorf(EINVALID, "%q: %s", s, want)
	}
	return Platform(p), id, nil
}

// idSyntax says how platform p writes an id when id is not written so, else "".
func idSyntax(p Platform, id string, chat bool) string {
	what := "user"
	if chat {
		what = "chat"
	}
	switch p {
	case Telegram:
		if chat && strings.HasPrefix(id, "-") {
			if digits(id[1:], 19) {
				return ""
			}
		} else if digits(id, 19) {
			return ""
		}
		if chat {
			return "a Telegram chat id is a number, negative for a group (like telegram:-1001234567890)"
		}
		return "a Telegram user id is a positive number (like telegram:123456789)"
	case Discord:
		if digits(id, 20) {
			return ""
		}
		return "a Discord " + what + " id is a number (like discord:80351110224678912)"
	case Slack:
		first := "UW"
		if chat {
			first = "CDGUW"
		}
		if len(id) >= 2 && len(id) <= 32 && strings.IndexByte(first, id[0]) >= 0 && upperAlnum(id[1:]) {
			return ""
		}
		if chat {
			return "a Slack chat id is C, D or G followed by capitals and digits (like slack:C0123ABCD)"
		}
		return "a Slack user id is U or W followed by capitals and digits (like slack:U012AB3CD)"
	case Console:
		if consoleName(id) {
			return ""
		}
		return "a console name is up to 64 letters, digits, _ . or - (like console:maria)"
	}
	return "unknown platform"
}

// digits reports whether s is a positive decimal number of at most n digits, without a
// leading zero.
func digits(s string, n int) bool {
	if s == "" || len(s) > n || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func upperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func consoleName(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '.' || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
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
