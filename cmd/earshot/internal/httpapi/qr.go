package httpapi

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"earshot/cmd/earshot/internal/qr"
)

// DefaultCardLine is the counter card's line when Options.CardLine is empty.
const DefaultCardLine = "Scan to tell us how we did"

// inviteLink is what the QR code of the invite {token} holds (PickLink with ?platform=):
// exactly a link POST /api/v1/invites listed.
func (a *api) inviteLink(w http.ResponseWriter, r *http.Request) (string, bool) {
	token := r.PathValue("token")
	if _, err := a.svc.Invite(r.Context(), token); err != nil {
		a.fail(w, r, err)
		return "", false
	}
	links := a.opts.Links(r.Context(), token)
	link, err := PickLink(a.linkPlatforms(links), links, r.URL.Query().Get("platform"))
	if err != nil {
		a.refuse(w, r, err)
		return "", false
	}
	return link, true
}

// PickLink picks what an invite's QR code holds among links (platform → link, as `earshot
// invite` prints them), given the platforms in order: platform's link when platform is set,
// else the first that is a plain URL (Telegram's deep link), else the first instruction.
func PickLink(order []string, links map[string]string, platform string) (string, error) {
	if platform != "" {
		link, ok := links[platform]
		if !ok {
			return "", badRequest("platform: %q is not enabled here (enabled: %s)", platform, strings.Join(order, ", "))
		}
		return link, nil
	}
	if len(order) == 0 {
		return "", &statusError{http.StatusConflict, "no platform is enabled: configure one so customers can open the invite"}
	}
	for _, p := range order {
		if l := links[p]; strings.HasPrefix(l, "https://") && !strings.ContainsRune(l, ' ') {
			return l, nil
		}
	}
	return links[order[0]], nil
}

// linkPlatforms lists the platforms with a link, in Options.Platforms order, then any
// others by name.
func (a *api) linkPlatforms(links map[string]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range a.opts.Platforms {
		if _, ok := links[string(p)]; ok && !seen[string(p)] {
			out, seen[string(p)] = append(out, string(p)), true
		}
	}
	var rest []string
	for p := range links {
		if !seen[p] {
			rest = append(rest, p)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// inviteQR answers GET /api/v1/invites/{token}/qr.png: the invite's link as a QR code;
// ?size= sets its width in pixels (64-2048, default 512).
func (a *api) inviteQR(w http.ResponseWriter, r *http.Request) {
	size := 512
	if s := r.URL.Query().Get("size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 64 || n > 2048 {
			writeError(w, http.StatusBadRequest, "size: "+strconv.Quote(s)+" is not a number of pixels from 64 to 2048")
			return
		}
		size = n
	}
	link, ok := a.inviteLink(w, r)
	if !ok {
		return
	}
	png, err := qr.PNG(link, size)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	_, _ = w.Write(png)
}

// inviteCard answers GET /api/v1/invites/{token}/card.svg: a printable counter card with
// the business's name, one line and the invite's QR code.
func (a *api) inviteCard(w http.ResponseWriter, r *http.Request) {
	link, ok := a.inviteLink(w, r)
	if !ok {
		return
	}
	card := qr.Card{Business: a.opts.CardBusiness, Line: a.opts.CardLine, Link: link}
	if card.Business == "" {
		card.Business = "earshot"
	}
	if card.Line == "" {
		card.Line = DefaultCardLine
	}
	var buf bytes.Buffer
	if err := qr.WriteCardSVG(&buf, card); err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	_, _ = w.Write(buf.Bytes())
}
