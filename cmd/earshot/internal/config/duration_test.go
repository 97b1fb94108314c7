package config

import (
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"0", 0},
		{"0s", 0},
		{"90s", 90 * time.Second},
		{"1h30m", 90 * time.Minute},
		{"7d", 7 * day},
		{"1d12h", 36 * time.Hour},
		{"12h1d", 36 * time.Hour},
		{"0.5d", 12 * time.Hour},
		{"1.5h", 90 * time.Minute},
		{"250ms", 250 * time.Millisecond},
		{"1µs", time.Microsecond},
		{"2d3h4m5s", 2*day + 3*time.Hour + 4*time.Minute + 5*time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseDurationErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "is not a duration"},
		{"abc", "is not a duration"},
		{"7", "is not a duration"},
		{"1h30", "is not a duration"},
		{"7 d", "is not a duration"},
		{"7days", "is not a duration"},
		{"d", "is not a duration"},
		{"1..5h", "is not a duration"},
		{"+5s", "is not a duration"},
		{"-5s", "is negative"},
		{"-1d", "is negative"},
		{"200000d", "is too long"},
		{"2562047h1h", "is too long"},
		{"9999999999999999999h", "is too long"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if err == nil {
				t.Fatalf("ParseDuration(%q) = %v, want an error", tt.in, got)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), `"`+tt.in+`"`) {
				t.Fatalf("ParseDuration(%q) error %q, want the input quoted and %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestDurationString(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{90 * time.Second, "1m30s"},
		{24 * time.Hour, "1d"},
		{168 * time.Hour, "7d"},
		{36 * time.Hour, "1d12h0m0s"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := Duration(tt.d).String(); got != tt.want {
				t.Fatalf("String() = %q, want %q", got, tt.want)
			}
			back, err := ParseDuration(tt.want)
			if err != nil || back != tt.d {
				t.Fatalf("ParseDuration(String()) = %v, %v; want %v", back, err, tt.d)
			}
		})
	}
}

// FuzzParseDuration checks that no input panics, results are never negative, String reads
// back to the same value, and inputs without days or signs agree with time.ParseDuration.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"0", "7d", "1d12h", "1.5h", "-5s", "90s", "1h30", "", ".5d", "1µs"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 {
			t.Fatalf("ParseDuration(%q) = %v, negative", s, d)
		}
		if back, err := ParseDuration(Duration(d).String()); err != nil || back != d {
			t.Fatalf("round trip of %q: %v -> %q -> %v, %v", s, d, Duration(d).String(), back, err)
		}
		if !strings.ContainsAny(s, "d+-") {
			if std, err := time.ParseDuration(s); err != nil || std != d {
				t.Fatalf("ParseDuration(%q) = %v but time.ParseDuration says %v, %v", s, d, std, err)
			}
		}
	})
}
