package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"earshot/core"
)

// Discord's JSON error codes the adapter acts on.
const (
	codeUnknownUser  = 10013
	codeCannotDMUser = 50007
	codeThreadExists = 160004
)

type callKey struct{}

// callInfo is what the transport saw of one REST call's response: discordgo's errors do not
// say whether a 429 was global, and a 429 whose body is not JSON is no *RateLimitError.
type callInfo struct {
	mu         sync.Mutex
	status     int
	global     bool
	retryAfter time.Duration
}

func (c *callInfo) note(resp *http.Response) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.status = resp.StatusCode
	if resp.StatusCode != http.StatusTooManyRequests {
		return
	}
	h := resp.Header
	c.global = strings.EqualFold(h.Get("X-RateLimit-Global"), "true") || h.Get("X-RateLimit-Scope") == "global"
	for _, v := range []string{h.Get("X-RateLimit-Reset-After"), h.Get("Retry-After")} {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 {
			c.retryAfter = time.Duration(f * float64(time.Second))
			break
		}
	}
}

func (c *callInfo) get() (status int, global bool, retryAfter time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status, c.global, c.retryAfter
}

// call returns the request options for one REST call made under ctx, and its callInfo.
func call(ctx context.Context) ([]discordgo.RequestOption, *callInfo) {
	info := &callInfo{}
	ctx = context.WithValue(ctx, callKey{}, info)
	return []discordgo.RequestOption{discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false)}, info
}

// restCode returns the HTTP status, Discord's error code and message of a REST error.
func restCode(err error) (status, code int, msg string, ok bool) {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return 0, 0, "", false
	}
	status, msg = re.Response.StatusCode, re.Response.Status
	if re.Message != nil {
		code = re.Message.Code
		if re.Message.Message != "" {
			msg = re.Message.Message
		}
	}
	return status, code, msg, true
}

// classify turns a failed REST call into a *core.DeliveryError: 429 → rate
// limited (global when Discord says so); 50007 → permanent and unreachable; 401/403 →
// unauthorized (a streak opens the deliverer's circuit: Discord bans bots that keep sending
// invalid requests); other 4xx → permanent with Discord's words; the rest → temporary.
func classify(op string, err error, info *callInfo) error {
	wrapped := fmt.Errorf("discord: %s: %w", op, err)
	_, global, after := info.get()
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) {
		retry := rl.RetryAfter
		if retry <= 0 {
			retry = after
		}
		reason := "rate limited"
		if rl.TooManyRequests != nil && rl.Message != "" {
			reason = rl.Message
		}
		return &core.DeliveryError{Kind: core.DeliveryRateLimited, RetryAfter: retry, Global: global,
			Reason: reason, Err: wrapped}
	}
	if status, code, msg, ok := restCode(err); ok {
		switch {
		case status == http.StatusTooManyRequests:
			return &core.DeliveryError{Kind: core.DeliveryRateLimited, RetryAfter: after, Global: global,
				Reason: "rate limited", Err: wrapped}
		case code == codeCannotDMUser:
			return &core.DeliveryError{Kind: core.DeliveryPermanent, Unreachable: true, Reason: msg, Err: wrapped}
		case status == http.StatusUnauthorized || status == http.StatusForbidden:
			return &core.DeliveryError{Kind: core.DeliveryUnauthorized, Reason: msg, Err: wrapped}
		case status >= 400 && status < 500:
			return &core.DeliveryError{Kind: core.DeliveryPermanent, Unreachable: code == codeUnknownUser,
				Reason: msg, Err: wrapped}
		}
		return &core.DeliveryError{Kind: core.DeliveryTemporary, Reason: msg, Err: wrapped}
	}
	if status, global, after := info.get(); status == http.StatusTooManyRequests {
		return &core.DeliveryError{Kind: core.DeliveryRateLimited, RetryAfter: after, Global: global,
			Reason: "rate limited", Err: wrapped}
	}
	return &core.DeliveryError{Kind: core.DeliveryTemporary, Err: wrapped}
}
