package core

import (
	"reflect"
	"strings"
	"sync"
	"testing"
)

// A run's questions survive the trip through their stored form, whether the codec has seen
// the list before or not, and a list sharing its first element with another of a different
// length is not taken for it.
func TestRunQuestionsRoundTrip(t *testing.T) {
	five := 5
	qs := []Question{
		{Key: "nps", Text: "How likely?", Type: NPS, Min: 0, Max: 10},
		{Key: "reason", Text: "Why?", TextIn: Localized{"de": "Warum?"}, Type: ChoiceType, Multiple: true,
			Options: []Option{{Key: "delivery", Label: "Delivery", LabelIn: Localized{"de": "Lieferung"}}},
			AskIf:   &Condition{Question: "nps", AtMost: &five}},
		{Key: "note", Text: "Anything else?", Type: Text, Optional: true},
	}
	s := EncodeQuestions(qs)
	if strings.Contains(s, `"AskIf":null`) || strings.Contains(s, `"Optional":false`) || !strings.Contains(s, `"Min":0`) {
		t.Errorf("stored form %s: want empty fields left out, an NPS's Min 0 kept", s)
	}
	for range 2 { // decoded, then from the cache
		got, err := DecodeQuestions(s)
		if err != nil || !reflect.DeepEqual(got, qs) {
			t.Fatalf("DecodeQuestions = %+v, %v; want %+v", got, err, qs)
		}
		if again := EncodeQuestions(got); again != s {
			t.Errorf("encoding the decoded list = %s; want %s", again, s)
		}
	}
	if short := EncodeQuestions(qs[:1]); short == s || !strings.Contains(short, `"nps"`) || strings.Contains(short, `"reason"`) {
		t.Errorf("the first question alone encodes as %s", short)
	}
	if got, err := DecodeQuestions(""); err != nil || got != nil {
		t.Errorf(`DecodeQuestions("") = %v, %v; want none`, got, err)
	}
	if _, err := DecodeQuestions("[{"); err == nil {
		t.Error("a broken stored list decoded without an error")
	}
}

// The codec is shared by every transaction: used at once, it stays consistent (run with
// -race), and it keeps at most codecSize lists.
func TestRunQuestionsConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 2 * codecSize {
				qs := []Question{{Key: "k" + string(rune('a'+g)) + string(rune('a'+i%26)), Text: "?", Type: Scale, Min: 1, Max: 10 + i}}
				got, err := DecodeQuestions(EncodeQuestions(qs))
				if err != nil || !reflect.DeepEqual(got, qs) {
					t.Errorf("round trip of %+v = %+v, %v", qs, got, err)
					return
				}
			}
		})
	}
	wg.Wait()
	codec.Lock()
	defer codec.Unlock()
	if len(codec.encoded) > codecSize || len(codec.decoded) > codecSize {
		t.Errorf("codec holds %d encoded and %d decoded lists; want at most %d", len(codec.encoded), len(codec.decoded), codecSize)
	}
}
