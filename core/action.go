package core

import (
	"strconv"
	"strings"
)

// Button payloads are short, colon-separated and carry database ids, never personal data:
//
//	s:RUN:Q:V     answer question Q of survey run RUN with V (a score, or "skip")
//	ack:C         acknowledge complaint C
//	res:C         resolve complaint C
//	ok:C:y|n      the customer says complaint C is solved (y) or not (n)
//	low:RUN:y|n   after a low score in RUN: pass it to the team, or not
//	file:y|n      file the pending message as a complaint, or not
//	forget:y|n    erase my data, or not
//	lang:L        write to me in language L (a base tag: en, de, pt)
//
// Every id is checked against the person pressing the button before anything changes.
type action struct {
	kind string
	id   int64 // run or complaint
	q    int   // question index
	val  string
}

func (a action) String() string {
	switch a.kind {
	case "s":
		return "s:" + itoa(a.id) + ":" + strconv.Itoa(a.q) + ":" + a.val
	case "ack", "res":
		return a.kind + ":" + itoa(a.id)
	case "ok", "low":
		return a.kind + ":" + itoa(a.id) + ":" + a.val
	default:
		return a.kind + ":" + a.val
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// parseAction reads a payload; ok is false for anything core did not make.
func parseAction(p string) (action, bool) {
	if len(p) == 0 || len(p) > MaxPayload {
		return action{}, false
	}
	parts := strings.Split(p, ":")
	id := func(s string) (int64, bool) {
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil && n > 0
	}
	yn := func(s string) bool { return s == "y" || s == "n" }
	switch {
	case parts[0] == "s" && len(parts) == 4:
		run, ok1 := id(parts[1])
		q, err := strconv.Atoi(parts[2])
		if !ok1 || err != nil || q < 0 || parts[3] == "" {
			return action{}, false
		}
		return action{kind: "s", id: run, q: q, val: parts[3]}, true
	case (parts[0] == "ack" || parts[0] == "res") && len(parts) == 2:
		c, ok := id(parts[1])
		return action{kind: parts[0], id: c}, ok
	case (parts[0] == "ok" || parts[0] == "low") && len(parts) == 3:
		n, ok := id(parts[1])
		return action{kind: parts[0], id: n, val: parts[2]}, ok && yn(parts[2])
	case (parts[0] == "file" || parts[0] == "forget") && len(parts) == 2:
		return action{kind: parts[0], val: parts[1]}, yn(parts[1])
	case parts[0] == "lang" && len(parts) == 2:
		return action{kind: "lang", val: parts[1]}, isLangCode(parts[1])
	}
	return action{}, false
}

// action handles a button press: the team's on a card (teamAction), a customer's on a
// prompt (pressed).
func (c *conv) action(a action, ct *Contact) error {
	if a.kind == "ack" || a.kind == "res" {
		return c.teamAction(a)
	}
	if ct == nil {
		c.noticeT(KeyButtonNotYours, nil)
		return nil
	}
	return c.pressed(ct, a)
}

// isLangCode reports whether s looks like a language's base tag: two or three letters a-z.
func isLangCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}
