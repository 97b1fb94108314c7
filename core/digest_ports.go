package core

import "time"

// KindStore answers the digest's questions about the kinds whose figure is not an average:
// how often each score was given (NPS, CSAT) and each option picked (choice), from per-hour
// rollups. Time ranges are [from, to); keys names the questions asked about (none: no rows);
// a zero filter keeps every answer.
type KindStore interface {
	// ScoreCounts counts, for each of keys, the answers in the range that f selects by
	// score, ordered by key and score.
	ScoreCounts(from, to time.Time, keys []string, f ReportFilter) ([]ScoreCount, error)
	// ChoiceCounts counts, for each of keys (choice questions), how often each option was
	// picked in the range's answers that f selects and, under the Option "", how many answers
	// there were; ordered by key and option.
	ChoiceCounts(from, to time.Time, keys []string, f ReportFilter) ([]ChoiceCount, error)
	// Comments is SliceLowestComments without the answers to the keys skip: a choice's
	// option keys are stored as text too, and they are no comments.
	Comments(from, to time.Time, f ReportFilter, skip []string, limit int) ([]Comment, error)
}

// ScoreCount is how many answers to one question gave one score.
type ScoreCount struct {
	Key   string
	Score int
	Count int
}

// ChoiceCount is how often one option of one choice question was picked; Option "" counts
// the answers (of a multiple choice, each answer may pick several options).
type ChoiceCount struct {
	Key    string
	Option string
	Count  int
}
