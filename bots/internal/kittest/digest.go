package kittest

import (
	"encoding/json"
	"testing"

	"earshot/core"
)

// AssertKindsDigest checks what `digest --json` says of the kinds end-to-end tests' week: two
// detractors (an NPS of -100) and a follow-up reasons question each picked delivery and price. It
// marshals the digest as the command does, so the shapes DESIGN.md promises are what is read.
func AssertKindsDigest(t *testing.T, d core.Digest) {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Dimensions []struct {
			Key        string         `json:"key"`
			Kind       string         `json:"kind"`
			NPS        *float64       `json:"nps"`
			Promoters  *int           `json:"promoters"`
			Passives   *int           `json:"passives"`
			Detractors *int           `json:"detractors"`
			Responses  int            `json:"responses"`
			Options    map[string]int `json:"options"`
		} `json:"dimensions"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("digest --json: %v\n%s", err, b)
	}
	seen := map[string]bool{}
	for _, dim := range got.Dimensions {
		seen[dim.Key] = true
		switch dim.Key {
		case "nps":
			if dim.Kind != "nps" || dim.NPS == nil || *dim.NPS != -100 || dim.Promoters == nil || *dim.Promoters != 0 ||
				dim.Passives == nil || *dim.Passives != 0 || dim.Detractors == nil || *dim.Detractors != 2 || dim.Responses != 2 {
				t.Errorf("digest nps: want kind nps, nps -100, 0 promoters, 0 passives, 2 detractors, 2 responses\n%s", b)
			}
		case "reasons":
			if dim.Kind != "choice" || dim.Responses != 2 || dim.Options["delivery"] != 2 || dim.Options["price"] != 2 || dim.Options["staff"] != 0 {
				t.Errorf("digest reasons: want a choice of 2 answers, delivery 2, price 2, staff 0\n%s", b)
			}
		}
	}
	if !seen["nps"] || !seen["reasons"] {
		t.Errorf("digest lacks the nps or the reasons dimension:\n%s", b)
	}
}
