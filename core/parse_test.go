package core

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseScore(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"7", 7, true}, {" 7 ", 7, true}, {"7/10", 7, true}, {"7 / 10", 7, true}, {"10", 10, true},
		{"1", 1, true}, {"7.", 7, true}, {"0", 0, false}, {"11", 0, false}, {"7/5", 0, false},
		{"seven", 0, false}, {"", 0, false}, {"7.5", 0, false}, {"-3", 0, false}, {"٧", 0, false},
		{"007", 7, true}, {"1000", 0, false}, {"7/10/10", 0, false}, {"/10", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseScore(tt.in, 1, 10)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("ParseScore(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		in     string
		direct bool
		want   Command
		ok     bool
	}{
		{"/ack C-12", false, Command{"ack", "C-12"}, true},
		{"/ack@earshot_bot C-12", false, Command{"ack", "C-12"}, true},
		{"ack C-12", true, Command{"ack", "C-12"}, true},
		{"ack C-12", false, Command{}, false},
		{"STOP", true, Command{"stop", ""}, true},
		{"stop sending me these", true, Command{}, false},
		{"/stop now", true, Command{"stop", "now"}, true},
		{"complain the bike squeaks", true, Command{"complain", "the bike squeaks"}, true},
		{"/reply C-3 line one\nline two", false, Command{"reply", "C-3 line one\nline two"}, true},
		{"/frobnicate", true, Command{"frobnicate", ""}, true},
		{"hello there", true, Command{}, false},
		{"/", true, Command{}, false},
		{"7", true, Command{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseCommand(tt.in, tt.direct)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("ParseCommand(%q, %v) = %+v, %v; want %+v, %v", tt.in, tt.direct, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestActionRoundTrip(t *testing.T) {
	for _, a := range []action{
		{kind: "s", id: 12, q: 2, val: "7"}, {kind: "s", id: 9999999999, q: 10, val: "skip"},
		{kind: "ack", id: 1001}, {kind: "res", id: 1001}, {kind: "ok", id: 5, val: "y"},
		{kind: "low", id: 5, val: "n"}, {kind: "file", val: "y"}, {kind: "forget", val: "n"},
	} {
		p := a.String()
		if len(p) > MaxPayload {
			t.Fatalf("%q is longer than %d bytes", p, MaxPayload)
		}
		got, ok := parseAction(p)
		if !ok || got != a {
			t.Fatalf("parseAction(%q) = %+v, %v; want %+v", p, got, ok, a)
		}
	}
	for _, bad := range []string{"", "s:1:2", "s:0:1:7", "ack:x", "ok:5:maybe", "file:yes", "x:1",
		"s:-1:0:7", strings.Repeat("a", 65), "ack:1:2"} {
		if _, ok := parseAction(bad); ok {
			t.Errorf("parseAction(%q) accepted", bad)
		}
	}
}

func TestCleanText(t *testing.T) {
	if got := cleanText("  a\x00b\xff "); got != "ab\uFFFD" {
		t.Fatalf("cleanText = %q", got)
	}
	long := strings.Repeat("é", MaxInboundText)
	got := cleanText(long)
	if !utf8.ValidString(got) || len(got) > MaxInboundText+len(" …") || !strings.HasSuffix(got, "…") {
		t.Fatalf("long text not cut cleanly: len %d valid %v", len(got), utf8.ValidString(got))
	}
}

func TestParseRefs(t *testing.T) {
	if r, err := ParseUserRef("telegram:123"); err != nil || r.Platform != Telegram || r.ID != "123" {
		t.Fatalf("ParseUserRef = %v, %v", r, err)
	}
	for _, bad := range []string{"", "telegram", "telegram:", "myspace:1", "slack:U 1", ":1"} {
		if _, err := ParseUserRef(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseUserRef(%q) err = %v; want EINVALID", bad, err)
		}
	}
	for in, want := range map[string]int64{"C-1042": 1042, "c-7": 7, "#C-12": 12, "12": 12} {
		if got, err := ParseComplaintRef(in); err != nil || got != want {
			t.Errorf("ParseComplaintRef(%q) = %d, %v", in, got, err)
		}
	}
	for _, bad := range []string{"C-", "C-x", "C-0", "D-1", ""} {
		if _, err := ParseComplaintRef(bad); err == nil {
			t.Errorf("ParseComplaintRef(%q) accepted", bad)
		}
	}
}

// FuzzParse feeds arbitrary text to every parser a customer's words reach; none may panic,
// and what they accept must be consistent.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"7", "7/10", " 7 ", "/ack C-12", "ack@bot C-1", "s:1:0:7", "/", "\xff",
		"/reply C-1 hi\nthere", "yes", "skip", "C-99999999999999999999"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, direct bool) {
		if n, ok := ParseScore(s, 1, 10); ok && (n < 1 || n > 10) {
			t.Fatalf("ParseScore(%q) = %d outside 1..10", s, n)
		}
		if c, ok := ParseCommand(s, direct); ok && (c.Name == "" || strings.ContainsAny(c.Name, " @")) {
			t.Fatalf("ParseCommand(%q) = %+v", s, c)
		}
		if a, ok := parseAction(s); ok {
			if b, ok2 := parseAction(a.String()); !ok2 || b != a {
				t.Fatalf("parseAction(%q) = %+v does not round-trip", s, a)
			}
		}
		_, _ = ParseComplaintRef(s)
		_, _ = ParseWeek(s)
		_, _ = yesNo(s)
		if c := cleanText(s); !utf8.ValidString(c) {
			t.Fatalf("cleanText(%q) is not valid UTF-8", s)
		}
	})
}
