package fakediscord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The application's key pair: Discord signs HTTP interactions with the private key; the app
// verifies them with PublicKey. It is fixed so process-level tests can write it in a config.
var appKey = ed25519.NewKeyFromSeed([]byte(strings.Repeat("\x5a", ed25519.SeedSize)))

// PublicKey is the application's public key, hex, for the adapter's public_key.
func (s *Server) PublicKey() string { return hex.EncodeToString(appKey.Public().(ed25519.PublicKey)) }

// Sign returns the X-Signature-Ed25519 and X-Signature-Timestamp headers Discord would send
// with body at time at.
func (s *Server) Sign(body []byte, at time.Time) (signature, timestamp string) {
	timestamp = strconv.FormatInt(at.Unix(), 10)
	return hex.EncodeToString(ed25519.Sign(appKey, append([]byte(timestamp), body...))), timestamp
}

// PostInteraction sends a signed interaction payload (from ButtonInteraction and friends) to
// an app's interactions endpoint, as Discord does, and records the answer in the response body
// as the interaction's callback. It returns the HTTP status.
func (s *Server) PostInteraction(endpoint string, payload json.RawMessage) (int, error) {
	sig, ts := s.Sign(payload, time.Now())
	req, err := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(payload))
	if err != nil {
		return 0, fmt.Errorf("fakediscord: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Ed25519", sig)
	req.Header.Set("X-Signature-Timestamp", ts)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("fakediscord: post interaction: %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var p struct {
		ID string `json:"id"`
	}
	if resp.StatusCode == http.StatusOK && json.Unmarshal(payload, &p) == nil && p.ID != "" {
		s.RecordCallback(p.ID, raw)
	}
	return resp.StatusCode, nil
}

// ConfigYAML is the discord section of an earshot configuration pointing at this fake.
func (s *Server) ConfigYAML() string {
	return fmt.Sprintf("discord:\n  token: %q\n  application_id: %q\n  public_key: %q\n  api_url: %q\n",
		s.Token, s.ApplicationID, s.PublicKey(), s.URL())
}
