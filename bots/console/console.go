// Package console is the local adapter: it delivers messages by printing them as a readable
// transcript and remembers what it printed, so the demo and tests can press the buttons a
// person would see. It needs no network and no tokens.
package console

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"earshot/core"
)

// Bot prints deliveries to a writer. Its zero value is not usable; use New.
type Bot struct {
	mu    sync.Mutex
	out   io.Writer
	clock core.Clock
	loc   *time.Location
	names map[string]string // chat or user id → display name
	sent  []sent
}

type sent struct {
	id   string
	to   core.ChatRef
	msg  core.Message
	gone bool // replaced by an edit
}

var _ core.Messenger = (*Bot)(nil)

// New returns a console bot printing to out, stamping lines with clock's time in loc.
func New(out io.Writer, clock core.Clock, loc *time.Location) *Bot {
	return &Bot{out: out, clock: clock, loc: loc, names: map[string]string{}}
}

// Name sets the display name shown for a chat or user id.
func (b *Bot) Name(id, name string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.names[id] = name
}

// Platform returns core.Console.
func (b *Bot) Platform() core.Platform { return core.Console }

// Deliver prints the message and returns its id ("m1", "m2", …).
func (b *Bot) Deliver(_ context.Context, d core.Delivery) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	who := b.nameOf(d.To.ID)
	if d.DM {
		who = "→ " + who
	} else {
		who = "→ #" + who
	}
	id := "m" + strconv.Itoa(len(b.sent)+1)
	head := fmt.Sprintf("%s  %s", b.clock.Now().In(b.loc).Format("Mon 15:04"), who)
	switch {
	case d.EditID != "":
		for i := range b.sent {
			if b.sent[i].id == d.EditID {
				b.sent[i].gone = true
			}
		}
		head += "  (edits its earlier message)"
	case d.ThreadID != "":
		head += "  (in the thread of its card)"
	}
	fmt.Fprintln(b.out, head)
	fmt.Fprint(b.out, Render(d.Message, "      "))
	b.sent = append(b.sent, sent{id: id, to: d.To, msg: d.Message})
	return id, nil
}

func (b *Bot) nameOf(id string) string {
	if n, ok := b.names[id]; ok {
		return n
	}
	return id
}

// Render writes a message as indented plain text with its buttons in brackets.
func Render(m core.Message, indent string) string {
	var b strings.Builder
	line := func(s string) { b.WriteString(indent + s + "\n") }
	if m.Title != "" {
		line("*" + m.Title + "*")
	}
	for _, l := range strings.Split(m.Text, "\n") {
		if m.Text != "" {
			line(l)
		}
	}
	for _, f := range m.Fields {
		line(f.Label + ": " + f.Value)
	}
	if len(m.Choices) > 0 {
		var labels []string
		for _, c := range m.Choices {
			labels = append(labels, "["+c.Label+"]")
		}
		line(strings.Join(labels, " "))
	}
	if m.Footer != "" {
		line("(" + m.Footer + ")")
	}
	return b.String()
}

// Button returns the payload of the button labelled label on the newest message to chat
// that has one; ok is false when no visible message there has it.
func (b *Bot) Button(chat core.ChatRef, label string) (payload string, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := len(b.sent) - 1; i >= 0; i-- {
		s := b.sent[i]
		if s.to != chat || s.gone {
			continue
		}
		for _, c := range s.msg.Choices {
			if c.Label == label {
				return c.Payload, true
			}
		}
	}
	return "", false
}

// Sent returns the messages delivered to chat so far, oldest first.
func (b *Bot) Sent(chat core.ChatRef) []core.Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []core.Message
	for _, s := range b.sent {
		if s.to == chat {
			out = append(out, s.msg)
		}
	}
	return out
}
