package telegram

import (
	"context"
	"log/slog"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"earshot/bots/telegram/faketelegram"
	"earshot/core"
	"earshot/core/coretest"
	"earshot/storage/sqlite"
)

// The database takes no writes for far longer than the old poison bound (10 attempts), while
// customers keep writing. Nothing is confirmed to Telegram meanwhile and polling stops; when
// writes go through again every message is stored: no complaint is lost.
func TestOutageLosesNothing(t *testing.T) {
	h := newHarness(t)
	h.fake.AddGroup(team, "Acme team")
	ctx, cancel := context.WithCancel(context.Background())
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "earshot.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	store := coretest.NewFailingStore(db)
	l := &lazy{}
	b := h.bot(t, coretest.Probing{Handler: l, Store: store}, func(o *Options) { o.TeamChat = chatRef(team) })
	const oldBound = 10
	b.tune(time.Millisecond, oldBound)
	svc, err := core.NewService(core.Options{Texts: coretest.Texts(t), Settings: e2eSettings(), Store: store, Messengers: []core.Messenger{b},
		Logger: slog.New(slog.NewTextHandler(h.logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	l.h = svc
	done := make(chan struct{})
	go func() { defer close(done); _ = svc.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; _ = db.Close() })
	run(t, b)

	customers := []faketelegram.User{dana, {ID: 51, FirstName: "Ola"}, {ID: 52, FirstName: "Pia"}}
	for _, c := range customers {
		h.fake.StartUser(c)
	}
	first := h.fake.Send(faketelegram.Post{From: dana, Text: "/start"})
	if err := h.fake.WaitConfirmed(first, wait); err != nil {
		t.Fatal(err)
	}

	store.SetFailing(true)
	var ids []int64
	for _, c := range customers {
		ids = append(ids, h.fake.Send(faketelegram.Post{From: c, Text: "/complain my wheel arrived bent, " + c.FirstName}))
	}
	// Far more failed writes than the old bound would have allowed before skipping.
	coretest.WaitFor(t, "the outage to outlast the old bound", func() bool { return store.Refused() > 3*oldBound })
	if got := h.fake.Confirmed(); got > ids[0] {
		t.Fatalf("Telegram was told update %d was handled during the outage", got-1)
	}
	polls := len(h.fake.Calls("getUpdates"))
	coretest.WaitFor(t, "more failed writes", func() bool { return store.Refused() > 4*oldBound })
	if n := len(h.fake.Calls("getUpdates")); n != polls {
		t.Errorf("%d getUpdates calls during the outage: polling should have stopped", n-polls)
	}

	store.SetFailing(false)
	for _, id := range ids {
		if err := h.fake.WaitConfirmed(id, wait); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range customers {
		var list []core.Complaint
		err := db.View(ctx, func(tx core.Tx) error {
			ct, err := tx.ContactByRef(core.UserRef{Platform: core.Telegram, ID: strconv.FormatInt(c.ID, 10)})
			if err != nil {
				return err
			}
			list, err = tx.Complaints(core.ComplaintFilter{ContactID: ct.ID})
			return err
		})
		if err != nil || len(list) != 1 {
			t.Errorf("%s: %d complaints stored (%v), want 1", c.FirstName, len(list), err)
		}
	}
	if _, err := h.fake.WaitBotText(52, wait, "received"); err != nil {
		t.Errorf("the last customer was not answered: %v", err)
	}
}
