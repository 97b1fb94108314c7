package config

import (
	"testing"

	"earshot/core"
)

func TestDeliveryPaceOverridesDefaults(t *testing.T) {
	c, err := Parse([]byte("telegram: {token: x}\ndelivery: {telegram: {rate: 10, burst: 5}}\n"),
		func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Settings()
	if err != nil {
		t.Fatal(err)
	}
	got := s.Platforms[core.Telegram].Pace
	want := core.DefaultPace(core.Telegram)
	want.Rate, want.Burst = 10, 5
	if got != want {
		t.Fatalf("pace = %+v; want %+v", got, want)
	}
}
