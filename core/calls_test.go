package core_test

import (
	"testing"
)

// TestPlatformCallsPerCompletedSurvey counts what a completed three-question survey costs on
// the platform (each Delivery is one call): the intro rides with the first question; a
// pressed answer turns its question into the next in one edit; a typed answer is followed by
// the next question, without editing the old one; the thanks come last, and after a final
// press the cosmetic edit of the last question follows them. At most questions + 2.
func TestPlatformCallsPerCompletedSurvey(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer func(e *env)
		want   int
	}{
		{"buttons", func(e *env) { e.press("maria", "9"); e.press("maria", "8"); e.press("maria", "Skip") }, 5},
		{"typed", func(e *env) { e.dm("maria", "9"); e.dm("maria", "8"); e.dm("maria", "Fine, thanks") }, 4},
		{"mixed", func(e *env) { e.press("maria", "9"); e.dm("maria", "8"); e.dm("maria", "skip") }, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.dm("maria", "/start")
			before := len(e.msgr.to("maria"))
			e.touch("maria", "A-1")
			tc.answer(e)
			e.wantLast("maria", "Thank you! Your answers help us get better.")
			calls := len(e.msgr.to("maria")) - before
			questions := len(e.set.Surveys[0].Questions)
			t.Logf("%s: %d platform calls for %d questions", tc.name, calls, questions)
			if calls != tc.want || calls > questions+2 {
				t.Fatalf("%d calls; want %d (at most questions + 2 = %d)", calls, tc.want, questions+2)
			}
		})
	}
}
