package core

import (
	"context"
	"net/http"
	"time"
)

// Adapter is one chat platform as the service runs it: it delivers the outbox's messages
// (Messenger) and, while Run runs, turns the platform's events into calls to a Handler.
// Everything else an adapter can do is an optional capability below, found by type
// assertion, so that a platform without it simply does not implement it.
type Adapter interface {
	Messenger
	// Run connects to the platform and serves its events until ctx ends (starting is
	// calling Run; stopping is cancelling ctx); it then disconnects, finishes the event in
	// hand and returns nil. It never gives up on its own: a lost connection and refused
	// credentials alike are retried with backoff and reported through StatusReporter
	// meanwhile, so an operator who fixes a secret needs no restart. A non-nil error means
	// the adapter cannot run at all with the options it was built with.
	Run(ctx context.Context) error
}

// WebhookRoute is one HTTP route an adapter serves on the service's public port. Path starts
// with /hooks/; the handler verifies each request itself before it reads the body.
type WebhookRoute struct {
	Path    string
	Handler http.Handler
}

// WebhookRouter is implemented by adapters that receive events over HTTP. An adapter that
// needs no webhook in its current mode returns none.
type WebhookRouter interface {
	WebhookRoutes() []WebhookRoute
}

// Upload is a file to send: a chart image, an export.
type Upload struct {
	Name    string // file name shown to people, with its extension ("scores.png")
	MIME    string // "image/png"
	Data    []byte
	Caption string // shown with the file; may be empty
	Alt     string // what an image shows, in words, where the platform takes alt text; may be empty
}

// Uploader is implemented by adapters that can send a file. Upload delivers f to the chat
// (to the one-to-one chat with the user To.ID when dm) and returns the platform's id of the
// message, like Messenger.Deliver; errors are *DeliveryError.
type Uploader interface {
	Upload(ctx context.Context, to ChatRef, dm bool, f Upload) (sentID string, err error)
}

// CommandMenu is implemented by adapters that show people a menu of commands (Telegram's
// command list, Discord's application commands). SetCommandMenu replaces the menu with the
// given commands, described in each of langs (BCP 47 base codes; the first is the default)
// by describe(lang, key), key being CommandSpec.Key. A failure costs only the menu: the
// commands still work as text.
type CommandMenu interface {
	SetCommandMenu(ctx context.Context, cmds []CommandSpec, langs []string, describe func(lang, key string) string) error
}

// Paced is implemented by adapters that know their platform's published limits: DefaultPace
// is the pace the deliverer keeps when the configuration does not override it.
type Paced interface {
	DefaultPace() Pace
}

// ContactFirst is implemented by adapters whose platform lets a bot message a person only
// after that person wrote to it (Telegram). DMNeedsContact reports whether that is so.
type ContactFirst interface {
	DMNeedsContact() bool
}

// Singleton is implemented by adapters whose platform serves a bot's events over one
// connection at a time in the mode the adapter was built with (Telegram's long polling,
// Discord's gateway). When Singleton reports true and several processes share the store
// (a core.Leaser), only the process holding the adapter's lease runs it; the others still
// deliver its outbox and serve its webhook routes. Run may then be called again after it
// returned, when the lease comes back.
type Singleton interface {
	Singleton() bool
}

// AdapterState is where an adapter's connection to its platform is.
type AdapterState string

// Adapter states.
const (
	AdapterStarting     AdapterState = "starting"     // Run has not connected yet
	AdapterConnected    AdapterState = "connected"    // events flow
	AdapterReconnecting AdapterState = "reconnecting" // the connection failed; retrying with backoff
	AdapterRefused      AdapterState = "refused"      // the platform refused our credentials; retrying with backoff
	AdapterStopped      AdapterState = "stopped"      // Run returned
)

// AdapterStatus is an adapter's own account of its state.
type AdapterStatus struct {
	State AdapterState
	Since time.Time // when it entered State
	// Reason is the last failure's text (never a secret) while reconnecting or refused.
	Reason string
}

// StatusReporter is implemented by adapters that report their real state, for /healthz.
type StatusReporter interface {
	Status() AdapterStatus
}

// Prober is implemented by Handlers that can tell whether they are able to commit an event
// right now. Probe returns nil when the store takes writes. Adapters use it to tell an
// outage (everything fails: stop confirming, back off, resume when Probe answers) from a
// poison event (this one fails while the store is fine: skip it after a bound).
type Prober interface {
	Probe(ctx context.Context) error
}
