package core

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
)

// runPlan returns the plan a run follows: the configured plan (its name, threshold and
// timings), asking the questions the run started with when it kept them. ok is false when the
// plan is no longer configured.
func (s *Service) runPlan(run SurveyRun) (SurveyPlan, bool) {
	plan, ok := s.set.Plan(run.Plan)
	if ok && len(run.Questions) > 0 {
		plan.Questions = run.Questions
	}
	return plan, ok
}

// A run's questions are stored as JSON beside it (0012) and the run is read and written on
// every answer, while a business has a handful of question lists shared by thousands of
// runs. So each list is encoded and each JSON decoded once, and the result shared (runs
// of one plan then share one slice, as they share the settings' before being stored). This
// holds because question lists are never changed in place: the settings are built once
// per load, and a run's list is replaced, never edited. The caches are emptied when they
// grow past codecSize, so a process that sees many lists keeps only recent ones.
var codec = struct {
	sync.Mutex
	encoded map[*Question]encodedList // by the list's first element
	decoded map[string][]Question     // by the JSON
}{encoded: map[*Question]encodedList{}, decoded: map[string][]Question{}}

// encodedList is a question list's JSON and its length (lists sharing a first element
// differ in length).
type encodedList struct {
	n    int
	json string
}

const codecSize = 256

// EncodeQuestions is how a run's questions are stored: JSON, "" for none.
func EncodeQuestions(qs []Question) string {
	if len(qs) == 0 {
		return ""
	}
	codec.Lock()
	defer codec.Unlock()
	if e, ok := codec.encoded[&qs[0]]; ok && e.n == len(qs) {
		return e.json
	}
	b, err := json.Marshal(qs)
	if err != nil {
		return "" // cannot happen: a Question has only strings, numbers, bools, slices and maps
	}
	if len(codec.encoded) >= codecSize {
		clear(codec.encoded)
	}
	codec.encoded[&qs[0]] = encodedList{len(qs), string(b)}
	return string(b)
}

// DecodeQuestions reads what EncodeQuestions wrote; "" is none. The list it returns is
// shared: read it, never change it.
func DecodeQuestions(s string) ([]Question, error) {
	if s == "" {
		return nil, nil
	}
	codec.Lock()
	defer codec.Unlock()
	if qs, ok := codec.decoded[s]; ok {
		return qs, nil
	}
	var qs []Question
	if err := json.Unmarshal([]byte(s), &qs); err != nil {
		return nil, fmt.Errorf("run questions: %w", err)
	}
	qs = slices.Clip(qs) // an append makes a copy, never writes into the shared array
	if len(codec.decoded) >= codecSize {
		clear(codec.decoded)
	}
	codec.decoded[s] = qs
	if len(qs) > 0 && len(codec.encoded) < codecSize {
		codec.encoded[&qs[0]] = encodedList{len(qs), s}
	}
	return qs, nil
}
