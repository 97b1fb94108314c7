package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is stamped at build time: go build -ldflags="-X main.version=1.4.0". Without a
// stamp, versionInfo falls back to what the Go toolchain recorded (module version, VCS
// revision), so a `go build` from a checkout still says which commit it is.
var version = ""

// revision is the commit, stamped where the toolchain cannot see the repository (the
// Docker build context has no .git): -ldflags="-X main.revision=abc123".
var revision = ""

// buildInfo is what `earshot version` prints and earshot_build_info carries.
type buildInfo struct {
	Version   string // the stamped version, else the module's, else "devel"
	Revision  string // VCS commit, "" when unknown; "+dirty" when the tree had changes
	GoVersion string
}

// versionInfo returns the stamped version with the toolchain's build information.
func versionInfo() (b buildInfo) {
	b = buildInfo{Version: version, GoVersion: runtime.Version()}
	defer func() {
		if revision != "" {
			b.Revision = revision
		}
	}()
	info, ok := debug.ReadBuildInfo()
	if !ok {
		if b.Version == "" {
			b.Version = "devel"
		}
		return b
	}
	if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		b.Version = info.Main.Version
	}
	if b.Version == "" {
		b.Version = "devel"
	}
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(b.Revision) > 12 {
		b.Revision = b.Revision[:12]
	}
	if dirty && b.Revision != "" {
		b.Revision += "+dirty"
	}
	return b
}

func (b buildInfo) String() string {
	s := "earshot " + b.Version
	if b.Revision != "" {
		s += " (" + b.Revision + ")"
	}
	return s + " " + b.GoVersion
}

func cmdVersion(_ context.Context, e *env, args []string) error {
	fs, _ := flags("version", e)
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, versionInfo())
	return nil
}
