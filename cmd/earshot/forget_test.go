package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/core"
	"earshot/storage/sqlite"
)

// chatMessenger delivers to "Telegram" and answers with Telegram-like sent ids
// ("chat/message"), which name the chat.
type chatMessenger struct {
	mu   sync.Mutex
	sent []core.Delivery
}

func (m *chatMessenger) Platform() core.Platform { return core.Telegram }

func (m *chatMessenger) Deliver(_ context.Context, d core.Delivery) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, d)
	return fmt.Sprintf("%s/%d", d.To.ID, len(m.sent)), nil
}

// said returns the first delivery to chat whose text contains s.
func (m *chatMessenger) said(chat, s string) (core.Delivery, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, d := range m.sent {
		if d.To.ID == chat && strings.Contains(d.Message.Text, s) {
			return d, true
		}
	}
	return core.Delivery{}, false
}

// Ottoline's words and ids: none may survive her erasure.
const (
	ottoID    = "4242002"
	ottoName  = "Ottoline"
	ottoWords = "the quokka-shaped bell arrived cracked"
)

// talk plays a customer's conversation with the bot on Telegram and delivers every reply,
// then holds the service for more.
func talk(t *testing.T, cfg string) (*app, *chatMessenger) {
	t.Helper()
	msgr := &chatMessenger{}
	a, err := openApp(context.Background(), cfg, os.Stderr, msgr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	talkWith(t, a, msgr)
	return a, msgr
}

// talkWith plays the conversation on an opened app.
func talkWith(t *testing.T, a *app, msgr *chatMessenger) {
	t.Helper()
	for _, in := range []core.Incoming{
		{EventID: "1", Text: "/start"},
		{EventID: "2", Text: "/complain " + ottoWords},
		{EventID: "3", Text: "/status"},
		{EventID: "action:" + ottoID + ":1.5", Text: "/help"}, // an event id that names her
	} {
		handle(t, a, in)
	}
	deliver(t, a)
	if _, ok := msgr.said(ottoID, ottoName); !ok {
		t.Fatalf("the bot never greeted %s by name: the test proves nothing; sent %+v", ottoName, msgr.sent)
	}
	raw := dbBytes(t, a.cfg.Storage.Path)
	for _, w := range []string{ottoName, ottoID, ottoWords} {
		if !bytes.Contains(raw, []byte(w)) {
			t.Fatalf("the database never held %q: the test proves nothing", w)
		}
	}
}

func handle(t *testing.T, a *app, in core.Incoming) core.Response {
	t.Helper()
	who := core.UserRef{Platform: core.Telegram, ID: ottoID}
	in.Platform, in.From, in.Chat, in.Direct, in.Name = core.Telegram, who, core.ChatRef(who), true, ottoName
	resp, err := a.svc.Handle(context.Background(), in)
	if err != nil {
		t.Fatalf("handle %q: %v", in.Text, err)
	}
	return resp
}

func deliver(t *testing.T, a *app) {
	t.Helper()
	for range 20 {
		n, err := a.svc.DeliverDue(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// wantNoTrace fails for each of Ottoline's words still in the database's files.
func wantNoTrace(t *testing.T, path, when string) {
	t.Helper()
	raw := dbBytes(t, path)
	for _, w := range []string{ottoName, ottoID, ottoWords, "quokka"} {
		if i := bytes.Index(raw, []byte(w)); i >= 0 {
			t.Errorf("%s: the database files still hold %q: …%q…", when, w, raw[max(0, i-60):min(len(raw), i+60)])
		}
	}
}

// holdReader keeps a read transaction open on its own connection, as a backup or a long
// report in another process would, until release.
func holdReader(t *testing.T, path string) (release func()) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	started, done := make(chan struct{}), make(chan struct{})
	go func() {
		_ = db.View(context.Background(), func(tx core.Tx) error {
			_, _ = tx.Complaints(core.ComplaintFilter{})
			close(started)
			<-done
			return nil
		})
	}()
	<-started
	var once sync.Once
	release = func() { once.Do(func() { close(done); db.Close() }) }
	t.Cleanup(release)
	return release
}

func privacyConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	return writeConfigIn(t, dir, testYAML+fmt.Sprintf("storage: {path: %q}\n", filepath.Join(dir, "earshot.db")))
}

func writeConfigIn(t *testing.T, dir, body string) string {
	t.Helper()
	p := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestEraseCommandWaitsForAReader erases while a reader holds old pages: erase retries the
// compaction until the reader ends, and then nothing of hers is left, not the greeting, the
// /status reply, their sent ids nor the event id naming her.
func TestEraseCommandWaitsForAReader(t *testing.T) {
	cfg := privacyConfig(t)
	a, _ := talk(t, cfg)
	release := holdReader(t, a.cfg.Storage.Path)
	go func() {
		time.Sleep(300 * time.Millisecond) // erase must retry meanwhile
		release()
	}()
	out := cli(t, "erase", "--customer", "telegram:"+ottoID, "--wait", "1m", "--config", cfg)
	if !strings.Contains(out, "erased telegram:"+ottoID) {
		t.Errorf("erase said %q", out)
	}
	wantNoTrace(t, a.cfg.Storage.Path, "after erase")
}

// TestEraseCommandGivesUpAndServeFinishes holds the reader longer than erase waits: erase
// exits non-zero saying so, and serve's compaction loop finishes the job once it can.
func TestEraseCommandGivesUpAndServeFinishes(t *testing.T) {
	cfg := privacyConfig(t)
	a, _ := talk(t, cfg)
	path := a.cfg.Storage.Path
	release := holdReader(t, path)
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"erase", "--customer", "telegram:" + ottoID, "--wait", "500ms", "--config", cfg},
		strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "old copies remain") {
		t.Fatalf("erase with a reader held past --wait = %v (printed %q); want a failure that says so", err, out.String())
	}
	if !bytes.Contains(dbBytes(t, path), []byte(ottoWords)) {
		t.Fatal("her words are gone although the reader kept the old pages: the check below proves nothing")
	}
	release()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); a.db.(*sqlite.DB).KeepCompacted(ctx, 20*time.Millisecond, nil) }()
	waitUntil(t, 10*time.Second, "the owed compaction", func() bool {
		owed, err := a.db.(*sqlite.DB).CompactionOwed(context.Background())
		return err == nil && !owed
	})
	stop()
	<-done
	wantNoTrace(t, path, "after serve's compaction")
}

