package core

import (
	"encoding/json"
	"fmt"
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

// EncodeQuestions is how a run's questions are stored: JSON, "" for none.
func EncodeQuestions(qs []Question) string {
	if len(qs) == 0 {
		return ""
	}
	b, err := json.Marshal(qs)
	if err != nil {
		return "" // cannot happen: a Question has only strings, numbers, bools and slices
	}
	return string(b)
}

// DecodeQuestions reads what EncodeQuestions wrote; "" is none.
func DecodeQuestions(s string) ([]Question, error) {
	if s == "" {
		return nil, nil
	}
	var qs []Question
	if err := json.Unmarshal([]byte(s), &qs); err != nil {
		return nil, fmt.Errorf("run questions: %w", err)
	}
	return qs, nil
}
