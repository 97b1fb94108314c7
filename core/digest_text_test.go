package core_test

import (
	"strings"
	"testing"
	"time"

	"earshot/core"
	"earshot/core/coretest"
)

// kindsWeek stores a week of answers of every kind and the week before, and returns its digest.
func kindsWeek(t *testing.T, e *env) core.Digest {
	t.Helper()
	e.storeKinds(start.Add(-7*24*time.Hour), append(append(append(scores("nps", 10, 9, 3), scores("csat", 5, 2)...),
		scores("ces", 4, 5)...), picks("reason", "staff", "staff")...))
	var week []kindAnswer
	for _, part := range [][]kindAnswer{scores("nps", 10, 9, 9, 8, 2, 10, 6), scores("csat", 5, 4, 4, 3, 2), scores("ces", 6, 7, 5),
		picks("reason", "delivery", "delivery", "staff"), picks("extras", "a,b", "b,c", "b"),
		picks("comment", "Late again, and nobody called.")} {
		week = append(week, part...)
	}
	e.storeKinds(start, week)
	d, err := e.svc.Digest(e.ctx, core.WeekOf(start, berlin))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDigestKindsGolden: each kind's line in the digest, in English and in German (numbers
// with a decimal comma, the date and plurals the German way).
func TestDigestKindsGolden(t *testing.T) {
	e := kindsEnv(t)
	d := kindsWeek(t, e)
	texts := coretest.Texts(t, "en", "de")
	for _, lang := range []core.Lang{"en", "de"} {
		m := d.Message(texts, lang, true)
		golden(t, "digest_kinds_"+string(lang)+".golden", m.Title+"\n"+m.Text+"\n")
	}
	// Each dimension's line starts with its key and its figure.
	lines := map[string]string{}
	for _, line := range strings.Split(d.Message(texts, "de", false).Text, "\n") {
		if f := strings.Fields(line); len(f) > 1 {
			lines[f[0]] = strings.Join(f[1:], " ")
		}
	}
	// nps: 4 promoters, 1 passive, 2 detractors of 7 = 29; csat 3 of 5 = 60 %; ces 6.
	for key, figure := range map[string]string{"nps": "+29", "csat": "60,0 %", "ces": "6,0", "reason": "delivery 2 ▲2 · staff 1 ▼1",
		"extras": "a 1 ▲1 · b 3 ▲3 · c 1 ▲1"} {
		if !strings.HasPrefix(lines[key], figure) {
			t.Errorf("the %s line is %q; want it to start with %q", key, lines[key], figure)
		}
	}
}

// TestDigestToEachOwnerInTheirLanguage: owners get the digest in their own language, /scores
// answers in the asker's.
func TestDigestToEachOwnerInTheirLanguage(t *testing.T) {
	e := kindsEnv(t)
	kindsWeek(t, e)
	set := e.set
	set.Team.Members = append(set.Team.Members, core.Member{Name: "Dana", Role: core.RoleOwner, Language: "de",
		Accounts: []core.UserRef{user("dana")}})
	msgr := &fakeMessenger{platform: core.Console}
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(t, "en", "de"), Settings: set, Store: e.db,
		Clock: e.clock, Messengers: []core.Messenger{msgr}})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(start.Add(7 * 24 * time.Hour))
	if _, err := svc.SendDigest(e.ctx, core.WeekOf(start, berlin)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.DeliverDue(e.ctx); err != nil {
		t.Fatal(err)
	}
	sam, dana := msgr.to("sam"), msgr.to("dana")
	if len(sam) == 0 || sam[0].Message.Title != "Acme Bikes · weekly digest 2026-W47" ||
		!strings.Contains(sam[0].Message.Text, "Surveys: 22 sent") {
		t.Errorf("Sam's digest: %+v", sam)
	}
	if len(dana) == 0 || dana[0].Message.Title != "Acme Bikes · Wochenbericht 2026-W47" ||
		!strings.Contains(dana[0].Message.Text, "Umfragen: 22 gesendet") || !strings.Contains(dana[0].Message.Text, "ces    6,0") {
		t.Errorf("Dana's digest: %+v", dana)
	}
	if titles := svc.DigestTitles(core.Digest{Business: "Acme Bikes", Week: "2026-W47"}); len(titles) != 2 {
		t.Errorf("titles = %q; want English and German", titles)
	}
}

// TestEveryDigestLanguageRenders: the digest reads in every shipped language, with no key
// left unrendered.
func TestEveryDigestLanguageRenders(t *testing.T) {
	e := kindsEnv(t)
	d := kindsWeek(t, e)
	langs := []core.Lang{"en", "de", "fr", "es", "it", "nl", "pt"}
	texts := coretest.Texts(t, langs...)
	for _, l := range langs {
		m := d.Message(texts, l, true)
		if strings.Contains(m.Title+m.Text, "digest_") || strings.Contains(m.Text, "<no value>") {
			t.Errorf("%s: a key or argument is not rendered:\n%s\n%s", l, m.Title, m.Text)
		}
	}
}
