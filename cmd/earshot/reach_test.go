package main

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"earshot/bots/slack/fakeslack"
	"earshot/bots/telegram/faketelegram"
)

// TestInviteCommandReachesCustomers: `earshot invite` with the business's id, reuse, expiry
// and a QR code (decoded back to the printed Telegram link), the Slack note, and touch,
// export and erase by the business's id.
func TestInviteCommandReachesCustomers(t *testing.T) {
	tg := faketelegram.Start(faketelegram.Options{})
	defer tg.Close()
	sl := fakeslack.New(fakeslack.Options{})
	defer sl.Close()
	dir := t.TempDir()
	cfg := writeConfig(t, "business: {name: Acme Bikes, language: de}\nstorage: {path: "+filepath.Join(dir, "e.db")+"}\n"+
		tg.ConfigYAML()+sl.ConfigYAML(true)+`customers: {namespaces: [shop]}
surveys:
  - {name: after-visit, trigger: visit, expire_after: 72h, questions: [{key: overall, text: "How was it?", type: scale}]}
`)
	png := filepath.Join(dir, "poster.png")
	out, _, err := runCLI(t, "invite", "--config", cfg, "--stage", "visit", "--uses", "many", "--expires", "30d", "--qr", png)
	if err != nil {
		t.Fatalf("invite: %v\n%s", err, out)
	}
	link := regexp.MustCompile(`(?m)^telegram: (https://t\.me/\S+)$`).FindStringSubmatch(out)
	if link == nil || !strings.Contains(out, "uses: many") || !strings.Contains(out, "expires: ") ||
		!strings.Contains(out, "note: the customer must be a member (or guest) of your Slack workspace") {
		t.Fatalf("invite output:\n%s", out)
	}
	if got := decodePNGFile(t, png); got != link[1] {
		t.Errorf("the QR code holds %q; want the printed link %q", got, link[1])
	}

	card := filepath.Join(dir, "card.svg")
	out, _, err = runCLI(t, "invite", "--config", cfg, "--customer", "shop:4711", "--qr", card, "--platform", "slack")
	if err != nil {
		t.Fatalf("invite --customer: %v\n%s", err, out)
	}
	svg, _ := os.ReadFile(card)
	if !strings.Contains(string(svg), "Acme Bikes") || !strings.Contains(string(svg), "Scannen Sie und sagen Sie uns, wie wir waren") ||
		!strings.Contains(string(svg), "app_redirect") {
		t.Errorf("the card lacks the name, the German line or the Slack link:\n%s", svg)
	}

	out, _, err = runCLI(t, "touch", "--config", cfg, "--customer", "shop:4711", "--stage", "visit", "--ref", "V-1")
	if err != nil || !strings.Contains(out, "after-visit: waiting: not reachable yet") {
		t.Fatalf("touch by the business's id: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, "export", "--config", cfg, "--customer", "shop:4711")
	var x struct {
		Customer string `json:"customer"`
		Waiting  []struct {
			State string `json:"state"`
		} `json:"waiting_touchpoints"`
	}
	if err != nil || json.Unmarshal([]byte(out), &x) != nil || x.Customer != "shop:4711" || len(x.Waiting) != 1 {
		t.Fatalf("export shop:4711: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, "erase", "--config", cfg, "--customer", "shop:4711")
	if err != nil || !strings.Contains(out, "erased shop:4711 (0 linked account(s))") {
		t.Fatalf("erase shop:4711: %v\n%s", err, out)
	}
	if _, _, err := runCLI(t, "export", "--config", cfg, "--customer", "shop:4711"); err == nil {
		t.Error("export after erase found shop:4711")
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"touch", "--customer", "erp:1", "--stage", "visit"}, `unknown platform or customer id namespace "erp"`},
		{[]string{"touch", "--customer", "shop:a b", "--stage", "visit"}, "the id after shop:"},
		{[]string{"erase", "--customer", "telegram:-1"}, "positive number"},
		{[]string{"invite", "--stage", "visit", "--uses", "twice"}, "--uses is once or many"},
		{[]string{"invite", "--stage", "visit", "--qr", "x.gif"}, "write a .png"},
		{[]string{"invite", "--stage", "visit", "--expires", "soon"}, "--expires"},
		{[]string{"invite", "--stage", "visit", "--expires", "2020-01-01T00:00:00Z"}, "not in the future"},
		{[]string{"invite", "--customer", "shop:1", "--uses", "many"}, "cannot carry a customer"},
		{[]string{"invite", "--stage", "visit", "--qr", filepath.Join(dir, "x.png"), "--platform", "icq"}, `platform: "icq" is not enabled`},
	} {
		_, _, err := runCLI(t, append(tc.args, "--config", cfg)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v; want an error containing %q", tc.args, err, tc.want)
		}
	}
}

func decodePNGFile(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the reader cannot read %s: %v", path, err)
	}
	return res.GetText()
}
