package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"earshot/cmd/earshot/internal/config"
	"earshot/core"
	"earshot/storage/sqlite"
)

// TestServeBinary builds the binary once, exactly as the Dockerfile does, and runs serve as
// a child process: a touchpoint posted over real HTTP reaches the outbox, SIGTERM stops it
// cleanly, and nothing it logs holds a secret.
func TestServeBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it")
	}
	bin := earshotBinary(t)
	t.Run("touchpoint reaches the outbox", func(t *testing.T) { testServeTouchpoint(t, bin) })
	t.Run("logs hold no secret", func(t *testing.T) { testLogsHoldNoSecret(t, bin) })
}

// child is a running earshot process.
type child struct {
	cmd  *exec.Cmd
	out  *syncBuffer // standard output and error
	done chan error
	base string // http://127.0.0.1:PORT
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startChild runs bin with args and env; it is killed at the end of the test if still running.
func startChild(t *testing.T, bin string, port int, env []string, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(bin, args...), out: &syncBuffer{}, done: make(chan error, 1),
		base: fmt.Sprintf("http://127.0.0.1:%d", port)}
	c.cmd.Env = append(os.Environ(), env...)
	c.cmd.Dir = t.TempDir()
	c.cmd.Stdout, c.cmd.Stderr = c.out, c.out
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.done <- c.cmd.Wait() }()
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	})
	return c
}

// waitHealthy polls /healthz until it answers 200; it fails when the process exits first.
func (c *child) waitHealthy(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-c.done:
			c.done <- err
			t.Fatalf("serve exited before it was healthy: %v\n%s", err, c.out.String())
		default:
		}
		if resp, err := http.Get(c.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("serve did not become healthy within 15 s\n%s", c.out.String())
}

// stop sends SIGTERM and waits for the exit; it returns Wait's error.
func (c *child) stop(t *testing.T) error {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
	select {
	case err := <-c.done:
		return err
	case <-time.After(20 * time.Second):
		_ = c.cmd.Process.Kill()
		t.Fatalf("serve did not stop within 20 s of SIGTERM\n%s", c.out.String())
	}
	return nil
}

