package core

import "time"

// dashboardComplaints fills the page's complaint figures for its week and the list of
// complaints open now, keeping those of customers on f's platform and, with a plan, those
// that came from a survey of that plan (a complaint filed outside a survey has no plan).
func (s *Service) dashboardComplaints(tx Tx, d *Dashboard, f ReportFilter, now time.Time) error {
	keep := s.complaintSelector(tx, f)
	week, err := tx.Complaints(ComplaintFilter{OpenedTo: d.To, ActiveFrom: d.From})
	if err != nil {
		return err
	}
	if week, err = filterComplaints(week, keep); err != nil {
		return err
	}
	d.Complaints = figuresOf(week, d.From, d.To, s.set.StandardClock()) // the medians count what the standards count
	for _, cp := range week {
		opened := !cp.OpenedAt.Before(d.From) && cp.OpenedAt.Before(d.To)
		if opened && !cp.ResolvedAt.IsZero() && cp.ResolvedAt.Before(cp.ResolveDue) {
			d.ResolveWithinStandard++
		}
	}
	if f.IsZero() {
		breaches, err := tx.Breaches(d.From, d.To)
		if err != nil {
			return err
		}
		for k, n := range breaches {
			d.Complaints.Breaches[string(k)] = n
		}
	}
	open, err := tx.Complaints(ComplaintFilter{Statuses: []ComplaintStatus{StatusOpen, StatusAcknowledged, StatusResolved}})
	if err != nil {
		return err
	}
	for _, cp := range open {
		ok, err := keep(cp)
		if err != nil {
			return err
		} else if !ok {
			continue
		}
		ct, err := tx.Contact(cp.ContactID)
		if err != nil {
			return err
		}
		oc := OpenComplaint{Ref: cp.Ref(), Status: cp.Status, Owner: cp.AckBy, Platform: ct.Ref.Platform,
			OpenedAt: cp.OpenedAt, Age: now.Sub(cp.OpenedAt), Excerpt: excerpt(cp.Text, 80)}
		switch {
		case cp.Status == StatusOpen && cp.AckAt.IsZero() && !cp.AckDue.IsZero() && !now.Before(cp.AckDue):
			oc.Overdue = "acknowledge"
		case cp.Status != StatusResolved && !cp.ResolveDue.IsZero() && !now.Before(cp.ResolveDue):
			oc.Overdue = "resolve"
		}
		d.Open = append(d.Open, oc)
	}
	return nil
}

// complaintSelector returns whether a complaint passes f, looking each customer and survey
// run up once.
func (s *Service) complaintSelector(tx Tx, f ReportFilter) func(Complaint) (bool, error) {
	platforms := map[int64]Platform{}
	plans := map[int64]string{}
	return func(cp Complaint) (bool, error) {
		if f.Platform != "" {
			p, ok := platforms[cp.ContactID]
			if !ok {
				ct, err := tx.Contact(cp.ContactID)
				if err != nil {
					return false, err
				}
				p = ct.Ref.Platform
				platforms[cp.ContactID] = p
			}
			if p != f.Platform {
				return false, nil
			}
		}
		if f.Plan != "" {
			if cp.RunID == 0 {
				return false, nil
			}
			plan, ok := plans[cp.RunID]
			if !ok {
				run, err := tx.Run(cp.RunID)
				if err != nil {
					return false, err
				}
				plan = run.Plan
				plans[cp.RunID] = plan
			}
			if plan != f.Plan {
				return false, nil
			}
		}
		return true, nil
	}
}

func filterComplaints(list []Complaint, keep func(Complaint) (bool, error)) ([]Complaint, error) {
	out := list[:0]
	for _, cp := range list {
		ok, err := keep(cp)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, cp)
		}
	}
	return out, nil
}
