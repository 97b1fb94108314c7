package telegram

import "earshot/bots/internal/kit"

// maxThreads bounds how many threaded messages the adapter remembers.
const maxThreads = 10000

// threads remembers, for the messages the bot sent as replies in a group, the thread root
// they belong to (a complaint card), so that a team member who replies to the bot's relay
// of a customer message — rather than to the card itself — still answers in the card's
// thread. Telegram cannot tell: a reply_to_message never carries its own reply_to_message.
// The memory lasts as long as the process; after a restart core still finds the thread from
// the relayed message's own id (core.ComplaintStore.ComplaintByCard matches messages
// threaded under a card), except for the earlier parts of a relay split in several.
type threads struct {
	root *kit.Cache[string, string] // sentID → the sentID of its thread root
}

func newThreads() threads { return threads{root: kit.NewCache[string, string](maxThreads)} }

func (t threads) remember(id, root string) { t.root.Put(id, root) }

// rootOf returns the thread root of the message id, or id itself.
func (t threads) rootOf(id string) string {
	if r, ok := t.root.Get(id); ok {
		return r
	}
	return id
}