func (c *child) post(t *testing.T, path, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// serveYAML is a business whose team and customers are on the console platform, with a
// survey sent at once. serve has no console messenger, so what it sends stays in the outbox.
const serveYAML = `
business: {name: Acme Bikes, timezone: UTC}
storage: {path: %q}
http: {listen: "127.0.0.1:%d", api_token: "${EARSHOT_API_TOKEN}"}
team:
  channel: console:team
  members:
    - {name: Sam, role: owner, accounts: [console:sam]}
surveys:
  - name: after-delivery
    trigger: delivery
    delay: 0s
    questions:
      - {key: courtesy, text: "How courteous were we?", type: scale, min: 1, max: 10}
throttle: 0s
`

func testServeTouchpoint(t *testing.T, bin string) {
	dir := t.TempDir()
	dbPath, cfg, port := filepath.Join(dir, "earshot.db"), filepath.Join(dir, "config.yaml"), freePort(t)
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(serveYAML, dbPath, port)), 0o600); err != nil {
		t.Fatal(err)
	}
	token := "serve-test-token"
	env := []string{"EARSHOT_API_TOKEN=" + token}
	c := startChild(t, bin, port, env, "serve", "--config", cfg)
	c.waitHealthy(t)

	code, body := c.post(t, "/api/v1/touchpoints", token, `{"customer":"console:x","stage":"delivery","ref":"A-1"}`)
	if code != http.StatusCreated || !strings.Contains(body, `"state": "scheduled"`) {
		t.Fatalf("POST /api/v1/touchpoints = %d %s", code, body)
	}

	// The due-work loop sends the survey at once: earshot export (another process on the same
	// database) sees the run sent.
	deadline := time.Now().Add(5 * time.Second)
	state := ""
	for time.Now().Before(deadline) && state != string(core.RunSent) {
		out, err := exec.Command(bin, "export", "--customer", "console:x", "--config", cfg).Output()
		if err != nil {
			t.Fatalf("earshot export: %v", err)
		}
		var x struct {
			Surveys []struct {
				State string `json:"state"`
			} `json:"surveys"`
		}
		if err := json.Unmarshal(out, &x); err != nil {
			t.Fatalf("export: %v\n%s", err, out)
		}
		if len(x.Surveys) == 1 {
			state = x.Surveys[0].State
		}
		if state != string(core.RunSent) {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if state != string(core.RunSent) {
		t.Fatalf("the survey run is %q after 5 s, want sent\n%s", state, c.out.String())
	}
	if m := get(t, c.base+"/metrics"); !strings.Contains(m, `earshot_due_work_lag_seconds_count{kind="survey_send"} 1`) {
		t.Errorf("metrics do not count the survey sent:\n%s", m)
	}

	if err := c.stop(t); err != nil {
		t.Fatalf("serve after SIGTERM: %v, want exit status 0\n%s", err, c.out.String())
	}
	if !strings.Contains(c.out.String(), "stopped") {
		t.Errorf("serve did not log its orderly stop:\n%s", c.out.String())
	}

	// The survey's intro and first question are in the outbox, addressed to the customer.
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	toCustomer := 0
	err = db.View(context.Background(), func(tx core.Tx) error {
		for id := int64(1); ; id++ {
			m, err := tx.OutboxMessage(id)
			if core.IsNotFound(err) {
				return nil
			} else if err != nil {
				return err
			}
			if m.To == (core.ChatRef{Platform: core.Console, ID: "x"}) && m.DM {
				toCustomer++
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if toCustomer == 0 {
		t.Error("the outbox holds no message to console:x")
	}
}

// TestDockerfile keeps the Dockerfile honest where no Docker engine can build it: the
// build command is the one TestServeBinary builds with, the image runs the binary as
// nonroot with the health check and the volume, and its built-in configuration is valid,
// listens on every interface and keeps the database on the volume.
func TestDockerfile(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	df := string(raw)
	// The tests' flags plus the version stamp (TestVersionStamp builds with it).
	build := "CGO_ENABLED=0 go " + strings.Join(buildFlags[:2], " ") +
		` -ldflags="-s -w -X main.version=${VERSION} -X main.revision=${REVISION}" -o /out/earshot ./cmd/earshot`
	if buildFlags[2] != "-ldflags=-s -w" {
		t.Fatalf("buildFlags changed: update this test and the Dockerfile together")
	}
	for _, want := range []string{
		"FROM golang:1.26 AS build",
		"COPY go.mod go.sum ./\nRUN go mod download\n",
		build,
		"FROM gcr.io/distroless/static-debian12:nonroot",
		"ARG VERSION=devel",
		`org.opencontainers.image.version="${VERSION}"`,
		`org.opencontainers.image.revision="${REVISION}"`,
		"COPY --from=build /out/earshot /earshot",
		"COPY --from=build --chown=65532:65532 /out/data /data",
		"USER nonroot",
		"VOLUME /data",
		"WORKDIR /data",
		"EXPOSE 8080",
		`CMD ["/earshot", "health"]`,
		`ENTRYPOINT ["/earshot"]`,
		`CMD ["serve", "--config", "/etc/earshot/config.yaml"]`,
		"ENV " + configEnv + "=/etc/earshot/config.yaml",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("the Dockerfile lacks %q", want)
		}
	}

	// The configuration written into the image by the COPY heredoc.
	_, rest, ok := strings.Cut(df, "COPY <<'EOF' /etc/earshot/config.yaml\n")
	body, _, ok2 := strings.Cut(rest, "\nEOF\n")
	if !ok || !ok2 {
		t.Fatal("the Dockerfile has no built-in configuration heredoc")
	}
	for _, env := range []map[string]string{
		{},
		{"EARSHOT_API_TOKEN": "t", "TELEGRAM_BOT_TOKEN": "1:x", "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1",
			"DISCORD_BOT_TOKEN": "d", "DISCORD_APPLICATION_ID": "123", "EARSHOT_PUBLIC_URL": "https://bot.example"},
	} {
		cfg, err := config.Parse([]byte(body), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
		if err != nil {
			t.Fatalf("the image's configuration with %v: %v", env, err)
		}
		if cfg.HTTP.Listen != "0.0.0.0:8080" || !strings.HasPrefix(cfg.Storage.Path, "/data/") {
			t.Errorf("listen %q, database %q: want 0.0.0.0:8080 and a file under /data", cfg.HTTP.Listen, cfg.Storage.Path)
		}
		if u, _ := healthURL(cfg.HTTP.Listen); u != "http://127.0.0.1:8080/healthz" {
			t.Errorf("the HEALTHCHECK would ask %q", u)
		}
	}

	// .dockerignore keeps databases and secrets out of the context but every source in.
	ign, err := os.ReadFile(filepath.Join("..", "..", ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	ignored := func(path string) bool {
		for _, p := range strings.Split(string(ign), "\n") {
			p = strings.TrimSpace(p)
			if p == "" || strings.HasPrefix(p, "#") {
				continue
			}
			if sub, ok := strings.CutPrefix(p, "**/"); ok {
				parts := strings.Split(path, "/")
				for i := range parts {
					if m, _ := filepath.Match(sub, strings.Join(parts[i:], "/")); m {
						return true
					}
				}
				continue
			}
			if m, _ := filepath.Match(strings.TrimPrefix(p, "/"), path); m {
				return true
			}
		}
		return false
	}
	for _, keep := range []string{"go.mod", "go.sum", "cmd/earshot/main.go", "cmd/earshot/demo.yaml",
		"storage/sqlite/migrations/0001_init.sql", "storage/postgres/migrations/0001_init.sql", "core/service.go"} {
		if ignored(keep) {
			t.Errorf(".dockerignore leaves out %s", keep)
		}
	}
	for _, drop := range []string{".git", "earshot.db", "data/earshot.db-wal", "earshot", ".env", "deploy/prod.env"} {
		if !ignored(drop) {
			t.Errorf(".dockerignore lets %s into the build context", drop)
		}
	}
}
