package telegram

import (
	"strconv"
	"testing"
)

func TestThreadsForgetTheOldest(t *testing.T) {
	th := newThreads()
	for i := 0; i <= maxThreads; i++ {
		th.remember("-1/"+strconv.Itoa(i), "-1/card")
	}
	if got := th.rootOf("-1/0"); got != "-1/0" {
		t.Errorf("the oldest entry should be forgotten, got root %q", got)
	}
	if got := th.rootOf("-1/" + strconv.Itoa(maxThreads)); got != "-1/card" {
		t.Errorf("the newest entry maps to %q", got)
	}
	if got := th.rootOf("-1/unknown"); got != "-1/unknown" {
		t.Errorf("an unknown message is its own root, got %q", got)
	}
}
