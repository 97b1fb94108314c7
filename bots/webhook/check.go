package webhook

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// minSecretBytes is the shortest signing key accepted. The specification asks for 24 to 64
// random bytes.
const minSecretBytes = 24

// NewSigner parses a secret in the whsec_<base64> form the specification uses.
func NewSigner(secret string) (*standardwebhooks.Webhook, error) {
	if err := CheckSecret(secret); err != nil {
		return nil, err
	}
	return standardwebhooks.NewWebhook(secret)
}

// CheckSecret says what is wrong with a signing secret, without repeating it.
func CheckSecret(secret string) error {
	raw, ok := strings.CutPrefix(secret, "whsec_")
	if !ok {
		return errors.New("the secret must look like whsec_ followed by base64 (24 to 64 random bytes)")
	}
	key, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return errors.New("the part after whsec_ is not standard base64")
	}
	if len(key) < minSecretBytes || len(key) > 64 {
		return fmt.Errorf("the secret holds %d bytes; use 24 to 64 random bytes", len(key))
	}
	return nil
}

// CheckURL says what is wrong with an endpoint's URL: it must be absolute http or https,
// without credentials or a fragment. Where it points is checked when connecting.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return errors.New("the url is not a URL")
	case u.Scheme != "https" && u.Scheme != "http":
		return errors.New("the url must start with https:// (or http://)")
	case u.Host == "" || u.Hostname() == "":
		return errors.New("the url has no host")
	case u.User != nil:
		return errors.New("the url must not carry a user or password: the signature authenticates earshot")
	case u.Fragment != "":
		return errors.New("the url must not have a #fragment")
	}
	return nil
}

// nonPublic are the ranges beside the standard library's own classes that are not on the
// public internet: "this network", carrier-grade NAT, benchmarking, IETF protocol
// assignments, the documentation ranges, 6to4 relays, reserved space and NAT64 (whose
// addresses embed private IPv4 ones).
var nonPublic = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24",
		"198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4",
		"64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "2002::/16",
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// Public reports whether ip is an address on the public internet: not loopback, private,
// link-local, multicast, unspecified or reserved.
func Public(ip net.IP) bool {
	addr, ok := netip.AddrFromSlice(ip)
	if !ok {
		return false
	}
	addr = addr.Unmap()
	if addr.IsLoopback() || addr.IsPrivate() || addr.IsLinkLocalUnicast() ||
		addr.IsLinkLocalMulticast() || addr.IsInterfaceLocalMulticast() || addr.IsMulticast() ||
		addr.IsUnspecified() || !addr.IsGlobalUnicast() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}
