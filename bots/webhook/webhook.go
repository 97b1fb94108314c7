// Package webhook delivers earshot's events to the business's own systems. It is a
// core.Messenger for the Webhook destination: the outbox hands it one event for one endpoint
// at a time, at least once, and it POSTs the event signed as the Standard Webhooks
// specification says (webhook-id, webhook-timestamp, webhook-signature: v1,<HMAC-SHA256>), so
// any Standard Webhooks library verifies it.
//
// What it promises beside the signature:
//   - the same webhook-id on every retry of one outbox message (the id is derived from it);
//   - a 10-second timeout per attempt; 5xx, 408, timeouts and connection errors are
//     temporary (the outbox retries with backoff and jitter), until the event is three days
//     old, then it becomes a dead letter that says why;
//   - 410 Gone disables the endpoint until the next start, with a loud log line; other 4xx
//     and redirects are permanent (kept as dead letters with the receiver's words);
//   - loopback, link-local, private and other non-public addresses are refused at connect
//     time (after DNS, so a name that resolves to 127.0.0.1 is refused too) unless the
//     endpoint says allow_private.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"earshot/core"
)

// Defaults a deployment may not change: they are what the README promises.
const (
	// Timeout bounds one delivery attempt, from connect to the last byte of the answer.
	Timeout = 10 * time.Second
	// GiveUpAfter is how long a failing event is retried before it becomes a dead letter.
	GiveUpAfter = 72 * time.Hour
	// reasonLimit bounds how much of a receiver's answer is kept as the reason of a failure.
	reasonLimit = 512
)

// Endpoint is one receiver of events.
type Endpoint struct {
	// Name identifies the endpoint in the outbox (core.ChatRef{Platform: core.Webhook, ID: Name}).
	Name string
	URL  string
	// Secret is the signing secret in the whsec_<base64> form.
	Secret string
	// AllowPrivate lets the endpoint be on a loopback, link-local or private address.
	AllowPrivate bool
}

// Options configure a Sender.
type Options struct {
	Endpoints []Endpoint
	Logger    *slog.Logger
	// Now is the clock used to stamp attempts; tests fix it. Defaults to time.Now.
	Now func() time.Time
	// Timeout overrides Timeout, for tests.
	Timeout time.Duration
}

// Sender delivers events to the configured endpoints.
type Sender struct {
	log     *slog.Logger
	now     func() time.Time
	targets map[string]*target
}

type target struct {
	Endpoint
	signer *standardwebhooks.Webhook
	client *http.Client

	mu       sync.Mutex
	disabled string // why the endpoint no longer receives events; empty while it does
}

var _ core.Messenger = (*Sender)(nil)

// New checks the endpoints and returns a sender. A bad URL or secret is an error that names
// the endpoint.
func New(o Options) (*Sender, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Timeout <= 0 {
		o.Timeout = Timeout
	}
	s := &Sender{log: o.Logger, now: o.Now, targets: map[string]*target{}}
	for _, e := range o.Endpoints {
		if _, dup := s.targets[e.Name]; dup {
			return nil, fmt.Errorf("webhook: two endpoints named %q", e.Name)
		}
		if err := CheckURL(e.URL); err != nil {
			return nil, fmt.Errorf("webhook %s: %w", e.Name, err)
		}
		signer, err := NewSigner(e.Secret)
		if err != nil {
			return nil, fmt.Errorf("webhook %s: %w", e.Name, err)
		}
		s.targets[e.Name] = &target{Endpoint: e, signer: signer, client: newClient(e.AllowPrivate, o.Timeout)}
	}
	return s, nil
}

// Platform is core.Webhook.
func (s *Sender) Platform() core.Platform { return core.Webhook }

