package core

import "encoding/json"

// MarshalJSON writes the dimension in its kind's shape (DESIGN.md, "Machine-readable
// output"), each with its key, kind, answers (responses) and 8-week trend:
//
//	scale, ces: {"key":"courtesy","kind":"scale","average":7.5,"previous":7.1,"change":0.4,…}
//	nps:        {"key":"nps","kind":"nps","nps":32,"previous":28,"change":4,"promoters":20,
//	             "passives":14,"detractors":8,"responses":42,"trend":[…]}
//	csat:       {"key":"csat","kind":"csat","csat":84.5,"previous":…,"change":…,"satisfied":…}
//	choice:     {"key":"reason","kind":"choice","options":{"delivery":12,…},
//	             "previous":{"delivery":9,…},"responses":17,"trend":{"delivery":[…],…}}
//
// A choice's responses are its answers; a multiple choice's options count every pick, so
// they may add up to more.
func (d Dimension) MarshalJSON() ([]byte, error) {
	switch d.Kind {
	case NPS:
		return json.Marshal(struct {
			Key        string       `json:"key"`
			Kind       QuestionType `json:"kind"`
			NPS        *float64     `json:"nps"`
			Previous   *float64     `json:"previous"`
			Change     *float64     `json:"change"`
			Promoters  int          `json:"promoters"`
			Passives   int          `json:"passives"`
			Detractors int          `json:"detractors"`
			Responses  int          `json:"responses"`
			Trend      []*float64   `json:"trend"`
		}{d.Key, d.Kind, d.NPS, d.Previous, d.Change, d.Promoters, d.Passives, d.Detractors, d.Responses, d.Trend})
	case CSAT:
		return json.Marshal(struct {
			Key       string       `json:"key"`
			Kind      QuestionType `json:"kind"`
			CSAT      *float64     `json:"csat"`
			Previous  *float64     `json:"previous"`
			Change    *float64     `json:"change"`
			Satisfied int          `json:"satisfied"`
			Responses int          `json:"responses"`
			Trend     []*float64   `json:"trend"`
		}{d.Key, d.Kind, d.CSAT, d.Previous, d.Change, d.Satisfied, d.Responses, d.Trend})
	case ChoiceType:
		options, previous, trend := map[string]int{}, map[string]int{}, map[string][]int{}
		for _, o := range d.Options {
			options[o.Key], previous[o.Key], trend[o.Key] = o.Count, o.Previous, o.Trend
		}
		return json.Marshal(struct {
			Key       string           `json:"key"`
			Kind      QuestionType     `json:"kind"`
			Options   map[string]int   `json:"options"`
			Previous  map[string]int   `json:"previous"`
			Responses int              `json:"responses"`
			Trend     map[string][]int `json:"trend"`
		}{d.Key, d.Kind, options, previous, d.Responses, trend})
	}
	return json.Marshal(struct {
		Key       string       `json:"key"`
		Kind      QuestionType `json:"kind"`
		Average   *float64     `json:"average"`
		Previous  *float64     `json:"previous"`
		Change    *float64     `json:"change"`
		Responses int          `json:"responses"`
		Trend     []*float64   `json:"trend"`
	}{d.Key, d.Kind, d.Average, d.Previous, d.Change, d.Responses, d.Trend})
}
