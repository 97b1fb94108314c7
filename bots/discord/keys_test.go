package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"strings"
)

// A fixed test key pair (seed: 32 bytes of 0x07).
var (
	testPrivate   = ed25519.NewKeyFromSeed([]byte(strings.Repeat("\x07", 32)))
	testPublicHex = hex.EncodeToString(testPrivate.Public().(ed25519.PublicKey))
)

// otherKey is a key Discord never signed with.
func otherKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed([]byte(strings.Repeat("\x09", 32)))
}
