package sqlite

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// makeReadOnly makes path (a file or a directory) read-only for this process: chmod for an
// ordinary user, the immutable attribute for root (whom permissions do not stop). It skips
// the test when neither works here, and undoes itself at cleanup.
func makeReadOnly(t *testing.T, path string) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
			t.Skipf("cannot make %s read-only for root here: chattr: %v %s", path, err, out)
		}
		t.Cleanup(func() { _ = exec.Command("chattr", "-i", path).Run() })
	} else {
		if err := os.Chmod(path, st.Mode().Perm()&^0o222); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(path, st.Mode().Perm()) })
	}
	probe := path
	if st.IsDir() {
		probe = filepath.Join(path, "probe")
	}
	if f, err := os.OpenFile(probe, os.O_WRONLY|os.O_CREATE, 0o600); err == nil {
		f.Close()
		t.Skipf("%s is still writable here", path)
	}
}

func TestCheckWritable(t *testing.T) {
	for _, what := range []string{"file", "directory"} {
		t.Run(what, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "earshot.db")
			db, err := Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			if err := db.CheckWritable(context.Background()); err != nil {
				t.Fatalf("CheckWritable on a writable database: %v", err)
			}
			db.Close() // the last connection removes the -wal and -shm files
			target := path
			if what == "directory" {
				target = dir
			}
			makeReadOnly(t, target)
			if err := Writable(path); err == nil || !strings.Contains(err.Error(), "cannot be written") {
				t.Errorf("Writable on a read-only %s = %v; want a refusal that says why", what, err)
			}
			if what == "directory" {
				return // SQLite cannot even open it: Writable, before Open, says why
			}
			db, err = Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			err = db.CheckWritable(context.Background())
			if err == nil || !strings.Contains(err.Error(), "cannot be written") {
				t.Fatalf("CheckWritable on a read-only %s = %v; want a refusal that says why", what, err)
			}
			t.Log(err)
		})
	}
}
