package core_test

import (
	"strings"
	"testing"

	"earshot/core"
	"earshot/core/coretest"
)

// TestChosenLanguageWinsOverTheLocale: a customer whose platform says English chooses
// German; what follows — the offer to file, the receipt, the team's reply framed — is
// German, while the team's card stays English. Choosing English again turns it back.
func TestChosenLanguageWinsOverTheLocale(t *testing.T) {
	e, texts := newLangEnv(t)
	e.dmIn("ana", "en-US", "/language de")
	e.dmIn("ana", "en-US", "Die Klingel ist kaputt")
	e.wantLast("ana", texts.Text("de", core.KeyFileOffer, nil))
	e.press("ana", texts.Text("de", core.KeyFileYes, nil))
	receipt := coretest.TextStart(texts, "de", core.KeyComplaintReceipt, core.Args{"Ref": "C-1001"}, "When")
	if !strings.Contains(receipt, "C-1001") {
		t.Fatalf("receipt start %q", receipt)
	}
	e.wantAny("ana", receipt)
	e.msgr.button(t, "team", "Acknowledge") // the card in the business's language
	e.wantNone("team", receipt)

	e.inTeam("lee", "/reply C-1001 Ein neues Rad ist unterwegs.")
	e.wantLast("ana", texts.Text("de", core.KeyRelayTitle, core.Args{"Member": "Lee", "Business": "Acme Bikes", "Ref": "C-1001"}))
	e.wantLast("ana", "Ein neues Rad ist unterwegs.")

	e.dmIn("ana", "en-US", "/language en")
	e.inTeam("lee", "/reply C-1001 It ships today.")
	e.wantLast("ana", texts.Text("en", core.KeyRelayTitle, core.Args{"Member": "Lee", "Business": "Acme Bikes", "Ref": "C-1001"}))
}
