// Package kit is what the platform adapters share, so that each policy is written once:
//
//   - Guard hands one inbound event to the core: it recovers a panic, retries internal
//     failures in place, tells a poison event (this one fails while the store answers: skipped
//     after a bound) from an outage (the store is down: nothing is confirmed, the adapter
//     stops taking events, backs off and resumes when the store answers), and says what to
//     answer the person.
//   - Connect is the reconnect loop: backoff for lost connections and refused credentials
//     alike, with the adapter's state kept in a Status for /healthz.
//   - Gate bounds unauthenticated webhook requests: body size, requests in flight, and the
//     warning log per source.
//   - Cache is a bounded LRU map (DM channels, profiles, thread parents).
//   - Splitter cuts long text under a platform's limit without breaking its escapes.
//   - SentID and ParseSentID encode a delivered message as "<chat>/<message>".
//
// Adapters keep what is truly theirs: the SDK, the wire format, rendering.
package kit
