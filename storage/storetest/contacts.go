package storetest

import (
	"testing"
	"time"

	"earshot/core"
)

func testContactRoundTrip(t *testing.T, db core.Store) {
	full := core.Contact{
		Ref: core.UserRef{Platform: core.Discord, ID: "80351110224678912"}, Name: "Dana", Locale: "de-DE",
		Language: "de", TimeZone: "Europe/Berlin", SeenAt: t0.Add(time.Hour), CreatedAt: t0, OptedOutAt: t0.Add(2 * time.Hour),
		Unreachable: "bot was blocked", Pending: core.PendingLowScore, PendingText: "it broke",
		PendingRun: 0, PendingAt: t0.Add(3 * time.Hour),
	}
	zero := core.Contact{Ref: core.UserRef{Platform: core.Slack, ID: "U012AB3CD"}}
	for name, c := range map[string]core.Contact{"full": full, "zero times": zero} {
		t.Run(name, func(t *testing.T) {
			update(t, db, func(tx core.Tx) error { return tx.CreateContact(&c) })
			if c.ID == 0 {
				t.Fatal("CreateContact did not set the ID")
			}
			view(t, db, func(tx core.Tx) error {
				got, err := tx.Contact(c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got != c {
					t.Errorf("Contact = %+v\nwant       %+v", got, c)
				}
				for _, tm := range []time.Time{got.SeenAt, got.CreatedAt, got.OptedOutAt, got.ErasedAt, got.PendingAt} {
					if !tm.IsZero() && tm.Location() != time.UTC {
						t.Errorf("time %v not UTC", tm)
					}
				}
				byRef, err := tx.ContactByRef(c.Ref)
				if err != nil || byRef != c {
					t.Errorf("ContactByRef = %+v, %v", byRef, err)
				}
				return nil
			})
		})
	}
	if !zero.SeenAt.IsZero() {
		t.Fatal("test setup")
	}
}

func testContactErrors(t *testing.T, db core.Store) {
	c := addContact(t, db, "1")
	other := addContact(t, db, "2")
	update(t, db, func(tx core.Tx) error {
		_, err := tx.Contact(999)
		wantCode(t, err, core.ENOTFOUND)
		_, err = tx.ContactByRef(core.UserRef{Platform: core.Telegram, ID: "nobody"})
		wantCode(t, err, core.ENOTFOUND)
		dup := core.Contact{Ref: c.Ref}
		wantCode(t, tx.CreateContact(&dup), core.ECONFLICT)
		wantCode(t, tx.UpdateContact(core.Contact{ID: 999, Ref: core.UserRef{Platform: core.Slack, ID: "x"}}), core.ENOTFOUND)
		other.Ref = c.Ref
		wantCode(t, tx.UpdateContact(other), core.ECONFLICT)
		wantCode(t, tx.EraseContact(999, t0), core.ENOTFOUND)
		return nil
	})
}

func testUpdateContact(t *testing.T, db core.Store) {
	c := addContact(t, db, "1")
	c.Name, c.SeenAt, c.Pending, c.PendingRun = "Lee", t0.Add(time.Minute), core.PendingLowScore, 7
	c.CreatedAt = time.Time{}
	update(t, db, func(tx core.Tx) error { return tx.UpdateContact(c) })
	view(t, db, func(tx core.Tx) error {
		got, err := tx.Contact(c.ID)
		if err != nil || got != c {
			t.Errorf("after UpdateContact: %+v, %v\nwant %+v", got, err, c)
		}
		return nil
	})
}

func testUpdateContactRef(t *testing.T, db core.Store) {
	c := addContact(t, db, "1")
	old := c.Ref
	c.Ref = core.UserRef{Platform: core.Telegram, ID: "-1001234"}
	c.Name = "moved"
	update(t, db, func(tx core.Tx) error { return tx.UpdateContact(c) })
	view(t, db, func(tx core.Tx) error {
		if got, err := tx.ContactByRef(c.Ref); err != nil || got != c {
			t.Errorf("ContactByRef(new) = %+v, %v", got, err)
		}
		_, err := tx.ContactByRef(old)
		wantCode(t, err, core.ENOTFOUND)
		return nil
	})
}

func testInvites(t *testing.T, db core.Store) {
	c := addContact(t, db, "1")
	inv := core.Invite{Token: "tok1", Stage: "purchase", Ref: "A-17", Name: "Dana", CreatedAt: t0, Uses: core.InviteOnce}
	update(t, db, func(tx core.Tx) error {
		if err := tx.CreateInvite(inv); err != nil {
			return err
		}
		wantCode(t, tx.CreateInvite(inv), core.ECONFLICT)
		_, err := tx.Invite("nope")
		wantCode(t, err, core.ENOTFOUND)
		wantCode(t, tx.UseInvite("nope", c.ID, t0), core.ENOTFOUND)
		got, err := tx.Invite("tok1")
		if err != nil || got != inv {
			t.Errorf("Invite = %+v, %v", got, err)
		}
		return tx.UseInvite("tok1", c.ID, t0.Add(time.Hour))
	})
	view(t, db, func(tx core.Tx) error {
		got, err := tx.Invite("tok1")
		want := inv
		want.UsedAt, want.UsedBy, want.Opens = t0.Add(time.Hour), c.ID, 1
		if err != nil || got != want {
			t.Errorf("used Invite = %+v, %v\nwant %+v", got, err, want)
		}
		return nil
	})
}

// testContactLanguage: the language a customer chose is kept, changed, forgotten, left
// alone by a save of the other fields that carries it, and not set on an erased contact.
func testContactLanguage(t *testing.T, db core.Store) {
	c := addContact(t, db, "1")
	other := addContact(t, db, "2")
	lang := func(id int64) core.Lang {
		t.Helper()
		var got core.Lang
		view(t, db, func(tx core.Tx) error {
			ct, err := tx.Contact(id)
			if err != nil {
				t.Fatal(err)
			}
			got = ct.Language
			return nil
		})
		return got
	}
	if got := lang(c.ID); got != "" {
		t.Fatalf("new contact's language = %q, want none", got)
	}
	update(t, db, func(tx core.Tx) error { return tx.SetContactLanguage(c.ID, "de") })
	if got := lang(c.ID); got != "de" {
		t.Errorf("after SetContactLanguage(de): %q", got)
	}
	if got := lang(other.ID); got != "" {
		t.Errorf("another contact's language = %q, want none", got)
	}
	update(t, db, func(tx core.Tx) error {
		ct, err := tx.Contact(c.ID)
		if err != nil {
			return err
		}
		ct.Name = "Lee" // a save read after the choice keeps it
		return tx.UpdateContact(ct)
	})
	if got := lang(c.ID); got != "de" {
		t.Errorf("after UpdateContact of a fresh copy: %q, want de", got)
	}
	update(t, db, func(tx core.Tx) error { return tx.SetContactLanguage(c.ID, "pt") })
	if got := lang(c.ID); got != "pt" {
		t.Errorf("after SetContactLanguage(pt): %q", got)
	}
	update(t, db, func(tx core.Tx) error { return tx.SetContactLanguage(c.ID, "") })
	if got := lang(c.ID); got != "" {
		t.Errorf("after SetContactLanguage(\"\"): %q", got)
	}
	update(t, db, func(tx core.Tx) error {
		wantCode(t, tx.SetContactLanguage(999, "de"), core.ENOTFOUND)
		if err := tx.SetContactLanguage(other.ID, "fr"); err != nil {
			return err
		}
		return tx.EraseContact(other.ID, t0.Add(time.Hour))
	})
	if got := lang(other.ID); got != "" {
		t.Errorf("erased contact's language = %q, want none", got)
	}
	update(t, db, func(tx core.Tx) error {
		wantCode(t, tx.SetContactLanguage(other.ID, "de"), core.ENOTFOUND)
		return nil
	})
}
