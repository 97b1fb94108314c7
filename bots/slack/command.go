package slack

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"earshot/bots/internal/kit"
	"earshot/core"

	sl "github.com/slack-go/slack"
)

const (
	// maxAnswerBytes keeps an ephemeral answer well under Socket Mode's 20 KB ack limit.
	maxAnswerBytes = 15000
	// maxResponseURLPosts is how often Slack accepts posts to one response_url.
	maxResponseURLPosts = 5
)

// answer is one ephemeral message for the person who typed a command.
type answer struct {
	ResponseType string     `json:"response_type"`
	Text         string     `json:"text"`
	Blocks       []sl.Block `json:"blocks"`
}

// onCommand handles "/earshot <command> …" and returns the ephemeral answer (the ack
// payload in Socket Mode, the HTTP response body in HTTP mode); nil when there is none.
func (b *Bot) onCommand(ctx context.Context, cmd sl.SlashCommand) (any, error) {
	text := strings.TrimPrefix(strings.TrimSpace(plainText(cmd.Text)), "/")
	if text == "" {
		text = "help"
	}
	in := core.Incoming{EventID: "command:" + cmd.TriggerID, Chat: chat(cmd.ChannelID),
		Direct: isDM(cmd.ChannelID), Text: "/" + text, Inline: true}
	b.person(ctx, &in, cmd.UserID)
	resp, err := b.handleNow(ctx, in)
	replies := resp.Replies
	switch {
	case err != nil:
		replies = []core.Message{{Text: kit.Refusal(b.opts.Texts, kit.Lang(b.opts.Texts, in), err)}}
	case resp.Duplicate:
		return nil, nil // answered the first time
	case len(replies) == 0 && resp.Notice != "":
		replies = []core.Message{{Text: resp.Notice}}
	case len(replies) == 0:
		replies = []core.Message{{Text: b.opts.Texts.Text(kit.Lang(b.opts.Texts, in), kit.KeyDone, nil)}}
	}
	answers := pack(replies)
	var first any
	if len(answers) > 0 {
		first, answers = answers[0], answers[1:]
	}
	if len(answers) > 0 {
		b.followUp(ctx, cmd.ResponseURL, answers)
	}
	return first, nil
}

// pack renders replies into as few ephemeral answers as fit Slack's limits: 50 blocks each
// and small enough for a Socket Mode ack.
func pack(replies []core.Message) []answer {
	var out []answer
	var blocks []sl.Block
	var texts []string
	size := 0
	flush := func() {
		if len(blocks) > 0 {
			out = append(out, answer{ResponseType: "ephemeral", Blocks: blocks, Text: fallback(texts)})
			blocks, texts, size = nil, nil, 0
		}
	}
	for _, m := range replies {
		for _, p := range render(m) {
			for i, blk := range p.Blocks {
				raw, _ := json.Marshal(blk)
				// Each block counts twice: once as a block, once in the fallback text.
				if n := 2 * len(raw); len(blocks) == maxBlocks || size+n > maxAnswerBytes {
					flush()
				}
				blocks = append(blocks, blk)
				texts = append(texts, p.texts[i])
				size += 2 * len(raw)
			}
		}
	}
	flush()
	return out
}

// followUp posts further answers to the command's response URL, after the first one.
func (b *Bot) followUp(ctx context.Context, responseURL string, answers []answer) {
	if responseURL == "" {
		return
	}
	if len(answers) > maxResponseURLPosts {
		b.log.Warn("slack command answer cut", "answers", len(answers)+1)
		answers = answers[:maxResponseURLPosts]
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	go func() {
		defer cancel()
		for _, a := range answers {
			blocks := sl.Blocks{BlockSet: a.Blocks}
			msg := &sl.WebhookMessage{ResponseType: sl.ResponseTypeEphemeral, Text: a.Text, Blocks: &blocks}
			if err := sl.PostWebhookCustomHTTPContext(ctx, responseURL, b.hc, msg); err != nil {
				b.log.Warn("slack response_url failed", "err", err)
				return
			}
		}
	}()
}
