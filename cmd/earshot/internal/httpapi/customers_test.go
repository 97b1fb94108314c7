package httpapi

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"earshot/core"
)

// open is a console customer opening an invite, as an adapter would hand it to core.
func (e *env) open(who, token string) {
	e.t.Helper()
	u := core.UserRef{Platform: core.Console, ID: who}
	if _, err := e.svc.Handle(context.Background(), core.Incoming{Platform: core.Console, EventID: who + token,
		From: u, Chat: core.ChatRef(u), Direct: true, Text: "/start " + token}); err != nil {
		e.t.Fatal(err)
	}
}

func TestCustomerByBusinessID(t *testing.T) {
	e := newEnv(t, Options{APIToken: token})
	// A touchpoint before the link waits.
	rec := e.do("POST", "/api/v1/touchpoints", `{"customer":"shop:4711","stage":"delivery","ref":"A-1"}`)
	tr := decodeBody[touchResponse](t, rec)
	if rec.Code != http.StatusCreated || !tr.Waiting || len(tr.Surveys) != 1 || tr.Surveys[0].State != core.RunWaiting ||
		tr.Touchpoint.Customer != "shop:4711" {
		t.Fatalf("touch before the link: %d %s", rec.Code, rec.Body)
	}
	// A retry with the same Idempotency-Key answers the same bytes and records nothing more.
	body := `{"customer":"shop:4711","stage":"delivery","ref":"A-2"}`
	first := e.do("POST", "/api/v1/touchpoints", body, "Idempotency-Key", "k-42")
	again := e.do("POST", "/api/v1/touchpoints", body, "Idempotency-Key", "k-42")
	if first.Code != http.StatusCreated || again.Code != http.StatusCreated || first.Body.String() != again.Body.String() ||
		again.Header().Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay of a waiting touchpoint: %d %s / %d %s", first.Code, first.Body, again.Code, again.Body)
	}
	if rec := e.do("POST", "/api/v1/touchpoints", `{"customer":"shop:4711","stage":"purchase","ref":"A-2"}`, "Idempotency-Key", "k-42"); rec.Code != http.StatusConflict {
		t.Errorf("the key reused for another touchpoint: %d %s; want 409", rec.Code, rec.Body)
	}
	rec = e.do("POST", "/api/v1/invites", `{"customer":"shop:4711"}`)
	inv := decodeBody[inviteResponse](t, rec)
	if rec.Code != http.StatusCreated || inv.Customer != "shop:4711" || inv.Uses != core.InviteOnce {
		t.Fatalf("invite: %d %s", rec.Code, rec.Body)
	}
	e.open("ana", inv.Token)

	rec = e.do("GET", "/api/v1/customers/shop:4711", "")
	v := decodeBody[core.CustomerView](t, rec)
	if rec.Code != http.StatusOK || len(v.Accounts) != 1 || v.Accounts[0].Ref != "console:ana" || v.ReachVia != "console:ana" ||
		v.Waiting != 0 || v.LastSeenAt == nil {
		t.Fatalf("GET customer: %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "How courteous") || strings.Contains(rec.Body.String(), "name") {
		t.Errorf("the customer view carries free text: %s", rec.Body)
	}
	rec = e.do("GET", "/api/v1/customers/console:ana", "")
	if v := decodeBody[core.CustomerView](t, rec); rec.Code != http.StatusOK || len(v.CustomerIDs) != 1 || v.CustomerIDs[0] != "shop:4711" {
		t.Errorf("GET by account: %d %s", rec.Code, rec.Body)
	}

	rec = e.do("DELETE", "/api/v1/customers/shop:4711", "")
	if er := decodeBody[eraseResponse](t, rec); rec.Code != http.StatusOK || er.Erased != 1 {
		t.Fatalf("DELETE: %d %s", rec.Code, rec.Body)
	}
	for _, path := range []string{"/api/v1/customers/shop:4711", "/api/v1/customers/console:ana"} {
		if rec := e.do("GET", path, ""); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s after erase: %d %s", path, rec.Code, rec.Body)
		}
	}
}

