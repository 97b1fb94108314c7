package core

import (
	"context"
	"errors"
	"strings"
)

// The digest's chart travels as its own outbox message, queued right after the text digest
// to the same chats (so it arrives after it: a chat's messages go in order), rather than
// attached to the text:
//   - a retry never sends the text twice: a chart upload that failed with a 5xx is retried
//     alone, and a text already delivered is never re-sent for the picture's sake;
//   - an upload the platform refuses for good (too large, files not allowed in the chat)
//     becomes a dead letter with the platform's reason, while the text digest is already
//     delivered or goes on its own;
//   - each send stays one platform call with one sent id, as the outbox records.

// isPicture reports whether m is a picture on its own (the digest's chart, chartMessageIn), sent by upload.
func isPicture(m Message) bool {
	return m.Image != nil && m.Text == "" && len(m.Fields) == 0 && len(m.Choices) == 0
}

// sendTo hands d to its platform: a picture through the adapter's Uploader, anything else
// through Deliver (an adapter sends a text message's Image, if any, as text alone). A
// platform that cannot upload gets a permanent error, so the picture becomes a dead letter
// saying so; the text went in its own message.
func sendTo(ctx context.Context, msgr Messenger, d Delivery) (string, error) {
	if !isPicture(d.Message) {
		return msgr.Deliver(ctx, d)
	}
	up, ok := msgr.(Uploader)
	if !ok {
		reason := string(d.To.Platform) + " cannot send pictures; the text digest went without its chart"
		return "", &DeliveryError{Kind: DeliveryPermanent, Reason: reason, Err: errors.New("core: " + reason)}
	}
	caption := d.Message.Title
	if d.Message.Footer != "" {
		caption = strings.TrimSpace(caption + "\n" + d.Message.Footer)
	}
	img := d.Message.Image
	return up.Upload(ctx, d.To, d.DM, Upload{Name: img.Name, MIME: "image/png", Data: img.PNG,
		Caption: caption, Alt: img.Alt})
}
