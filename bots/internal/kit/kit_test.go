package kit

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
)

func TestCacheForgetsTheLeastRecentlyUsed(t *testing.T) {
	c := NewCache[string, int](2)
	c.Put("a", 1)
	c.Put("b", 2)
	c.Get("a") // a is now more recent than b
	c.Put("c", 3)
	if _, ok := c.Get("b"); ok {
		t.Error("b should have been forgotten")
	}
	if v, ok := c.Get("a"); !ok || v != 1 || c.Len() != 2 {
		t.Errorf("a = %d %v, len %d", v, ok, c.Len())
	}
	c.Put("a", 9)
	c.Delete("c")
	if v, _ := c.Get("a"); v != 9 || c.Len() != 1 {
		t.Errorf("a = %d, len %d", v, c.Len())
	}
}

func TestSentID(t *testing.T) {
	if id := SentID("C1", "17.5"); id != "C1/17.5" {
		t.Errorf("SentID = %q", id)
	}
	for _, bad := range []string{"", "C1", "C1/", "/5"} {
		if _, _, ok := ParseSentID(bad); ok {
			t.Errorf("ParseSentID(%q) accepted", bad)
		}
	}
	if c, m, ok := ParseSentID("-100/7"); !ok || c != "-100" || m != "7" {
		t.Errorf("ParseSentID = %q %q %v", c, m, ok)
	}
}

func TestSplitter(t *testing.T) {
	amp := func(s string, cut int) int { // Slack's rule: never cut "&amp;" in half
		if i := strings.LastIndexByte(s[:cut], '&'); i >= 0 && !strings.Contains(s[i:cut], ";") {
			return i
		}
		return cut
	}
	cases := []struct {
		name string
		sp   Splitter
		in   string
		want []string
	}{
		{"fits", Splitter{Limit: 5}, "hello", []string{"hello"}},
		{"line break first", Splitter{Limit: 8}, "ab cd\nef gh ij", []string{"ab cd", "ef gh ij"}},
		{"then space", Splitter{Limit: 5}, "abc def ghi", []string{"abc", "def", "ghi"}},
		{"hard cut", Splitter{Limit: 3}, "abcdefg", []string{"abc", "def", "g"}},
		{"escape kept whole", Splitter{Limit: 6, SafeCut: amp}, "abc&amp;def", []string{"abc", "&amp;d", "ef"}},
		{"utf-16 units", Splitter{Limit: 4, UTF16: true}, "😀😀😀", []string{"😀😀", "😀"}},
		{"runes", Splitter{Limit: 2}, "äöü", []string{"äö", "ü"}},
		{"blank dropped", Splitter{Limit: 3}, "   ", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.sp.Split(tc.in)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("Split(%q) = %q, want %q", tc.in, got, tc.want)
			}
			for _, p := range got {
				if n := tc.sp.RuneCount(p); n > tc.sp.Limit {
					t.Errorf("piece %q is %d units", p, n)
				}
			}
		})
	}
	if got := (Splitter{Limit: 5}).Cut("abcdefgh"); got != "abcd…" {
		t.Errorf("Cut = %q", got)
	}
}

func TestConnectorRetriesRefusedCredentials(t *testing.T) {
	st := NewStatus()
	refused := errors.New("401 Unauthorized")
	calls := 0
	c := Connector{Status: st, Backoff: Backoff{Base: time.Millisecond, Max: 2 * time.Millisecond},
		Log: slog.New(slog.DiscardHandler), Refused: func(err error) bool { return errors.Is(err, refused) }}
	var seen []core.AdapterState
	err := c.Connect(t.Context(), "login", func(context.Context) error {
		calls++
		if calls > 1 {
			seen = append(seen, st.Status().State)
		}
		switch calls {
		case 1, 2:
			return refused
		case 3:
			return errors.New("connection reset")
		}
		return nil
	})
	if err != nil || calls != 4 || st.Status().State != core.AdapterConnected {
		t.Errorf("Connect = %v after %d calls, state %v", err, calls, st.Status())
	}
	if want := []core.AdapterState{core.AdapterRefused, core.AdapterRefused, core.AdapterReconnecting}; len(seen) != 3 ||
		seen[0] != want[0] || seen[1] != want[1] || seen[2] != want[2] {
		t.Errorf("states %v, want %v", seen, want)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := c.Connect(ctx, "login", func(context.Context) error { return refused }); err == nil {
		t.Error("Connect after cancel returned nil")
	}
}

func TestGateChecksBeforeReading(t *testing.T) {
	logs := &coretest.LogBuffer{}
	g := NewGate(1, slog.New(slog.NewTextHandler(logs, nil)))
	verify := func(body []byte) error {
		if string(body) != "signed" {
			return errors.New("bad signature")
		}
		return nil
	}
	serve := func(r *http.Request) (int, string) {
		w := httptest.NewRecorder()
		body, ok := g.Verify(w, r, 16, verify)
		if ok {
			return 200, string(body)
		}
		return w.Code, ""
	}
	req := func(body string, length int64) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/hooks/x", strings.NewReader(body))
		r.ContentLength = length
		return r
	}
	if code, body := serve(req("signed", 6)); code != 200 || body != "signed" {
		t.Errorf("valid = %d %q", code, body)
	}
	if code, _ := serve(req("x", 1<<30)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("declared 1 GiB = %d", code)
	}
	if code, _ := serve(req(strings.Repeat("a", 17), -1)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("undeclared 17 bytes = %d", code)
	}
	if code, _ := serve(req("forged", 6)); code != http.StatusUnauthorized {
		t.Errorf("forged = %d", code)
	}
	g.slots <- struct{}{} // the one slot is taken
	if code, _ := serve(req("signed", 6)); code != http.StatusServiceUnavailable {
		t.Errorf("with every slot taken = %d", code)
	}
	<-g.slots
	// Four refusals from one source within the minute: one log line.
	if n := strings.Count(logs.String(), "webhook refused"); n != 1 {
		t.Errorf("%d log lines for 4 refusals from one source:\n%s", n, logs.String())
	}
}
