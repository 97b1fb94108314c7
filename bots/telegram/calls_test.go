package telegram

import (
	"strings"
	"testing"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
)

// TestBotAPICallsPerCompletedSurvey counts the Bot API calls a completed three-question
// survey makes to the customer's chat on the fake (sendMessage and editMessageText; each
// press is also answered with answerCallbackQuery, which Telegram requires and does not
// count against the chat): at most questions + 2.
func TestBotAPICallsPerCompletedSurvey(t *testing.T) {
	for _, tc := range []struct {
		name    string
		answer  func(e *e2e)
		want    int
		presses int
	}{
		{"buttons", func(e *e2e) {
			e.press(dana, 42, "9")
			e.awaitEdit("2/3")
			e.press(dana, 42, "8")
			e.awaitEdit("3/3")
			e.press(dana, 42, "Skip")
		}, 5, 3},
		{"typed", func(e *e2e) {
			e.say(faketelegram.Post{From: dana, Text: "9"})
			e.await(42, "2/3")
			e.say(faketelegram.Post{From: dana, Text: "8"})
			e.await(42, "3/3")
			e.say(faketelegram.Post{From: dana, Text: "Fine, thanks"})
		}, 4, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newE2E(t, false)
			e.say(faketelegram.Post{From: dana, Text: "/start"})
			e.await(42, "Hi Dana!")
			before := chatCalls(e.f)
			if _, err := e.svc.Touch(t.Context(), core.TouchRequest{Customer: core.UserRef{Platform: core.Telegram, ID: "42"},
				Stage: "delivery", Ref: "A-17"}); err != nil {
				t.Fatal(err)
			}
			e.await(42, "1/3")
			tc.answer(e)
			e.await(42, "Thank you! Your answers help us get better.")
			if tc.presses > 0 { // the cosmetic edit of the last question follows the thanks
				e.awaitMsg(42, "the last question's tick", func(m faketelegram.Message) bool {
					return strings.Contains(m.Text, "✓ skipped") && len(m.Keyboard) == 0
				})
			}
			// The fake logs a call just after its effect shows, so the last edit can be seen
			// before it is counted: wait for the count expected, then hold it to exactly that.
			_ = e.f.Wait(wait, "the calls to be logged", func() bool {
				return chatCalls(e.f)-before >= tc.want && len(e.f.Calls("answerCallbackQuery")) >= tc.presses
			})
			calls := chatCalls(e.f) - before
			answers := len(e.f.Calls("answerCallbackQuery"))
			t.Logf("%s: %d Bot API calls to the chat for 3 questions, plus %d answerCallbackQuery", tc.name, calls, answers)
			if calls != tc.want || answers != tc.presses {
				t.Fatalf("%d calls to the chat and %d callback answers; want %d and %d", calls, answers, tc.want, tc.presses)
			}
		})
	}
}

// chatCalls counts the calls that put or change a message in the customer's chat.
func chatCalls(f *faketelegram.Server) int {
	n := 0
	for _, m := range []string{"sendMessage", "editMessageText"} {
		for _, c := range f.Calls(m) {
			if c.Params["chat_id"] == "42" {
				n++
			}
		}
	}
	return n
}

// awaitEdit waits until the survey's message was edited into the question numbered q.
func (e *e2e) awaitEdit(q string) {
	e.t.Helper()
	e.awaitMsg(42, "the question edited into "+q, func(m faketelegram.Message) bool {
		return m.Edits > 0 && strings.Contains(m.Text, q)
	})
}
