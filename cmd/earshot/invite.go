package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"earshot/cmd/earshot/internal/config"
	"earshot/cmd/earshot/internal/httpapi"
	"earshot/cmd/earshot/internal/qr"
	"earshot/core"
)

// inviteNotes are, per enabled platform, what a customer needs before an invite can work
// there (core.InviteNoter), keyed as the API's links are.
func inviteNotes(a *app) map[string]string {
	out := map[string]string{}
	for _, ad := range a.adapters {
		if n, ok := ad.(core.InviteNoter); ok {
			out[string(ad.Platform())] = n.InviteNote()
		}
	}
	return out
}

// cardLine is the counter card's line in the business's language (core.KeyOwnersCardLine);
// --line (or the API's CardLine) overrides it.
func cardLine(cfg *config.Config) string {
	texts, err := cfg.Texts()
	if err != nil { // a language without catalogs: config check says so; the card stays usable
		texts, _ = (&config.Config{Business: config.Business{Language: "en"}}).Texts()
	}
	return texts.Text(texts.Default(), core.KeyOwnersCardLine, nil)
}

func cmdInvite(ctx context.Context, e *env, args []string) error {
	fs, path := flags("invite", e)
	stage := fs.String("stage", "", "the stage opening the invite records (purchase)")
	ref := fs.String("ref", "", "a reference such as an order number")
	name := fs.String("name", "", "the customer's name")
	customer := fs.String("customer", "", "the business's own id for the customer (shop:4711): opening the invite links the chat account to it")
	uses := fs.String("uses", "once", "once, or many for a poster or a counter card that anyone may open")
	expires := fs.String("expires", "", "when the invite stops working: an RFC 3339 time or a duration from now (30d)")
	qrFile := fs.String("qr", "", "also write the invite as a QR code: FILE.png (the code) or FILE.svg (a printable counter card)")
	platform := fs.String("platform", "", "the platform whose link the QR code holds (default: the first with a plain link, Telegram's)")
	line := fs.String("line", "", "the counter card's line (default: \"Scan to tell us how we did\" in business.language)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *stage == "" && *customer == "" {
		return usagef("invite: --stage is required (or --customer, for an invite that only links the customer)")
	}
	if *uses != "once" && *uses != "many" {
		return usagef("invite: --uses is once or many, not %q", *uses)
	}
	if ext := strings.ToLower(filepath.Ext(*qrFile)); *qrFile != "" && ext != ".png" && ext != ".svg" {
		return usagef("invite: --qr %s: write a .png (the code) or an .svg (a printable card)", *qrFile)
	}
	if *customer != "" {
		if err := checkCustomer(*customer); err != nil {
			return err
		}
	}
	a, err := openApp(ctx, *path, e.stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	r := core.InviteRequest{Stage: *stage, Ref: *ref, Name: *name, Uses: core.InviteUses(*uses)}
	if *expires != "" {
		if r.ExpiresAt, err = expiry(*expires, a.svc.Now()); err != nil {
			return err
		}
	}
	if *customer != "" {
		if r.Customer, err = a.svc.ParseCustomer(*customer); err != nil {
			return fmt.Errorf("--customer: %w", err)
		}
	}
	inv, err := a.svc.CreateInvite(ctx, r)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "token: %s\n", inv.Token)
	if inv.Uses == core.InviteMany {
		fmt.Fprintln(e.stdout, "uses: many (anyone may open it; each opening records a touchpoint)")
	}
	if !inv.ExpiresAt.IsZero() {
		fmt.Fprintf(e.stdout, "expires: %s\n", inv.ExpiresAt.In(a.set.Business.Location).Format(time.RFC3339))
	}
	if a.adapters, err = cliAdapters(a.cfg, a.log); err != nil {
		return err
	}
	links := inviteLinks(ctx, a, inv.Token)
	if len(links) == 0 {
		fmt.Fprintln(e.stdout, "no platform is enabled: configure one so customers can open the invite")
	}
	byPlatform := map[string]string{}
	var order []string
	for _, l := range links {
		fmt.Fprintf(e.stdout, "%s: %s\n", l.platform, l.link)
		if l.note != "" {
			fmt.Fprintf(e.stdout, "  note: %s\n", l.note)
		}
		byPlatform[l.platform] = l.link
		order = append(order, l.platform)
	}
	if *qrFile == "" {
		return nil
	}
	link, err := httpapi.PickLink(order, byPlatform, *platform)
	if err != nil {
		return fmt.Errorf("--qr: %w", err)
	}
	if err := writeQR(*qrFile, link, a.set.Business.Name, orDefault(*line, cardLine(a.cfg))); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "QR code of %q written to %s\n", link, *qrFile)
	return nil
}

func orDefault(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}

// writeQR writes link as a QR code PNG, or as a printable counter card for an .svg file.
func writeQR(file, link, business, line string) error {
	var b []byte
	if strings.EqualFold(filepath.Ext(file), ".svg") {
		var sb strings.Builder
		if err := qr.WriteCardSVG(&sb, qr.Card{Business: business, Line: line, Link: link}); err != nil {
			return err
		}
		b = []byte(sb.String())
	} else {
		var err error
		if b, err = qr.PNG(link, 512); err != nil {
			return err
		}
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		return fmt.Errorf("--qr: %w", err)
	}
	return nil
}

// expiry parses --expires: an RFC 3339 time, or a duration from now (config syntax: 30d,
// 12h).
func expiry(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d, err := config.ParseDuration(s)
	if err != nil || d <= 0 {
		return time.Time{}, fmt.Errorf("--expires: %q is neither an RFC 3339 time (2026-12-31T18:00:00Z) nor a positive duration (30d)", s)
	}
	return now.Add(d), nil
}

// checkCustomer checks a --customer that names a platform account before anything is
// opened (telegram:abc is wrong whatever the configuration says); a business id is
// checked against customers.namespaces once the configuration is loaded.
func checkCustomer(s string) error {
	prefix, _, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || core.Platform(prefix).Known() {
		if _, err := core.ParseUserRef(s); err != nil {
			return fmt.Errorf("--customer: %w", err)
		}
	}
	return nil
}

// parseCustomer parses --customer with the configured namespaces; an account must be on a
// platform this configuration enables.
func parseCustomer(a *app, s string) (core.CustomerRef, error) {
	who, err := a.svc.ParseCustomer(s)
	if err != nil {
		return core.CustomerRef{}, fmt.Errorf("--customer: %w", err)
	}
	if who.External.IsZero() && !slices.Contains(customerPlatforms(a.cfg), who.Account.Platform) {
		return core.CustomerRef{}, fmt.Errorf("--customer: %s is not enabled in this configuration (set its token to enable it)", who.Account.Platform)
	}
	return who, nil
}