func TestCustomerInputIsChecked(t *testing.T) {
	e := newEnv(t, Options{APIToken: token, Platforms: []core.Platform{core.Console}})
	for _, tc := range []struct {
		method, path, body string
		want               int
		msg                string
	}{
		{"GET", "/api/v1/customers/erp:1", "", 400, `unknown platform or customer id namespace "erp"`},
		{"GET", "/api/v1/customers/shop:47%2011", "", 400, "the id after shop:"},
		{"GET", "/api/v1/customers/telegram:12", "", 400, "telegram is not enabled here"},
		{"GET", "/api/v1/customers/shop:unknown", "", 404, "no customer shop:unknown is known"},
		{"DELETE", "/api/v1/customers/console:nobody", "", 404, "no contact"},
		{"PUT", "/api/v1/customers/shop:1", "", 405, "use DELETE, GET"},
		{"POST", "/api/v1/touchpoints", `{"customer":"erp:1","stage":"delivery"}`, 400, "unknown platform or customer id namespace"},
		{"POST", "/api/v1/invites", `{"customer":"erp:1"}`, 400, "customer: "},
		{"POST", "/api/v1/invites", `{"customer":"console:ana"}`, 400, "is a chat account already"},
		{"POST", "/api/v1/invites", `{"customer":"shop:1","uses":"many"}`, 400, "cannot carry a customer"},
		{"POST", "/api/v1/invites", `{"uses":"twice"}`, 400, "neither once nor many"},
		{"POST", "/api/v1/invites", `{"expires_at":"tomorrow"}`, 400, "not an RFC 3339 time"},
		{"POST", "/api/v1/invites", `{"expires_at":"2020-01-01T00:00:00Z"}`, 400, "not in the future"},
		{"GET", "/api/v1/invites/FORGED/qr.png", "", 404, "invite not found"},
		{"GET", "/api/v1/invites/FORGED/card.svg", "", 404, "invite not found"},
	} {
		rec := e.do(tc.method, tc.path, tc.body)
		if rec.Code != tc.want {
			t.Errorf("%s %s %s: %d %s; want %d", tc.method, tc.path, tc.body, rec.Code, rec.Body, tc.want)
			continue
		}
		if msg := errorOf(t, rec); !strings.Contains(msg, tc.msg) {
			t.Errorf("%s %s %s: error %q; want it to contain %q", tc.method, tc.path, tc.body, msg, tc.msg)
		}
	}
}

func decodeQR(t *testing.T, b []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the reader cannot read the code: %v", err)
	}
	return res.GetText()
}

// The QR code of a reusable invite decodes back to exactly the link the invite listed:
// Telegram's deep link by default, another platform's instruction on request.
func TestInviteQRCode(t *testing.T) {
	links := func(_ context.Context, tok string) map[string]string {
		return map[string]string{
			"slack":    "Open https://slack.com/app_redirect?app=A1&team=T1 and send the app: start " + tok,
			"telegram": "https://t.me/acme_bot?start=" + tok,
		}
	}
	e := newEnv(t, Options{APIToken: token, Links: links, Platforms: []core.Platform{core.Slack, core.Telegram, core.Console},
		Notes:        map[string]string{"slack": "the customer must be a member of your Slack workspace"},
		CardBusiness: "Acme <Bikes>", CardLine: "Scan to tell us how we did"})
	rec := e.do("POST", "/api/v1/invites", `{"stage":"delivery","uses":"many","expires_at":"2027-01-31T18:00:00Z"}`)
	inv := decodeBody[inviteResponse](t, rec)
	if rec.Code != http.StatusCreated || inv.Uses != core.InviteMany || inv.ExpiresAt == nil ||
		inv.Notes["slack"] == "" || inv.Links["telegram"] != "https://t.me/acme_bot?start="+inv.Token {
		t.Fatalf("invite: %d %s", rec.Code, rec.Body)
	}

	rec = e.do("GET", "/api/v1/invites/"+inv.Token+"/qr.png", "")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("qr.png: %d %s", rec.Code, rec.Header())
	}
	if got := decodeQR(t, rec.Body.Bytes()); got != inv.Links["telegram"] {
		t.Errorf("the QR code holds %q; want the Telegram link %q", got, inv.Links["telegram"])
	}
	rec = e.do("GET", "/api/v1/invites/"+inv.Token+"/qr.png/?platform=slack&size=300", "")
	if got := decodeQR(t, rec.Body.Bytes()); got != inv.Links["slack"] {
		t.Errorf("the Slack QR code holds %q; want %q", got, inv.Links["slack"])
	}
	for _, q := range []string{"?platform=icq", "?size=9", "?size=big"} {
		if rec := e.do("GET", "/api/v1/invites/"+inv.Token+"/qr.png"+q, ""); rec.Code != http.StatusBadRequest {
			t.Errorf("qr.png%s: %d; want 400", q, rec.Code)
		} else {
			errorOf(t, rec)
		}
	}

	rec = e.do("GET", "/api/v1/invites/"+inv.Token+"/card.svg", "")
	svg := rec.Body.String()
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/svg+xml" ||
		!strings.Contains(svg, "Acme &lt;Bikes&gt;") || !strings.Contains(svg, "Scan to tell us how we did") ||
		!strings.Contains(svg, inv.Token) {
		t.Errorf("card.svg: %d %s", rec.Code, svg)
	}
	// Three customers open the poster's invite: three touchpoints.
	for _, who := range []string{"ana", "bob", "cy"} {
		e.open(who, inv.Token)
		x, err := e.svc.Export(context.Background(), core.UserRef{Platform: core.Console, ID: who})
		if err != nil || len(x.Touchpoints) != 1 || len(x.Surveys) != 1 {
			t.Errorf("%s after opening: %+v, %v", who, x, err)
		}
	}
}
