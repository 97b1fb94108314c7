package storetest

import (
	"testing"
	"time"

	"earshot/core"
)

func testCustomerLinks(t *testing.T, db core.Store) {
	a, b := addContact(t, db, "1"), addContact(t, db, "2")
	shop, other := core.ExternalRef{Namespace: "shop", ID: "4711"}, core.ExternalRef{Namespace: "shop", ID: "9"}
	crm := core.ExternalRef{Namespace: "crm", ID: "x@y.example"}
	update(t, db, func(tx core.Tx) error {
		for _, l := range []core.Link{{Customer: shop, ContactID: a.ID, LinkedAt: t0},
			{Customer: shop, ContactID: b.ID, LinkedAt: t0.Add(time.Minute)}, {Customer: crm, ContactID: a.ID, LinkedAt: t0}} {
			if err := tx.LinkCustomer(l.Customer, l.ContactID, l.LinkedAt); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, db, func(tx core.Tx) error {
		links, err := tx.Links(shop)
		if err != nil || len(links) != 2 || links[0].ContactID != a.ID || links[1].ContactID != b.ID ||
			!links[1].LinkedAt.Equal(t0.Add(time.Minute)) {
			t.Errorf("Links(shop:4711) = %+v, %v; want a then b", links, err)
		}
		mine, err := tx.ContactLinks(a.ID)
		if err != nil || len(mine) != 2 || mine[0].Customer != crm || mine[1].Customer != shop {
			t.Errorf("ContactLinks(a) = %+v, %v; want crm and shop", mine, err)
		}
		return nil
	})
	// One id per namespace per account: a links to shop:9 instead of shop:4711.
	update(t, db, func(tx core.Tx) error { return tx.LinkCustomer(other, a.ID, t0.Add(time.Hour)) })
	view(t, db, func(tx core.Tx) error {
		if links, _ := tx.Links(shop); len(links) != 1 || links[0].ContactID != b.ID {
			t.Errorf("after relinking a, Links(shop:4711) = %+v; want only b", links)
		}
		if links, _ := tx.Links(other); len(links) != 1 || links[0].ContactID != a.ID {
			t.Errorf("Links(shop:9) = %+v; want a", links)
		}
		return nil
	})
	// Erasing a contact removes its links.
	update(t, db, func(tx core.Tx) error { return tx.EraseContact(a.ID, t0) })
	view(t, db, func(tx core.Tx) error {
		if links, _ := tx.ContactLinks(a.ID); len(links) != 0 {
			t.Errorf("erased contact keeps links %+v", links)
		}
		return nil
	})
	update(t, db, func(tx core.Tx) error { return tx.UnlinkContact(b.ID) })
	view(t, db, func(tx core.Tx) error {
		if links, _ := tx.Links(shop); len(links) != 0 {
			t.Errorf("after UnlinkContact, Links = %+v", links)
		}
		return nil
	})
}

func testWaitingTouches(t *testing.T, db core.Store) {
	shop := core.ExternalRef{Namespace: "shop", ID: "4711"}
	w := core.WaitingTouch{Customer: shop, Stage: "delivery", Ref: "A-1", OccurredAt: t0, CreatedAt: t0,
		Key: "k1", Until: t0.Add(48 * time.Hour), State: core.WaitWaiting}
	update(t, db, func(tx core.Tx) error {
		created, err := tx.AddWaitingTouch(&w)
		if err != nil || !created || w.ID == 0 {
			t.Fatalf("AddWaitingTouch = %v, %v (id %d)", created, err, w.ID)
		}
		again := core.WaitingTouch{Customer: shop, Stage: "other", OccurredAt: t0, CreatedAt: t0, Key: "k1", State: core.WaitWaiting}
		if created, err := tx.AddWaitingTouch(&again); err != nil || created || again != w {
			t.Errorf("same key: %v, %v, %+v; want the first one %+v", created, err, again, w)
		}
		noKey := core.WaitingTouch{Customer: shop, Stage: "visit", OccurredAt: t0, CreatedAt: t0, State: core.WaitSkipped, Reason: "not reachable yet"}
		if _, err := tx.AddWaitingTouch(&noKey); err != nil {
			return err
		}
		_, err = tx.WaitingTouch(999)
		wantCode(t, err, core.ENOTFOUND)
		wantCode(t, tx.UpdateWaitingTouch(core.WaitingTouch{ID: 999}), core.ENOTFOUND)
		return nil
	})
	view(t, db, func(tx core.Tx) error {
		got, err := tx.WaitingTouch(w.ID)
		if err != nil || got != w {
			t.Errorf("WaitingTouch = %+v, %v\nwant %+v", got, err, w)
		}
		all, _ := tx.WaitingTouches(shop, "")
		waiting, _ := tx.WaitingTouches(shop, core.WaitWaiting)
		if len(all) != 2 || len(waiting) != 1 || waiting[0].ID != w.ID {
			t.Errorf("WaitingTouches: all %d, waiting %+v", len(all), waiting)
		}
		return nil
	})
	update(t, db, func(tx core.Tx) error {
		w.State, w.Reason = core.WaitSkipped, "not reachable yet"
		return tx.UpdateWaitingTouch(w)
	})
	// A waiting touch that became a contact's touchpoint goes when that contact is erased:
	// it would tie the business's id to the erased contact's scores.
	a := addContact(t, db, "1")
	update(t, db, func(tx core.Tx) error {
		tp := core.Touchpoint{ContactID: a.ID, Stage: "delivery", OccurredAt: t0, CreatedAt: t0}
		if _, err := tx.CreateTouchpoint(&tp); err != nil {
			return err
		}
		w.State, w.TouchpointID = core.WaitLinked, tp.ID
		if err := tx.UpdateWaitingTouch(w); err != nil {
			return err
		}
		return tx.EraseContact(a.ID, t0)
	})
	view(t, db, func(tx core.Tx) error {
		if _, err := tx.WaitingTouch(w.ID); !core.IsNotFound(err) {
			t.Errorf("the linked waiting touch outlived its contact's erase: %v", err)
		}
		return nil
	})
	update(t, db, func(tx core.Tx) error { return tx.DeleteWaitingTouches(shop) })
	view(t, db, func(tx core.Tx) error {
		if all, _ := tx.WaitingTouches(shop, ""); len(all) != 0 {
			t.Errorf("after delete: %+v", all)
		}
		return nil
	})
}

func testReusableInvite(t *testing.T, db core.Store) {
	a, b := addContact(t, db, "1"), addContact(t, db, "2")
	inv := core.Invite{Token: "poster", Stage: "visit", CreatedAt: t0, Uses: core.InviteMany, ExpiresAt: t0.Add(24 * time.Hour)}
	single := core.Invite{Token: "receipt", CreatedAt: t0, Uses: core.InviteOnce, Customer: core.ExternalRef{Namespace: "shop", ID: "4711"}}
	update(t, db, func(tx core.Tx) error {
		for _, i := range []core.Invite{inv, single} {
			if err := tx.CreateInvite(i); err != nil {
				return err
			}
		}
		for _, c := range []int64{a.ID, b.ID, a.ID} {
			if err := tx.UseInvite("poster", c, t0.Add(time.Hour)); err != nil {
				return err
			}
		}
		return tx.UseInvite("receipt", b.ID, t0)
	})
	update(t, db, func(tx core.Tx) error { return tx.EraseContact(b.ID, t0) })
	view(t, db, func(tx core.Tx) error {
		got, err := tx.Invite("poster")
		if err != nil || got.Opens != 3 || got.UsedBy != 0 || !got.ExpiresAt.Equal(inv.ExpiresAt) || got.Uses != core.InviteMany {
			t.Errorf("poster = %+v, %v; want 3 openings, no used_by, the expiry", got, err)
		}
		got, err = tx.Invite("receipt")
		if err != nil || got.UsedBy != b.ID || !got.Customer.IsZero() {
			t.Errorf("receipt after erasing its opener = %+v, %v; want no customer id", got, err)
		}
		return nil
	})
}
