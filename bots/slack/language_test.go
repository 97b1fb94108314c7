package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"earshot/bots/internal/kit"
	"earshot/bots/slack/fakeslack"
	"earshot/core"
	"earshot/core/coretest"
)

// noteView is what the fake recorded of the note form.
type noteView struct {
	Title, Submit, Close struct{ Text string }
	Blocks               []struct {
		Label struct{ Text string }
	}
}

// The note form speaks the business's language in the team channel, whatever the member's
// Slack locale, and the customer's own (their Slack locale, when offered) in a DM.
func TestNoteFormInThePressersLanguage(t *testing.T) {
	for _, tc := range []struct {
		name        string
		langs       []core.Lang
		user        string
		dm          bool
		title, send string
		label       string
	}{
		{"team channel, German business, English member", []core.Lang{"de", "en"}, member, false, "Notiz hinzufügen", "Senden", "Notiz"},
		{"team channel, English business", []core.Lang{"en", "de"}, member, false, "Add a note", "Send", "Note"},
		{"DM, German customer, English business", []core.Lang{"en", "de"}, customer, true, "Notiz hinzufügen", "Senden", "Notiz"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFake(t)
			b := newBotIn(t, fs, coretest.NewHandler(nil), true, coretest.Texts(t, tc.langs...))
			run(t, b)
			to := teamRef()
			if tc.dm {
				to = core.ChatRef{Platform: core.Slack, ID: tc.user}
			}
			sent, err := b.Deliver(t.Context(), core.Delivery{To: to, DM: tc.dm, Message: core.Message{Text: "C-1",
				Choices: []core.Choice{{Label: "OK", Payload: "res:1", NeedsNote: true}}}})
			if err != nil {
				t.Fatal(err)
			}
			ch, ts, _ := kit.ParseSentID(sent)
			click, err := fs.Click(tc.user, ch, ts, "OK")
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := fs.WaitAck(fs.Send(click), wait); !ok {
				t.Fatal("click not acknowledged")
			}
			coretest.WaitFor(t, "the note form", func() bool { return len(fs.Views()) == 1 })
			var v noteView
			if err := json.Unmarshal(fs.Views()[0].JSON, &v); err != nil {
				t.Fatal(err)
			}
			if v.Title.Text != tc.title || v.Submit.Text != tc.send || len(v.Blocks) != 1 || v.Blocks[0].Label.Text != tc.label {
				t.Errorf("form %s, want title %q, submit %q, field %q", fs.Views()[0].JSON, tc.title, tc.send, tc.label)
			}
		})
	}
}

// A command with nothing to say is answered "Done." in the person's language, and a
// failure on our side with the polite line in it; a coded refusal keeps core's words.
func TestSlashAnswersInThePersonsLanguage(t *testing.T) {
	fs := newFake(t)
	rec := coretest.NewHandler(coretest.Answer(func(in core.Incoming) (core.Response, error) {
		switch in.Text {
		case "/digest":
			return core.Response{}, core.Errorf(core.EFORBIDDEN, "Only owners can use /digest.")
		case "/scores":
			return core.Response{}, json.Unmarshal([]byte("{"), new(any)) // an internal failure
		}
		return core.Response{}, nil
	}))
	run(t, newBotIn(t, fs, rec, true, coretest.Texts(t, "en", "de")))
	im := fs.IMChannel(customer) // Dana's Slack speaks de-DE
	for _, tc := range []struct{ user, channel, text, want string }{
		{customer, im, "status", "Erledigt."},
		{member, fs.IMChannel(member), "status", "Done."}, // Lee's Slack speaks en-US
		{customer, team, "status", "Done."},
		{customer, im, "scores", "Bei uns ist etwas schiefgelaufen."},
		{customer, im, "digest", "Only owners can use /digest."},
	} {
		ack, ok := fs.WaitAck(fs.Send(fs.Slash(tc.user, tc.channel, "/earshot", tc.text)), wait)
		if !ok {
			t.Fatalf("%s: not acknowledged", tc.text)
		}
		var p struct {
			Blocks json.RawMessage `json:"blocks"`
		}
		_ = json.Unmarshal(ack.Payload, &p)
		if shown := (fakeslack.Message{Blocks: p.Blocks}).Shown(); !strings.Contains(shown, tc.want) {
			t.Errorf("%s from %s in %s: %q, want %q", tc.text, tc.user, tc.channel, shown, tc.want)
		}
	}
}

// The invite's instructions are the business's (it prints or sends them): in its language,
// the link and the token untouched.
func TestInviteInTheBusinessLanguage(t *testing.T) {
	fs := newFake(t)
	b := newBotIn(t, fs, coretest.NewHandler(nil), false, coretest.Texts(t, "de", "en"))
	got, err := b.InviteLink(t.Context(), "tok_12-x")
	want := "Öffnen Sie https://slack.com/app_redirect?app=A0FAKE&team=T0FAKE und senden Sie der App: start tok_12-x"
	if err != nil || got != want {
		t.Errorf("InviteLink = %q, %v; want %q", got, err, want)
	}
}
