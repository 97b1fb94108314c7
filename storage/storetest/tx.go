package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"earshot/core"
)

func testViewCannotWrite(t *testing.T, db core.Store) {
	writes := map[string]func(core.Tx) error{
		"CreateContact": func(tx core.Tx) error {
			return tx.CreateContact(&core.Contact{Ref: core.UserRef{Platform: core.Slack, ID: "U1"}})
		},
		"SetState":    func(tx core.Tx) error { return tx.SetState("k", "v") },
		"ClaimOutbox": func(tx core.Tx) error { _, err := tx.ClaimOutbox(t0, "i1", 0, 1); return err },
		"MarkInbound": func(tx core.Tx) error { _, err := tx.MarkInbound(core.Slack, "e1", t0); return err },
		"Enqueue":     func(tx core.Tx) error { _, err := tx.Enqueue(core.Outgoing{}, t0); return err },
	}
	for name, fn := range writes {
		t.Run(name, func(t *testing.T) {
			if err := db.View(context.Background(), fn); err == nil {
				t.Fatal("a write in View succeeded")
			}
		})
	}
	view(t, db, func(tx core.Tx) error {
		if _, err := tx.State("k"); !core.IsNotFound(err) {
			t.Errorf("State after a write in View: %v, want ENOTFOUND", err)
		}
		if n, _, err := tx.OutboxStats(); n != 0 || err != nil {
			t.Errorf("OutboxStats after a write in View: %d, %v", n, err)
		}
		return nil
	})
}

func testUpdateRollsBackOnError(t *testing.T, db core.Store) {
	boom := errors.New("boom")
	err := db.Update(context.Background(), func(tx core.Tx) error {
		if err := tx.SetState("k", "v"); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("Update = %v, want fn's error as is", err)
	}
	view(t, db, func(tx core.Tx) error {
		_, err := tx.State("k")
		wantCode(t, err, core.ENOTFOUND)
		return nil
	})
}

func testUpdateRollsBackOnPanic(t *testing.T, db core.Store) {
	err := db.Update(context.Background(), func(tx core.Tx) error {
		_ = tx.SetState("k", "v")
		panic("boom")
	})
	if err == nil || !strings.Contains(err.Error(), "panicked: boom") {
		t.Fatalf("Update with a panicking fn = %v, want the panic as an error", err)
	}
	// The store must be usable again, and the write gone.
	update(t, db, func(tx core.Tx) error { return tx.SetState("other", "x") })
	view(t, db, func(tx core.Tx) error {
		_, err := tx.State("k")
		wantCode(t, err, core.ENOTFOUND)
		return nil
	})
}

// testConcurrentUpdatesAndViews also races read-then-write transactions on one counter: the
// store is serializable, so no increment is lost, whether the driver queues writers or
// retries the losers of a conflict.
func testConcurrentUpdatesAndViews(t *testing.T, db core.Store) {
	ctx := context.Background()
	const writers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each+4*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				err := db.Update(ctx, func(tx core.Tx) error {
					if _, err := tx.MarkInbound(core.Telegram, fmt.Sprintf("%d-%d", w, i), t0); err != nil {
						return err
					}
					n := 0
					if v, err := tx.State("counter"); err == nil {
						fmt.Sscan(v, &n)
					} else if !core.IsNotFound(err) {
						return err
					}
					return tx.SetState("counter", fmt.Sprint(n+1))
				})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	for range 4 {
		wg.Go(func() {
			for range each {
				err := db.View(ctx, func(tx core.Tx) error {
					_, _, err := tx.OutboxStats()
					if err != nil {
						return err
					}
					_, err = tx.State("counter")
					if core.IsNotFound(err) {
						err = nil
					}
					return err
				})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent transaction: %v", err)
	}
	view(t, db, func(tx core.Tx) error {
		if v, err := tx.State("counter"); err != nil || v != fmt.Sprint(writers*each) {
			t.Errorf("counter = %q, %v; want %d (an increment was lost)", v, err, writers*each)
		}
		return nil
	})
}

func testInboundDuplicate(t *testing.T, db core.Store) {
	mark := func(p core.Platform, id string) (fresh bool) {
		update(t, db, func(tx core.Tx) error {
			var err error
			fresh, err = tx.MarkInbound(p, id, t0)
			return err
		})
		return fresh
	}
	if !mark(core.Telegram, "100") {
		t.Fatal("first MarkInbound not fresh")
	}
	if mark(core.Telegram, "100") {
		t.Fatal("duplicate MarkInbound fresh")
	}
	if !mark(core.Slack, "100") {
		t.Fatal("same event id on another platform not fresh")
	}
}

func testState(t *testing.T, db core.Store) {
	update(t, db, func(tx core.Tx) error {
		if _, err := tx.State("digest"); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("unset State: %v", err)
		}
		if err := tx.SetState("digest", "2026-W46"); err != nil {
			return err
		}
		return tx.SetState("digest", "2026-W47")
	})
	view(t, db, func(tx core.Tx) error {
		if v, err := tx.State("digest"); err != nil || v != "2026-W47" {
			t.Errorf("State = %q, %v", v, err)
		}
		return nil
	})
}
