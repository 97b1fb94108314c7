package slack

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"log"
	"sync"

	sl "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// socketWorkers is how many envelopes are handled at once. Envelopes of one person go to
// the same worker, so their messages reach core in the order they were sent.
const socketWorkers = 4

// runSocket serves Socket Mode until ctx is done or the connection fails for good. Each
// envelope is acknowledged once the guard let go of it — never while the store is down, so
// nothing acknowledged can be lost — and its worker takes no further envelope meanwhile.
func (b *Bot) runSocket(ctx context.Context) error {
	sm := socketmode.New(b.api, socketmode.OptionLog(log.New(io.Discard, "", 0)))
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- sm.RunContext(ctx) }()

	var wg sync.WaitGroup
	queues := make([]chan socketmode.Event, socketWorkers)
	for i := range queues {
		queues[i] = make(chan socketmode.Event, 16)
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case evt := <-queues[i]:
					b.process(ctx, sm, evt)
				}
			}
		})
	}
	defer wg.Wait()
	for {
		select {
		case err := <-errc:
			cancel()
			if parent.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack: socket mode: %w", err)
		case evt := <-sm.Events:
			switch evt.Type {
			case socketmode.EventTypeEventsAPI, socketmode.EventTypeInteractive, socketmode.EventTypeSlashCommand:
				select {
				case queues[worker(evt)] <- evt:
				case <-ctx.Done():
				}
			case socketmode.EventTypeConnected:
				b.status.Connected()
				b.log.Info("slack socket mode connected")
			case socketmode.EventTypeConnectionError:
				b.status.Failed(false, fmt.Sprint(evt.Data))
				b.log.Warn("slack socket mode trouble", "event", string(evt.Type), "detail", fmt.Sprint(evt.Data))
			case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorBadMessage, socketmode.EventTypeErrorWriteFailed:
				b.log.Warn("slack socket mode trouble", "event", string(evt.Type), "detail", fmt.Sprint(evt.Data))
			case socketmode.EventTypeInvalidAuth:
				b.status.Failed(true, "invalid_auth: the app token was refused")
				b.log.Error("slack socket mode refused the app token")
			}
		}
	}
}

// worker picks the queue of the envelope's sender.
func worker(evt socketmode.Event) int {
	var user string
	switch d := evt.Data.(type) {
	case slackevents.EventsAPIEvent:
		if m, ok := d.InnerEvent.Data.(*slackevents.MessageEvent); ok {
			user = m.User
		}
	case sl.InteractionCallback:
		user = d.User.ID
	case sl.SlashCommand:
		user = d.UserID
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(user))
	return int(h.Sum32() % socketWorkers)
}

func (b *Bot) process(ctx context.Context, sm *socketmode.Client, evt socketmode.Event) {
	if evt.Request == nil {
		return
	}
	var payload any
	switch d := evt.Data.(type) {
	case slackevents.EventsAPIEvent:
		if err := b.onEvent(ctx, d, false); err != nil {
			return // not acknowledged: Slack delivers it again
		}
	case sl.InteractionCallback:
		payload, _ = b.onInteraction(ctx, d)
	case sl.SlashCommand:
		payload, _ = b.onCommand(ctx, d)
	}
	var err error
	if payload != nil {
		err = sm.AckCtx(ctx, evt.Request.EnvelopeID, payload)
	} else {
		err = sm.AckCtx(ctx, evt.Request.EnvelopeID, nil)
	}
	if err != nil {
		b.log.Warn("slack ack failed", "envelope", evt.Request.EnvelopeID, "err", err)
	}
}
