package config

import (
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
)

// SlogLevel returns log.level as a slog.Level (info for anything unknown).
func (l Log) SlogLevel() slog.Level {
	switch l.Level {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// NewLogger returns a logger writing to w in log.format at log.level that masks every
// secret of c (see Secrets) wherever it appears: message, string attributes, errors. It is
// a safety net; code should still never log a token.
func (c *Config) NewLogger(w io.Writer) *slog.Logger {
	var pairs []string
	secrets := c.Secrets()
	// Longest first, so a secret that contains another is masked whole.
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	for _, s := range secrets {
		pairs = append(pairs, s, Redacted)
	}
	mask := strings.NewReplacer(pairs...)
	opts := &slog.HandlerOptions{Level: c.Log.SlogLevel()}
	if len(pairs) > 0 {
		opts.ReplaceAttr = func(_ []string, a slog.Attr) slog.Attr {
			switch a.Value.Kind() {
			case slog.KindString:
				if s := a.Value.String(); mask.Replace(s) != s {
					a.Value = slog.StringValue(mask.Replace(s))
				}
			case slog.KindAny:
				if s := fmt.Sprint(a.Value.Any()); mask.Replace(s) != s {
					a.Value = slog.StringValue(mask.Replace(s))
				}
			}
			return a
		}
	}
	if c.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