// TestForgetLeavesNoTrace: a confirmed /forget, with a reader held during the erase. The
// confirmation still reaches her, then loses her address too.
func TestForgetLeavesNoTrace(t *testing.T) {
	cfg := privacyConfig(t)
	a, msgr := talk(t, cfg)
	path := a.cfg.Storage.Path
	handle(t, a, core.Incoming{EventID: "10", Text: "/forget"})
	deliver(t, a)
	ask, ok := msgr.said(ottoID, "Erase your data?")
	if !ok || len(ask.Message.Choices) == 0 {
		t.Fatalf("no /forget confirmation with buttons: %+v", msgr.sent)
	}
	release := holdReader(t, path)
	resp := handle(t, a, core.Incoming{EventID: "11", Action: ask.Message.Choices[0].Payload})
	if resp.Notice != "Erased" {
		t.Fatalf("pressing %q answered %+v", ask.Message.Choices[0].Label, resp)
	}
	deliver(t, a)
	if _, ok := msgr.said(ottoID, "Done: we erased your data"); !ok {
		t.Fatal("the confirmation of the erase did not reach her")
	}
	release()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); a.db.(*sqlite.DB).KeepCompacted(ctx, 20*time.Millisecond, nil) }()
	waitUntil(t, 10*time.Second, "the owed compaction", func() bool {
		owed, err := a.db.(*sqlite.DB).CompactionOwed(context.Background())
		return err == nil && !owed
	})
	stop()
	<-done
	wantNoTrace(t, path, "after /forget")
}

