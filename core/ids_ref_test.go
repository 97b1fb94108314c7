package core

import (
	"strings"
	"testing"
)

// TestRefSyntax: a reference is accepted only when its id is written the way its platform
// writes ids; text, paths, signs where none belong, NUL, bidi and zero-width characters
// are refused with a reason that shows them escaped.
func TestRefSyntax(t *testing.T) {
	users := map[string]bool{
		"telegram:123456789": true, "telegram:42": true, "slack:U012AB3CD": true, "slack:W01": true, "slack:U1": true,
		"discord:80351110224678912": true, "console:maria": true, "console:team-2.b": true,
		"telegram:abc": false, "telegram:-1": false, "telegram:0": false, "telegram:0123": false, "telegram:1e9": false,
		"telegram:12345678901234567890": false, "discord:../../etc/passwd": false, "discord:-5": false,
		"discord:123456789012345678901": false, "slack:u012": false, "slack:C0123": false, "slack:U01 2": false,
		"slack:U\u202eXX": false, "telegram:12\x003": false, "telegram:12\u200b3": false, "console:../x": false,
		"console:ma\u202eria": false, "console:" + strings.Repeat("a", 65): false, "matrix:@a:b": false, "telegram:": false,
	}
	for ref, ok := range users {
		_, err := ParseUserRef(ref)
		if (err == nil) != ok {
			t.Errorf("ParseUserRef(%q) = %v, want ok=%v", ref, err, ok)
		}
		if err != nil && (strings.ContainsRune(err.Error(), 0) || strings.ContainsRune(err.Error(), '\u202e') ||
			strings.ContainsRune(err.Error(), '\u200b')) {
			t.Errorf("the error for %q shows a control character raw: %q", ref, err)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("%q: code %s", ref, ErrorCode(err))
		}
	}
	chats := map[string]bool{
		"telegram:-1001234567890": true, "telegram:42": true, "slack:C0123ABCD": true, "slack:D01": true, "slack:G1": true,
		"slack:U01": true, "discord:80351110224678912": true, "console:team": true,
		"telegram:--1": false, "telegram:-": false, "slack:c0123": false, "slack:X01": false, "discord:general": false,
	}
	for ref, ok := range chats {
		if _, err := ParseChatRef(ref); (err == nil) != ok {
			t.Errorf("ParseChatRef(%q) = %v, want ok=%v", ref, err, ok)
		}
	}
	if _, err := ParseUserRef("telegram:abc"); err == nil || !strings.Contains(err.Error(), "a Telegram user id is a positive number") {
		t.Errorf("reason = %v", err)
	}
}
