package kit

import (
	"context"
	"log/slog"
)

// Connector is the reconnect loop an adapter runs to reach its platform.
type Connector struct {
	Status  *Status
	Backoff Backoff
	Log     *slog.Logger
	// Refused reports whether an error means the platform refused our credentials. Those
	// are retried too, with the same backoff: an operator who fixes the secret gets a
	// working service without a restart, and /healthz says "refused" meanwhile.
	Refused func(error) bool
	// Partial marks a first step (a token check before a socket): success leaves Status as
	// it was, for the later step to say connected.
	Partial bool
}

// Connect calls dial until it returns nil or ctx ends, waiting with backoff between
// attempts and keeping Status up to date; on success Status says connected (unless Partial). It returns
// ctx.Err() when ctx ended first. what names the step in the log ("getMe").
func (c Connector) Connect(ctx context.Context, what string, dial func(context.Context) error) error {
	for attempt := 0; ; attempt++ {
		err := dial(ctx)
		if err == nil {
			if !c.Partial {
				c.Status.Connected()
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		refused := c.Refused != nil && c.Refused(err)
		c.Status.Failed(refused, err.Error())
		wait := c.Backoff.Wait(attempt)
		if refused {
			c.Log.Error(what+": the platform refused the credentials; retrying (fix the secret, no restart needed)",
				"err", err, "retry_in", wait)
		} else {
			c.Log.Warn(what+" failed; retrying", "err", err, "retry_in", wait)
		}
		if !Sleep(ctx, wait) {
			return ctx.Err()
		}
	}
}
