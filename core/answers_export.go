package core

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Answer export formats.
const (
	AnswersJSON = "json" // one JSON object a line
	AnswersCSV  = "csv"  // RFC 4180, with a header line, safe to open in a spreadsheet
)

// answerPage is how many answers one read transaction of an export holds: small enough that
// no transaction lives long while a slow client reads, large enough to cost little per row.
var answerPage = 1000

// AnswerLine is one exported answer. Value is the score, the text, or null when skipped;
// Customer is empty once the customer was erased.
type AnswerLine struct {
	Survey     string    `json:"survey"`
	RunID      int64     `json:"run_id"`
	Question   string    `json:"question"`
	Kind       string    `json:"kind"`
	Value      any       `json:"value"`
	Skipped    bool      `json:"skipped,omitempty"`
	AnsweredAt time.Time `json:"answered_at"`
	Platform   Platform  `json:"platform"`
	Customer   string    `json:"customer,omitempty"`
}

var answerCSVHeader = []string{"survey", "run_id", "question", "kind", "value", "skipped", "answered_at", "platform", "customer"}

// ExportAnswers writes every answer given in [from, to) to w, in the order they arrived, as
// JSON lines or CSV (format), and returns how many. It reads a page at a time, each in its
// own short read transaction, so memory stays flat however many answers there are and no
// snapshot is held while a slow reader drains w. A customer erased during the export is
// shown erased from the next page on.
func (s *Service) ExportAnswers(ctx context.Context, from, to time.Time, format string, w io.Writer) (int, error) {
	return s.exportAnswers(ctx, from, to, ReportFilter{}, format, w)
}

// exportAnswers is ExportAnswers of the answers f selects.
func (s *Service) exportAnswers(ctx context.Context, from, to time.Time, f ReportFilter, format string, w io.Writer) (int, error) {
	if format != AnswersJSON && format != AnswersCSV {
		return 0, Errorf(EINVALID, "format %q: want json or csv", format)
	}
	if !from.Before(to) {
		return 0, Errorf(EINVALID, "the range is empty: from must be before to")
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	var cw *csv.Writer
	if format == AnswersCSV {
		cw = csv.NewWriter(bw)
		if err := cw.Write(answerCSVHeader); err != nil {
			return 0, err
		}
	}
	enc := json.NewEncoder(bw)
	n := 0
	var after int64
	for {
		var page []AnswerRow
		err := s.store.View(ctx, func(tx Tx) error {
			var err error
			page, err = tx.AnswerRows(from, to, after, answerPage)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("core: export answers: %w", err)
		}
		for _, r := range page {
			if (f.Plan != "" && r.Plan != f.Plan) || (f.Platform != "" && r.Platform != f.Platform) {
				continue
			}
			line := s.answerLine(r)
			if cw != nil {
				err = cw.Write(line.csvRecord())
			} else {
				err = enc.Encode(line)
			}
			if err != nil {
				return n, err
			}
			n++
		}
		if cw != nil {
			cw.Flush()
			if err := cw.Error(); err != nil {
				return n, err
			}
		}
		if err := bw.Flush(); err != nil {
			return n, err
		}
		if len(page) < answerPage {
			return n, nil
		}
		after = page[len(page)-1].ID
	}
}

func (s *Service) answerLine(r AnswerRow) AnswerLine {
	l := AnswerLine{Survey: r.Plan, RunID: r.RunID, Question: r.QuestionKey, Kind: s.questionKind(r.Answer),
		Skipped: r.Skipped, AnsweredAt: r.AnsweredAt.UTC(), Platform: r.Platform}
	switch {
	case r.Score != nil:
		l.Value = *r.Score
	case !r.Skipped:
		l.Value = r.Text
	}
	if r.AccountID != "" {
		l.Customer = UserRef{Platform: r.Platform, ID: r.AccountID}.String()
	}
	return l
}

// questionKind is the kind of the question as configured now, else what the answer shows.
func (s *Service) questionKind(a Answer) string {
	if p, ok := s.set.Plan(a.Plan); ok {
		for _, q := range p.Questions {
			if q.Key == a.QuestionKey {
				return string(q.Type)
			}
		}
	}
	if a.Score != nil {
		return string(Scale)
	}
	return string(Text)
}

func (l AnswerLine) csvRecord() []string {
	value := ""
	switch v := l.Value.(type) {
	case int:
		value = strconv.Itoa(v)
	case string:
		value = v
	}
	rec := []string{l.Survey, strconv.FormatInt(l.RunID, 10), l.Question, l.Kind, value,
		strconv.FormatBool(l.Skipped), l.AnsweredAt.Format(time.RFC3339), string(l.Platform), l.Customer}
	for i, c := range rec {
		rec[i] = SpreadsheetSafe(c)
	}
	return rec
}

// SpreadsheetSafe neutralises a CSV cell a spreadsheet would run as a formula (one starting
// with =, +, -, @, a tab or a carriage return, as OWASP's CSV injection advice lists) by
// prefixing a single quote, which spreadsheets show as text and do not display. Numbers are
// left alone, so a negative score stays a number.
func SpreadsheetSafe(cell string) string {
	if cell == "" || strings.IndexByte("=+-@\t\r", cell[0]) < 0 {
		return cell
	}
	if _, err := strconv.ParseFloat(cell, 64); err == nil {
		return cell
	}
	return "'" + cell
}

// ParseRange reads an export's range: each end a date (2026-11-01, midnight in the business
// time zone) or an RFC 3339 instant. to is exclusive, so from=2026-11-01 to=2026-12-01 is
// November; an empty to is now. Errors have code EINVALID.
func (s *Service) ParseRange(from, to string) (time.Time, time.Time, error) {
	parse := func(name, v string) (time.Time, error) {
		v = strings.TrimSpace(v)
		if t, err := time.ParseInLocation(time.DateOnly, v, s.set.Business.Location); err == nil {
			return t, nil
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return t, nil
		}
		return time.Time{}, Errorf(EINVALID, "%s: %q is not a date (2026-11-01) or an RFC 3339 time", name, v)
	}
	if strings.TrimSpace(from) == "" {
		return time.Time{}, time.Time{}, Errorf(EINVALID, "from is required (a date like 2026-11-01)")
	}
	f, err := parse("from", from)
	if err != nil {
		return f, f, err
	}
	t := s.clock.Now()
	if strings.TrimSpace(to) != "" {
		if t, err = parse("to", to); err != nil {
			return f, t, err
		}
	}
	if !f.Before(t) {
		return f, t, Errorf(EINVALID, "the range is empty: from must be before to")
	}
	return f, t, nil
}