// makeReadOnly makes path read-only for this process (chmod, or the immutable attribute
// for root) and skips the test when that cannot be done here.
func makeReadOnly(t *testing.T, path string) {
	t.Helper()
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
			t.Skipf("cannot make %s read-only for root here: chattr: %v %s", path, err, out)
		}
		t.Cleanup(func() { _ = exec.Command("chattr", "-i", path).Run() })
	} else {
		if err := os.Chmod(path, 0o444); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(path, 0o644) })
	}
	if f, err := os.OpenFile(path, os.O_WRONLY, 0); err == nil {
		f.Close()
		t.Skipf("%s is still writable here", path)
	}
}

// TestServeRefusesAReadOnlyDatabase: serve and writing commands refuse to start, saying
// why, instead of answering "ok" and losing every event.
func TestServeRefusesAReadOnlyDatabase(t *testing.T) {
	cfg := privacyConfig(t)
	// As if serve had run before: what its start writes is written already, so only a
	// check can tell that the file no longer takes writes.
	a, err := openApp(context.Background(), cfg, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.svc.CatchUpDigests(context.Background(), digestSchedule(a.cfg)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.svc.ApplyStandardClock(context.Background()); err != nil {
		t.Fatal(err)
	}
	a.Close()
	makeReadOnly(t, a.cfg.Storage.Path)
	for _, args := range [][]string{{"serve"}, {"touch", "--customer", "telegram:1", "--stage", "delivery"}} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // before the fix serve ran until then
		var out, errOut bytes.Buffer
		err := run(ctx, append(args, "--config", cfg), strings.NewReader(""), &out, &errOut)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "cannot be written") {
			t.Errorf("%s on a read-only database = %v; want a refusal that says why\n%s", args[0], err, errOut.String())
		}
	}
}

// TestRetentionLeavesNoTrace: retention.customers erases a customer gone quiet, in the daily
// retention job, with a reader held open meanwhile; the compaction it owes is finished once
// the reader lets go, and nothing of hers is left.
func TestRetentionLeavesNoTrace(t *testing.T) {
	dir := t.TempDir()
	path := writeConfigIn(t, dir, testYAML+fmt.Sprintf("storage: {path: %q}\nretention: {customers: 30d}\n",
		filepath.Join(dir, "earshot.db")))
	ctx := context.Background()
	cfg, err := loadConfig(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	clock := core.NewManualClock(time.Now())
	msgr := &chatMessenger{}
	a, err := openWith(ctx, cfg, wiring{db: cfg.Storage.Path, logOut: os.Stderr, clock: clock,
		messengers: []core.Messenger{msgr}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	talkWith(t, a, msgr)

	clock.Advance(40 * 24 * time.Hour)
	release := holdReader(t, cfg.Storage.Path)
	runCtx, stopRun := context.WithCancel(ctx)
	ran := make(chan struct{})
	go func() { defer close(ran); _ = a.svc.Run(runCtx) }() // its start queues the retention job
	waitUntil(t, 20*time.Second, "the retention job's erase", func() bool {
		_, err := a.svc.Export(ctx, core.UserRef{Platform: core.Telegram, ID: ottoID})
		return core.IsNotFound(err)
	})
	stopRun()
	<-ran
	if !bytes.Contains(dbBytes(t, cfg.Storage.Path), []byte(ottoWords)) {
		t.Fatal("her words are gone although the reader kept the old pages: the check below proves nothing")
	}
	release()
	kctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); a.db.(*sqlite.DB).KeepCompacted(kctx, 20*time.Millisecond, nil) }()
	waitUntil(t, 10*time.Second, "the owed compaction", func() bool {
		owed, err := a.db.(*sqlite.DB).CompactionOwed(ctx)
		return err == nil && !owed
	})
	stop()
	<-done
	wantNoTrace(t, cfg.Storage.Path, "after the retention job")
}
