package config

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Duration is a non-negative length of time written in Go syntax ("90s", "1h30m") or with
// days ("7d", "1d12h", "0.5d"). A day is always 24 hours.
type Duration time.Duration

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// String writes d with days when it is at least a day ("7d", "1d12h0m0s"), else like
// time.Duration ("90s", "0s"). ParseDuration reads it back.
func (d Duration) String() string {
	const day = 24 * time.Hour
	t := time.Duration(d)
	if t < day {
		return t.String()
	}
	days, rest := t/day, t%day
	if rest == 0 {
		return fmt.Sprintf("%dd", days)
	}
	return fmt.Sprintf("%dd%s", days, rest)
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseDuration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

var (
	errNotDuration = errors.New("is not a duration (like 90s, 24h or 7d)")
	errNegative    = errors.New("is negative: durations are 0 or more")
	errTooLong     = errors.New("is too long (at most about 290 years)")
)

// ParseDuration parses Go duration syntax plus a "d" unit of 24 hours: "0", "0s", "90s",
// "1h30m", "7d", "1d12h", "1.5d". Every number needs a unit (except a lone "0"). A sign is
// not allowed: a leading '-' is reported as negative.
func ParseDuration(s string) (time.Duration, error) {
	d, err := parseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q %w", s, err)
	}
	return d, nil
}

func parseDuration(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	if strings.HasPrefix(s, "-") {
		return 0, errNegative
	}
	if s == "" || s[0] == '+' {
		return 0, errNotDuration
	}
	var total time.Duration
	for s != "" {
		// One segment: a decimal number, then a unit made of letters.
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		j := i
		for j < len(s) && !(s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
			j++
		}
		num, unit := s[:i], s[i:j]
		s = s[j:]
		if num == "" || unit == "" {
			return 0, errNotDuration
		}
		if !units[unit] {
			return 0, errNotDuration
		}
		mult := time.Duration(1)
		if unit == "d" {
			unit, mult = "h", 24
		}
		// The number and unit are well formed, so an error here can only be an overflow.
		v, err := time.ParseDuration(num + unit)
		if err != nil || v > maxDuration/mult {
			if strings.Count(num, ".") > 1 || num == "." {
				return 0, errNotDuration
			}
			return 0, errTooLong
		}
		seg := v * mult
		if total > maxDuration-seg {
			return 0, errTooLong
		}
		total += seg
	}
	return total, nil
}

const maxDuration = time.Duration(1<<63 - 1)

// units are the units ParseDuration accepts: Go's plus "d".
var units = map[string]bool{
	"ns": true, "us": true, "\u00b5s": true, "\u03bcs": true, "ms": true,
	"s": true, "m": true, "h": true, "d": true,
}
