// Package rollup splits a time range the way both drivers read their rollups: whole UTC
// days from the day tables, whole hours from the hour tables, the partial hours at the
// edges from the answers themselves.
package rollup

import "time"

// HourMS and DayMS are an hour and a day in milliseconds, the units of the rollups.
const (
	HourMS = int64(time.Hour / time.Millisecond)
	DayMS  = 24 * HourMS
)

// Span is a range [From, To) in unix ms, split for the rollups: its whole UTC days
// [DF, DE) are read from the day tables, the whole hours [HF, DF) and [DE, HE) from the
// hour tables, and the partial hours at its edges (zones with a half-hour offset start
// their weeks mid-hour), [From, HF) and [HE, To), from the answers. A part with nothing in
// it has equal bounds, so the parts always tile the range.
type Span struct{ From, HF, DF, DE, HE, To int64 }

// Split splits [from, to). Without a whole hour, all of it is the lower edge; without a
// whole day, all the whole hours are the lower hours.
func Split(from, to time.Time) Span {
	s := Span{From: from.UnixMilli(), To: to.UnixMilli()}
	s.HF, s.HE = Floor(s.From+HourMS-1, HourMS), Floor(s.To, HourMS)
	if s.HF >= s.HE {
		s.HF, s.HE = s.To, s.To
	}
	s.DF, s.DE = Floor(s.HF+DayMS-1, DayMS), Floor(s.HE, DayMS)
	if s.DF >= s.DE {
		s.DF, s.DE = s.HE, s.HE
	}
	return s
}

// Args are the span as the queries' first six parameters: HF, HE, From, To, DF, DE; then
// more.
func (s Span) Args(more ...any) []any {
	return append([]any{s.HF, s.HE, s.From, s.To, s.DF, s.DE}, more...)
}

// Floor returns the start of the unit (an hour, a day) holding ms, before 1970 too.
func Floor(ms, unit int64) int64 {
	return ms - ((ms%unit)+unit)%unit
}
