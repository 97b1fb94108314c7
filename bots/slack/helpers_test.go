package slack

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"earshot/bots/slack/fakeslack"
	"earshot/core"
)

const (
	customer = "UCUST"
	member   = "UMEMB"
	stranger = "USTRA"
	team     = "CTEAM"
	wait     = 5 * time.Second
	// maxAttempts is the poison bound the tests' bots use.
	maxAttempts = 3
)

// recorder is a core.Handler that records what it is given and answers with reply.
type recorder struct {
	mu    sync.Mutex
	ins   []core.Incoming
	reply func(core.Incoming) (core.Response, error)
}

func (r *recorder) Handle(_ context.Context, in core.Incoming) (core.Response, error) {
	r.mu.Lock()
	r.ins = append(r.ins, in)
	reply := r.reply
	r.mu.Unlock()
	if reply == nil {
		return core.Response{}, nil
	}
	return reply(in)
}

func (r *recorder) got() []core.Incoming {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]core.Incoming(nil), r.ins...)
}

func (r *recorder) setReply(fn func(core.Incoming) (core.Response, error)) {
	r.mu.Lock()
	r.reply = fn
	r.mu.Unlock()
}

// newFake starts a fake workspace with a customer, a team member, a stranger and the team
// channel.
func newFake(t *testing.T) *fakeslack.Server {
	t.Helper()
	fs := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fs.Close)
	fs.AddUser(fakeslack.User{ID: customer, Name: "dana", RealName: "Dana Customer", TZ: "Europe/Berlin", Locale: "de-DE"})
	fs.AddUser(fakeslack.User{ID: member, Name: "lee", RealName: "Lee Member", TZ: "America/New_York", Locale: "en-US"})
	fs.AddUser(fakeslack.User{ID: stranger, Name: "sam", RealName: "Sam Stranger"})
	fs.AddChannel(fakeslack.Channel{ID: team, Name: "support", BotMember: true})
	return fs
}

// newBot returns a bot on the fake; socket selects Socket Mode.
func newBot(t *testing.T, fs *fakeslack.Server, h core.Handler, socket bool) *Bot {
	t.Helper()
	o := fs.Options()
	opts := Options{BotToken: o.BotToken, SigningSecret: o.SigningSecret, APIURL: fs.APIURL(),
		TeamChannel: core.ChatRef{Platform: core.Slack, ID: team}}
	if socket {
		opts.AppToken = o.AppToken
	}
	b, err := New(opts, h, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	b.tune(10*time.Millisecond, maxAttempts)
	return b
}

// run runs the bot until the test ends.
func run(t *testing.T, b *Bot) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(wait):
			t.Errorf("Run did not return after cancel")
		}
	})
}

// waitFor fails the test unless cond holds within 5 s.
func waitFor(t *testing.T, fs *fakeslack.Server, what string, cond func() bool) {
	t.Helper()
	if !fs.WaitFor(wait, cond) {
		t.Fatalf("timed out waiting for %s", what)
	}
}

var errInternal = errors.New("database is locked")

// outage wraps a recorder with a store that can be down: while down, Handle and Probe fail,
// as they do when the database cannot be written.
type outage struct {
	*recorder
	mu   sync.Mutex
	down bool
}

func (o *outage) setDown(d bool) {
	o.mu.Lock()
	o.down = d
	o.mu.Unlock()
}

func (o *outage) isDown() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.down
}

func (o *outage) Handle(ctx context.Context, in core.Incoming) (core.Response, error) {
	if o.isDown() {
		o.recorder.mu.Lock()
		o.recorder.ins = append(o.recorder.ins, in)
		o.recorder.mu.Unlock()
		return core.Response{}, errInternal
	}
	return o.recorder.Handle(ctx, in)
}

func (o *outage) Probe(context.Context) error {
	if o.isDown() {
		return errInternal
	}
	return nil
}
