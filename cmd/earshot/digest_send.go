package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"earshot/core"
)

// sendRecorder wraps a platform's messenger for `digest --send` and records what became of
// each message whose title is the digest's, so the command can say who received it.
type sendRecorder struct {
	core.Messenger
	rec *recording
}

// recording is what the recorders of one command share.
type recording struct {
	mu     sync.Mutex
	titles []string // the digest's titles (one per language), set once the digest is queued
	got    []sendResult
}

// sendResult is one digest message handed to a platform.
type sendResult struct {
	to  core.ChatRef
	dm  bool
	err error
}

func (r sendRecorder) Deliver(ctx context.Context, d core.Delivery) (string, error) {
	id, err := r.Messenger.Deliver(ctx, d)
	r.rec.mu.Lock()
	defer r.rec.mu.Unlock()
	if slices.Contains(r.rec.titles, d.Message.Title) && d.EditID == "" {
		r.rec.got = append(r.rec.got, sendResult{to: d.To, dm: d.DM, err: err})
	}
	return id, err
}

// recordSends wraps ads so that sends of the digest are recorded once expect names its titles.
func recordSends(ads []adapter) ([]core.Messenger, *recording) {
	rec := &recording{}
	out := make([]core.Messenger, len(ads))
	for i, a := range ads {
		out[i] = sendRecorder{Messenger: a, rec: rec}
	}
	return out, rec
}

// expect sets the titles of the messages to record.
func (r *recording) expect(titles ...string) {
	r.mu.Lock()
	r.titles = titles
	r.mu.Unlock()
}

// results returns what was recorded.
func (r *recording) results() []sendResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sendResult(nil), r.got...)
}

// reportDigest says who received the digest and who could not, and returns an error when
// nobody did.
func reportDigest(e *env, a *app, sent []sendResult) error {
	names := map[core.ChatRef]string{}
	var owners []string
	for _, m := range a.set.Team.Members {
		for _, acc := range m.Accounts {
			names[core.ChatRef(acc)] = m.Name
		}
		if m.Role == core.RoleOwner {
			owners = append(owners, m.Name)
		}
	}
	ok := 0
	for _, s := range sent {
		who := names[s.to]
		switch {
		case !s.dm:
			who = "the team channel " + s.to.String()
		case who == "":
			who = s.to.String()
		default:
			who += " (" + s.to.String() + ")"
		}
		if s.err == nil {
			ok++
			fmt.Fprintf(e.stderr, "digest sent to %s\n", who)
			continue
		}
		fmt.Fprintf(e.stderr, "digest not delivered to %s: %s\n", who, deliveryReason(s.err))
	}
	if ok > 0 {
		return nil
	}
	switch {
	case len(owners) == 0:
		return errors.New("digest not sent: team.members has no owner to receive it")
	case len(sent) > 0:
		return errors.New("digest not sent: no platform accepted it (the reasons are above)")
	case len(a.set.Platforms) == 0:
		return errors.New("digest not sent: no platform is enabled, so no owner can be reached")
	}
	return fmt.Errorf("digest not sent: no owner (%s) has an account on an enabled platform the bot can write to, "+
		"and team.channel is not on one either", strings.Join(owners, ", "))
}

// deliveryReason shortens a delivery error to what the platform said.
func deliveryReason(err error) string {
	var de *core.DeliveryError
	if errors.As(err, &de) && de.Reason != "" {
		return de.Reason
	}
	return err.Error()
}