// Deliver POSTs the event in d to its endpoint. The sent id it returns is the webhook-id.
func (s *Sender) Deliver(ctx context.Context, d core.Delivery) (string, error) {
	ev := d.Message.Event
	if ev == nil {
		return "", permanent("not an event", nil)
	}
	t, ok := s.targets[d.To.ID]
	if !ok {
		return "", permanent(fmt.Sprintf("no webhook endpoint named %q is configured", d.To.ID), nil)
	}
	if why := t.disabledReason(); why != "" {
		return "", permanent(why, nil)
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return "", permanent("event cannot be encoded", err)
	}
	id := MessageID(d.ID)
	err = s.post(ctx, t, id, body)
	var de *core.DeliveryError
	if errors.As(err, &de) && de.Kind != core.DeliveryPermanent && s.now().Sub(ev.Timestamp) > GiveUpAfter {
		return "", permanent("gave up after 3 days of failed attempts; the last: "+de.Error(), err)
	}
	if err != nil {
		return "", err
	}
	return id, nil
}

// MessageID is the webhook-id of the outbox message with the given id: the same on every
// retry, so a receiver can drop a repeat.
func MessageID(outboxID int64) string { return "msg_" + strconv.FormatInt(outboxID, 10) }

func (s *Sender) post(ctx context.Context, t *target, id string, body []byte) error {
	now := s.now()
	sig, err := t.signer.Sign(id, now, body)
	if err != nil {
		return permanent("cannot sign", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(body))
	if err != nil {
		return permanent("bad request", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "earshot-webhooks/1")
	req.Header.Set(standardwebhooks.HeaderWebhookID, id)
	req.Header.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(standardwebhooks.HeaderWebhookSignature, sig)

	resp, err := t.client.Do(req)
	if err != nil {
		if errors.Is(err, errRefused) {
			return permanent(err.Error(), err)
		}
		return &core.DeliveryError{Kind: core.DeliveryTemporary, Reason: "no answer", Err: err}
	}
	defer resp.Body.Close()
	reason := answerReason(resp)
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return nil
	case c == http.StatusGone:
		why := "the receiver answered 410 Gone, so this endpoint receives no more events until earshot restarts"
		t.disable(why)
		s.log.Error("webhook: endpoint disabled: it answered 410 Gone; fix or remove it in the configuration",
			"endpoint", t.Name)
		return permanent(why, nil)
	case c == http.StatusTooManyRequests:
		return &core.DeliveryError{Kind: core.DeliveryRateLimited, RetryAfter: retryAfter(resp, now), Reason: reason}
	case c >= 500 || c == http.StatusRequestTimeout:
		return &core.DeliveryError{Kind: core.DeliveryTemporary, Reason: reason}
	case c >= 300 && c < 400:
		return permanent(reason+" (redirects are not followed: configure the final URL)", nil)
	default:
		return permanent(reason, nil)
	}
}

func permanent(reason string, err error) *core.DeliveryError {
	return &core.DeliveryError{Kind: core.DeliveryPermanent, Reason: reason, Err: err}
}

// answerReason is the status and the start of the receiver's answer, as a dead letter's reason.
func answerReason(resp *http.Response) string {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, reasonLimit))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
	reason := resp.Status
	if text := strings.TrimSpace(strings.ToValidUTF8(string(b), "")); text != "" {
		reason += ": " + text
	}
	return reason
}

// retryAfter reads a Retry-After header in seconds or as a date; default one minute.
func retryAfter(resp *http.Response, now time.Time) time.Duration {
	v := resp.Header.Get("Retry-After")
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return time.Minute
}

func (t *target) disable(why string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.disabled = why
}

func (t *target) disabledReason() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.disabled
}

// errRefused marks a connection refused by the address policy, not by the network.
var errRefused = errors.New("webhook: refused to connect")

// newClient returns a client that never follows redirects, ignores proxy variables (a proxy
// would hide the real address from the policy) and, unless allowPrivate, refuses to connect
// to an address that is not public.
func newClient(allowPrivate bool, timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		dialer.Control = func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return fmt.Errorf("%w: %s", errRefused, address)
			}
			if ip := net.ParseIP(host); ip == nil || !Public(ip) {
				return fmt.Errorf("%w: %s is not a public address (set allow_private: true for a receiver on your own network)",
					errRefused, host)
			}
			return nil
		}
	}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         dialer.DialContext,
			ForceAttemptHTTP2:   true,
			MaxIdleConnsPerHost: 4,
			IdleConnTimeout:     90 * time.Second,
			TLSHandshakeTimeout: timeout,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
