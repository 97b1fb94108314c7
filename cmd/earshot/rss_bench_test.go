//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkServeIdleRSS starts `earshot serve` (HTTP API on, no platforms), lets it settle,
// and reports its resident memory (run with -benchtime 1x; Linux only).
func BenchmarkServeIdleRSS(b *testing.B) {
	bin := earshotBinary(b)
	for range b.N {
		dir := b.TempDir()
		cfg := filepath.Join(dir, "c.yaml")
		os.WriteFile(cfg, []byte(fmt.Sprintf("storage: {path: %s}\nhttp: {listen: \"127.0.0.1:0\"}\n", filepath.Join(dir, "e.db"))), 0o600)
		cmd := exec.Command(bin, "serve", "--config", cfg)
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		time.Sleep(3 * time.Second)
		rss, hwm := procMem(cmd.Process.Pid)
		cmd.Process.Kill()
		cmd.Wait()
		b.ReportMetric(rss, "rss_MB")
		b.ReportMetric(hwm, "peak_rss_MB")
	}
}

func procMem(pid int) (rss, hwm float64) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.Atoi(f[1])
		switch f[0] {
		case "VmRSS:":
			rss = float64(kb) / 1024
		case "VmHWM:":
			hwm = float64(kb) / 1024
		}
	}
	return rss, hwm
}
