package core

import (
	"context"
	"fmt"
	"io"
)

// ExportDashboardAnswers writes as CSV (the columns of ExportAnswers) the answers given in
// week w that filter f selects — what the owners' page shows — and returns how many. A bad
// week or filter gets the EINVALID of Dashboard before anything is written.
func (s *Service) ExportDashboardAnswers(ctx context.Context, w Week, f ReportFilter, out io.Writer) (int, error) {
	if err := s.checkDashboard(w, f, s.clock.Now()); err != nil {
		return 0, err
	}
	loc := s.set.Business.Location
	n, err := s.exportAnswers(ctx, w.Start(loc), w.End(loc), f, AnswersCSV, out)
	if err != nil {
		return n, fmt.Errorf("core: dashboard answers %s: %w", w, err)
	}
	return n, nil
}
