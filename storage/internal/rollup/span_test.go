package rollup

import (
	"math/rand/v2"
	"testing"
	"time"
)

// The parts of a split tile the range in order, each whole part on its unit's boundaries,
// for ranges of every length in whole-hour and half-hour zones, empty ones and before 1970.
func TestSplitTilesTheRange(t *testing.T) {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	week := func(loc *time.Location) (time.Time, time.Time) {
		from := time.Date(2026, 11, 16, 0, 0, 0, 0, loc)
		return from, from.AddDate(0, 0, 7)
	}
	type r struct{ from, to time.Time }
	bf, bt := week(berlin)
	kf, kt := week(kolkata)
	at := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
	cases := []r{{bf, bt}, {kf, kt}, {at, at}, {at, at.Add(time.Hour)}, {at, at.Add(24 * time.Hour)},
		{at.Add(time.Minute), at.Add(59 * time.Minute)}, {time.UnixMilli(-5*DayMS - 1), time.UnixMilli(-DayMS + 1)}}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		from := at.Add(time.Duration(rng.Int64N(int64(60*24*time.Hour))) - 30*24*time.Hour).Truncate(time.Millisecond)
		cases = append(cases, r{from, from.Add(time.Duration(rng.Int64N(int64(10 * 24 * time.Hour)))).Truncate(time.Millisecond)})
	}
	for _, c := range cases {
		s := Split(c.from, c.to)
		// From ≤ HF ≤ DF ≤ DE ≤ HE ≤ To: [From,HF) [HF,DF) [DF,DE) [DE,HE) [HE,To) tile it.
		bounds := []int64{s.From, s.HF, s.DF, s.DE, s.HE, s.To}
		for i := 1; i < len(bounds); i++ {
			if bounds[i] < bounds[i-1] {
				t.Fatalf("Split(%v, %v) = %+v: bounds out of order", c.from, c.to, s)
			}
		}
		if s.From != c.from.UnixMilli() || s.To != c.to.UnixMilli() {
			t.Fatalf("Split(%v, %v) = %+v: not the range", c.from, c.to, s)
		}
		if s.HF < s.HE && (Floor(s.HF, HourMS) != s.HF || Floor(s.HE, HourMS) != s.HE || s.HF-s.From >= HourMS || s.To-s.HE >= HourMS) {
			t.Fatalf("Split(%v, %v) = %+v: the whole hours are not the range's", c.from, c.to, s)
		}
		if s.DF < s.DE && (Floor(s.DF, DayMS) != s.DF || Floor(s.DE, DayMS) != s.DE || s.DF-s.HF >= DayMS || s.HE-s.DE >= DayMS) {
			t.Fatalf("Split(%v, %v) = %+v: the whole days are not the range's", c.from, c.to, s)
		}
		if s.DF == s.DE && Floor(s.HF+DayMS-1, DayMS)+DayMS <= s.HE {
			t.Fatalf("Split(%v, %v) = %+v: a whole day left to the hours", c.from, c.to, s)
		}
	}
	if s := Split(bf, bt); s.DE-s.DF != 6*DayMS || (s.DF-s.HF)+(s.HE-s.DE) != 24*HourMS || s.HF != s.From || s.HE != s.To {
		t.Errorf("a Berlin week splits as %+v; want 6 days and 24 hours, no partial hours", s)
	}
	if s := Split(kf, kt); s.HF-s.From != 30*time.Minute.Milliseconds() || s.To-s.HE != 30*time.Minute.Milliseconds() {
		t.Errorf("a Kolkata week splits as %+v; want half an hour of answers at each edge", s)
	}
}
