package core_test

import (
	"strings"
	"testing"
	"time"

	"earshot/core"
)

// TestGermanOwnerOfAnEnglishBusiness: an owner whose language: is de gets what is sent to
// them alone — the /dashboard link, the /complaints list, refusals, an escalation — in
// German, while the card in the team's channel and the English member's list stay English.
func TestGermanOwnerOfAnEnglishBusiness(t *testing.T) {
	e := newEnvIn(t, []core.Lang{"en", "de"}, func(s *core.Settings) {
		s.PublicURL = "https://bot.example.com"
		s.Team.Members[0].Language = "de" // Sam, the owner
	})
	e.dm("sam", "/dashboard")
	e.wantLast("sam", "Ihre Inhaberseite\nÖffnen Sie diesen privaten Link innerhalb von 15 Minuten")
	if got := e.msgr.to("sam"); got[len(got)-1].Message.Footer != "Bitte nicht weiterleiten: Wer ihn zuerst öffnet, sieht die Seite." {
		t.Fatalf("footer of the link: %q", got[len(got)-1].Message.Footer)
	}
	e.inTeam("sam", "/dashboard") // the refusal is Sam's, in Sam's language, though in the team channel
	e.wantLast("team", "Senden Sie mir /dashboard in einem privaten Chat")

	e.dm("maria", "/complain The bell arrived cracked")
	e.wantLast("team", "Complaint C-1001 · open")
	e.wantField("team", "Acknowledge by", "Monday 22:00 (12 hours left)")
	e.msgr.button(t, "team", "Acknowledge")

	e.dm("sam", "/complaints")
	e.wantLast("sam", "Beschwerden (1)\nC-1001 · offen · niemand zuständig · 0 s alt · The bell arrived cracked")
	e.dm("lee", "/complaints")
	e.wantLast("lee", "Complaints (1)\nC-1001 · open · unowned · 0 s old · The bell arrived cracked")
	e.dm("sam", "/ack C-999")
	e.wantLast("sam", "Es gibt keine Beschwerde C-999.")
	e.dm("sam", "/ack")
	e.wantLast("sam", "Welche Beschwerde? Schreiben Sie /ack C-12.")
	e.dm("lee", "/ack C-999")
	e.wantLast("lee", "There is no complaint C-999.")

	e.advance(12 * time.Hour)
	e.wantLast("team", "⏰ C-1001 needs acknowledging")
	e.wantLast("sam", "🚨 Eskalation: C-1001 wurde nicht rechtzeitig bestätigt (Standard: 12 Stunden)")
}

// TestGermanBusinessCard: with business.language de the card, its buttons, the warnings and
// the refusals to someone outside the team are German; deadlines read "Montag 12:00".
func TestGermanBusinessCard(t *testing.T) {
	e := newEnvIn(t, []core.Lang{"de"}, officeHours(t))
	e.at(friday(17, 0))
	e.dm("maria", "/complain The bell arrived cracked")
	e.wantLast("team", "Beschwerde C-1001 · offen\nThe bell arrived cracked")
	e.wantField("team", "Bestätigen bis", "Montag 12:00 (noch 4 Stunden Geschäftszeit)")
	e.wantField("team", "Lösen bis", "Dienstag 15:00 (noch 16 Stunden Geschäftszeit)")
	cards := e.msgr.to("team")
	if card := cards[len(cards)-1].Message; card.Footer != "/ack C-1001 · /reply C-1001 Text · /wait C-1001 Frage · /resolve C-1001 Notiz" ||
		card.Choices[1].Label != "Lösen" || card.Choices[1].NoteLabel != "Notiz zur Lösung (die Kundschaft sieht sie)" {
		t.Fatalf("card = %+v", card)
	}
	if r := e.pressInTeam("eve", "Bestätigen"); r.Notice != "Das können nur Teammitglieder." {
		t.Fatalf("a stranger pressing Bestätigen: %+v", r)
	}
	e.at(monday(11, 0))
	e.wantLast("team", "⏰ C-1001 muss bestätigt werden\nNiemand hat C-1001 bisher bestätigt. Unser Standard ist 4 Stunden: noch 1 Stunde (bis Montag 12:00).")
	e.pressInTeam("lee", "Bestätigen")
	e.wantField("team", "Zuständig", "Lee (bestätigt am Montag 11:00)")
	e.inTeam("lee", "/wait C-1001")
	e.wantLast("team", "C-1001 wartet auf die Kundschaft: Die Frist zur Lösung ist angehalten (Restzeit: 13 Stunden).")
	e.wantField("team", "Wartet auf die Kundschaft", "seit Montag 11:00; die Frist zur Lösung ist angehalten (Restzeit: 13 Stunden)")
	if strings.Contains(strings.Join(e.msgr.texts("team"), "\n"), "Acknowledge") {
		t.Fatalf("English in the German team channel: %q", e.msgr.texts("team"))
	}
}
